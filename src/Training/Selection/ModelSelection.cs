using InverseLearning.Data;
using InverseLearning.Data.Simulation;
using InverseLearning.Training.Evaluation;

namespace InverseLearning.Training.Selection;

/// <summary>
/// Measures a run's validation criterion (<see cref="SelectionMetric"/>) on the parameters the
/// store holds now: the loss, AUC or GAUC of the validation rows, or Recall@K / NDCG@K of a
/// full ranking for the validation users against their validation positives. A ranking
/// keeps its scorer (and so its ORT session) from one validation to the next.
/// </summary>
public sealed class ModelSelection : IDisposable
{
    private readonly FullRanking? _ranking;
    private IUserBlockScorer? _scorer;

    private ModelSelection(SelectionMetric metric, FullRanking? ranking)
    {
        Metric = metric;
        _ranking = ranking;
    }

    public SelectionMetric Metric { get; }

    /// <summary>The validation users a ranking metric ranks for; 0 for row metrics.</summary>
    public int RankedUsers => _ranking?.UserCount ?? 0;

    /// <summary>The run's criterion (its --select-by and --valid-positives); checks K and the positives before any training.</summary>
    public static ModelSelection Create(TrainSettings settings, PreparedDataset data, GroundTruth? truth)
    {
        var metric = SelectionMetric.Parse(settings.SelectBy);
        if (!metric.IsRanking) return new ModelSelection(metric, null);
        var positives = ValidationPositives.Resolve(data, settings.ValidPositives, truth);
        if (settings.ValidUsers > 0) positives = TestPositives.OfUsers(positives, Sample(positives, settings.ValidUsers, settings.EffectiveSplitSeed).Contains);
        return new ModelSelection(metric, FullRanking.ForValidation(data, positives, settings.ValidPositives, [metric.K]));
    }

    /// <summary>At most <paramref name="count"/> of the users with a validation positive, drawn by a seeded shuffle.</summary>
    private static HashSet<int> Sample(LabeledSet positives, int count, int seed)
    {
        var users = positives.Users.AsSpan(0, positives.Count).ToArray().Distinct().Order().ToArray();
        new Random(seed).Shuffle(users);
        return users.Take(count).ToHashSet();
    }

    /// <summary>The validation loss, for a trainer that trains no further (eval, export): it needs neither the ranking nor its positives.</summary>
    public static ModelSelection ByLoss() => new(SelectionMetric.Loss, null);

    public double Measure(Trainer trainer) => Metric.Measure switch
    {
        SelectionMetric.Kind.Loss => trainer.Scorer.LogLoss(trainer.Validation),
        SelectionMetric.Kind.Auc => trainer.Scorer.Evaluate(trainer.Validation).Auc,
        SelectionMetric.Kind.Gauc => trainer.Scorer.Evaluate(trainer.Validation).Gauc,
        _ => Ranked(trainer),
    };

    private double Ranked(Trainer trainer)
    {
        _scorer ??= UserBlockScorer.For(trainer.Store, trainer.Engine.Device);
        var metrics = _ranking!.Evaluate(_scorer, trainer.Engine.Device.Threads);
        return Metric.Measure == SelectionMetric.Kind.Recall ? metrics.RecallAt(Metric.K) : metrics.NdcgAt(Metric.K);
    }

    public void Dispose() => _scorer?.Dispose();
}
