namespace InverseLearning.Training.Plans;

/// <summary>
/// What a run trains, in order: phases (warm-up, the method, finetune, …), each with its
/// passes and schedule. <see cref="Primary"/> is the objective written as the run's
/// training artifacts (the method's own).
/// </summary>
public sealed record TrainingPlan(IReadOnlyList<Phase> Phases, Objective Primary)
{
    /// <summary>Every stateful part of the plan (batch transforms, step programs, objective inputs, phase hooks), once each, in plan order.</summary>
    public IReadOnlyList<IStatefulPart> StatefulParts =>
        Phases.SelectMany(p => p.Passes.SelectMany(pass => new object?[] { pass.Transform, pass.Program, pass.Objective.Inputs }).Append(p.OnCompleted))
            .OfType<IStatefulPart>().Distinct().ToList();

    /// <summary>Parts that write reports of their own into the run's directory (IG's convergence log).</summary>
    public IReadOnlyList<IReportingPart> ReportingParts =>
        Phases.SelectMany(p => p.Passes.SelectMany(pass => new object?[] { pass.Transform, pass.Program, pass.Objective.Inputs }).Append(p.OnCompleted))
            .OfType<IReportingPart>().Distinct().ToList();

    /// <summary>Epochs over all phases.</summary>
    public int TotalEpochs => Phases.Sum(p => p.Schedule.Epochs);
}
