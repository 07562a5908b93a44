using InverseLearning.Data;
using InverseLearning.Data.Simulation;
using InverseLearning.Training.Methods;

namespace InverseLearning.Training.Analysis;

/// <summary>
/// How well IDL annotates sampled unlabeled rows, where the truth is known (simulated
/// logs): IDL reads w⁺ &gt; 0.5 as "positive"; NS assumes every sampled row negative.
/// "Accuracy" is the share of rows whose annotation matches the true label; "soft" is
/// the mean weight IDL puts on the true label (NS's is its accuracy).
/// </summary>
public sealed record AnnotationQuality(int Rows, double TruePositiveShare, double IdlAccuracy, double IdlSoftAccuracy,
    double IdlPrecision, double IdlRecall, double NsAccuracy, float[] PositiveWeights, int UsersLeftOut = 0)
{
    /// <summary>
    /// Samples one unlabeled item for up to <paramref name="maxRows"/> training rows and annotates them with the current model;
    /// from <paramref name="sampler"/> (default: the run's own), for the training rows of the users it has an item for. The
    /// others (a user who has seen every item has no unseen one) are counted in <see cref="UsersLeftOut"/>: a run without
    /// unlabeled rows (--ng 0) trains on such a log, and its analysis must not fail on them. Null when no training user has one.
    /// </summary>
    public static AnnotationQuality? Measure(Trainer trainer, GroundTruth truth, int maxRows = 20_000, int seed = 17, UnlabeledSampler? sampler = null)
    {
        sampler ??= trainer.Sampler;
        var trainUsers = trainer.Data.Train.Users;
        var leftOut = trainUsers.Where(user => !sampler.CanDraw(user)).Distinct().Count();
        var candidates = leftOut == 0 ? trainUsers.Length : trainUsers.Count(sampler.CanDraw);
        if (candidates == 0) return null;
        var rng = new Random(seed);
        var n = Math.Min(maxRows, candidates);
        var drawn = new int[n];
        for (var r = 0; r < n; r++) drawn[r] = rng.Next(candidates);
        // With every row a candidate, the rows are drawn directly, without the filter's pass.
        var rowUsers = DrawnCandidates.UsersOf(trainUsers, leftOut == 0 ? null : sampler.CanDraw, drawn);
        var items = new int[n];
        sampler.Sample(rowUsers, 1, items, rng);
        var logits = new float[n];
        trainer.Engine.Score(rowUsers, items, logits);

        var weights = new float[n];
        int truePositives = 0, correct = 0, predictedPositive = 0, hits = 0;
        double soft = 0;
        for (var r = 0; r < n; r++)
        {
            var w = InverseDualLoss.PositiveWeight(logits[r]);
            weights[r] = (float)w;
            var positive = truth.TrueLabel(trainer.Data.Users.RawIds[rowUsers[r]], trainer.Data.Items.RawIds[items[r]]);
            var saysPositive = w > 0.5;
            if (positive) truePositives++;
            if (saysPositive) predictedPositive++;
            if (saysPositive == positive) correct++;
            if (saysPositive && positive) hits++;
            soft += positive ? w : 1 - w;
        }
        return new AnnotationQuality(n, (double)truePositives / n, (double)correct / n, soft / n,
            predictedPositive == 0 ? double.NaN : (double)hits / predictedPositive,
            truePositives == 0 ? double.NaN : (double)hits / truePositives,
            1 - (double)truePositives / n, weights, leftOut);
    }

    /// <summary>The figures for metrics.json; an undefined ratio (no row annotated positive) is null.</summary>
    public IReadOnlyDictionary<string, object?> ToDictionary() => new Dictionary<string, object?>
    {
        ["rows"] = Rows,
        ["true_positive_share"] = TruePositiveShare,
        ["idl_accuracy"] = IdlAccuracy,
        ["idl_soft_accuracy"] = IdlSoftAccuracy,
        ["idl_precision"] = double.IsNaN(IdlPrecision) ? null : IdlPrecision,
        ["idl_recall"] = double.IsNaN(IdlRecall) ? null : IdlRecall,
        ["ns_accuracy"] = NsAccuracy,
        ["users_left_out"] = UsersLeftOut,
    };
}
