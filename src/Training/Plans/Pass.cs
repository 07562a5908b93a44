namespace InverseLearning.Training.Plans;

/// <summary>
/// One sweep of mini-batches inside an epoch: batches from <see cref="Data"/>, optionally
/// rewritten by <see cref="Transform"/> (DNS, SRNS choose the unlabeled items), each
/// trained by <see cref="Program"/> on <see cref="Objective"/>.
/// </summary>
public sealed record Pass(string Name, DataSource Data, Objective Objective, IStepProgram Program, IBatchTransform? Transform = null);
