using InverseLearning.Data;
using InverseLearning.Data.Simulation;
using InverseLearning.Training.Analysis;
using InverseLearning.Training.Evaluation;
using InverseLearning.Training.Strategies;

namespace InverseLearning.Training.Stages;

/// <summary>
/// The evaluation stage: the trained model on validation and test (and on the true labels, for
/// simulated logs), the full-ranking protocol when asked for, and the annotation analyses;
/// after the strategies have set up what they change in scoring.
/// </summary>
public static class EvaluateStage
{
    /// <param name="cancel">Checked between the evaluations, and between full ranking's blocks of users.</param>
    public static RunEvaluation Run(Trainer trainer, GroundTruth? truth, FullRanking? ranking, CancellationToken cancel = default)
    {
        var data = trainer.Data;
        var strategies = StrategyRegistry.On(trainer.Settings);
        cancel.ThrowIfCancellationRequested();
        var reports = AfterTraining(trainer);
        cancel.ThrowIfCancellationRequested();
        var valid = trainer.Scorer.Evaluate(trainer.Validation);
        var test = trainer.Scorer.Evaluate(data.Test);
        var testUndefined = UndefinedMetrics.Why(test, data.Test, data.Test.Labels, "observed test", observed: true);
        RankingMetrics? cleanTest = null;
        string? cleanTestUndefined = null;
        AnnotationQuality? annotation = null;
        if (truth is not null)
        {
            var trueLabels = TrueLabels.Of(data, data.Test, truth);
            cleanTest = trainer.Scorer.Evaluate(data.Test, trueLabels);
            cleanTestUndefined = UndefinedMetrics.Why(cleanTest, data.Test, trueLabels, "true (clean) test", observed: false);
            // The annotation analyses draw training rows, which a streamed run does not hold.
            cancel.ThrowIfCancellationRequested();
            annotation = data.Streamed is null ? AnnotationQuality.Measure(trainer, truth) : null;
        }
        cancel.ThrowIfCancellationRequested();
        var fullRanking = ranking is null ? null : FullRanking(trainer, ranking, cancel);
        if (ranking is not null)
            foreach (var strategy in strategies)
                foreach (var (key, value) in strategy.FullRankingReports(trainer, truth, ranking.Ks)) reports[key] = value;
        var bySource = truth is null || data.Streamed is not null ? null : Analysis.AnnotationBySource.Measure(trainer, truth);
        return new RunEvaluation(valid, test, cleanTest, fullRanking, annotation, bySource, reports, testUndefined, cleanTestUndefined);
    }

    /// <summary>Each strategy the run uses, once the best parameters are in place (its scoring changes, its reports).</summary>
    public static Dictionary<string, object?> AfterTraining(Trainer trainer)
    {
        var reports = new Dictionary<string, object?>();
        foreach (var strategy in StrategyRegistry.On(trainer.Settings))
            foreach (var (key, value) in strategy.AfterTraining(trainer)) reports[key] = value;
        return reports;
    }

    /// <summary>The full-ranking protocol of a run: its K, and its true positives (the --test-positives rule's, else the ground truth).</summary>
    public static FullRanking FullRankingSetup(PreparedDataset data, GroundTruth? truth, IReadOnlyList<int> ks)
    {
        var (positives, rule) = TestPositives.Resolve(data, truth);
        return new FullRanking(data, positives, rule, ks);
    }

    /// <summary>The full-ranking protocol on the trained model (through a strategy's score rewrite when there is one).</summary>
    /// <param name="cancel">Checked between blocks of users.</param>
    public static FullRankingMetrics FullRanking(Trainer trainer, FullRanking ranking, CancellationToken cancel = default)
    {
        var device = new Runtime.ExecutionDevice(trainer.Settings.Device, trainer.Settings.Threads);
        if (trainer.Scorer.Rewrite is null) return ranking.Evaluate(trainer.Store, device, cancel);
        using var scorer = trainer.Scorer.Rewrite.Wrap(UserBlockScorer.For(trainer.Store, device));
        return ranking.Evaluate(scorer, device.Threads, cancel);
    }
}
