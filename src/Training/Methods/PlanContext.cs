using InverseLearning.Data;
using InverseLearning.Training.Plans;

namespace InverseLearning.Training.Methods;

/// <summary>What a method builds its plan from: the run's settings, the dataset and the unlabeled sampler.</summary>
public sealed record PlanContext(TrainSettings Settings, PreparedDataset Data, UnlabeledSampler Sampler)
{
    /// <summary>The method's main phase: --epochs at --lr, competing for the best checkpoint.</summary>
    public PhaseSchedule MainSchedule => new(Settings.Epochs, Settings.LearningRate);

    /// <summary>
    /// The plan most methods share: each epoch one pass of plain steps over all training
    /// rows (with --ng sampled unlabeled rows each when the method uses them).
    /// </summary>
    public MethodPlan OnePass(TrainingMethod method, Objective objective, IBatchTransform? transform = null) =>
        new([new Phase(method.Name, MainSchedule,
            [new Pass("train", DataSource.Train(method.UsesUnlabeledRows ? Settings.Ng : 0), objective, PlainStep.Instance, transform)])],
            objective);
}
