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

    /// <summary>One past the largest stream number its sources hold (0 for none).</summary>
    public int NextStream => Phases.SelectMany(p => p.Passes).Max(pass => pass.Data.Stream + 1) ?? 0;

    /// <summary>
    /// This plan with a stream number for each of its unnumbered sources, from <paramref name="first"/> on, in plan order
    /// (a source passed to several passes keeps one number): no plugin picks one by hand.
    /// </summary>
    public TrainingPlan WithStreams(int first = 0)
    {
        var numbers = new Dictionary<DataSource, DataSource>(ReferenceEqualityComparer.Instance);
        DataSource Numbered(DataSource source) =>
            source.Stream is not null ? source
            : numbers.TryGetValue(source, out var numbered) ? numbered
            : numbers[source] = source with { Stream = first + numbers.Count };
        return this with { Phases = Phases.Select(p => p with { Passes = p.Passes.Select(pass => pass with { Data = Numbered(pass.Data) }).ToList() }).ToList() };
    }
}
