using InverseLearning.Data;
using InverseLearning.Data.Simulation;
using InverseLearning.Training.Analysis;
using InverseLearning.Training.Evaluation;
using InverseLearning.Training.Strategies;

namespace InverseLearning.Training.Stages;

/// <summary>What a trained run measured on its best parameters.</summary>
public sealed record RunEvaluation(RankingMetrics Valid, RankingMetrics Test, RankingMetrics? CleanTest, RankingMetrics? TestWithoutColliding,
    Dictionary<string, object?>? Colliding, FullRankingMetrics? FullRanking, Dictionary<string, object?>? FullRankingBySparsity,
    AnnotationQuality? Annotation, IReadOnlyDictionary<string, AnnotationQuality>? AnnotationBySource);

/// <summary>
/// The evaluation stage: the trained model on validation and test (and on the true labels, for
/// simulated logs), the full-ranking protocol when asked for, and the annotation analyses;
/// through colliding inference when it is on (set up here, after training).
/// </summary>
public static class EvaluateStage
{
    public static RunEvaluation Run(Trainer trainer, GroundTruth? truth, FullRanking? ranking)
    {
        var data = trainer.Data;
        var plainTest = trainer.WarmupEmbeddings is null ? null : trainer.Evaluate(data.Test);
        var colliding = CollidingSetup.Apply(trainer);
        var valid = trainer.Evaluate(trainer.Validation);
        var test = trainer.Evaluate(data.Test);
        RankingMetrics? cleanTest = null;
        AnnotationQuality? annotation = null;
        if (truth is not null)
        {
            cleanTest = trainer.Evaluate(data.Test, TrueLabels.Of(data, data.Test, truth));
            annotation = AnnotationQuality.Measure(trainer, truth);
        }
        var fullRanking = ranking is null ? null : FullRanking(trainer, ranking);
        var byGroup = ranking is not null && trainer.Colliding is not null ? CollidingSetup.FullRankingBySparsity(trainer, truth, ranking.Ks) : null;
        var bySource = truth is null ? null : Analysis.AnnotationBySource.Measure(trainer, truth);
        return new RunEvaluation(valid, test, cleanTest, colliding is null ? null : plainTest, colliding, fullRanking, byGroup, annotation, bySource);
    }

    /// <summary>The full-ranking protocol of a run: its K, and its true positives (the --test-positives rule's, else the ground truth).</summary>
    public static FullRanking FullRankingSetup(PreparedDataset data, GroundTruth? truth, IReadOnlyList<int> ks)
    {
        var (positives, rule) = TestPositives.Resolve(data, truth);
        return new FullRanking(data, positives, rule, ks);
    }

    /// <summary>The full-ranking protocol on the trained model (through colliding inference when it is on).</summary>
    public static FullRankingMetrics FullRanking(Trainer trainer, FullRanking ranking)
    {
        var device = new Runtime.ExecutionDevice(trainer.Settings.Device, trainer.Settings.Threads);
        if (trainer.Colliding is null) return ranking.Evaluate(trainer.Store, device);
        using var scorer = new CollidingBlockScorer(UserBlockScorer.For(trainer.Store, device), trainer.Colliding);
        return ranking.Evaluate(scorer, device.Threads);
    }
}
