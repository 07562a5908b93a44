using InverseLearning.Data;
using InverseLearning.Data.Simulation;
using InverseLearning.Training.Analysis;
using InverseLearning.Training.Artifacts;
using InverseLearning.Training.Evaluation;
using InverseLearning.Training.Reports;
using InverseLearning.Training.Strategies;

namespace InverseLearning.Training;

/// <summary>What a finished run measured.</summary>
public sealed record TrainingOutcome(TrainSettings Settings, RankingMetrics Valid, RankingMetrics Test, RankingMetrics? CleanTest,
    AnnotationQuality? AnnotationAfterFirstEpoch, AnnotationQuality? Annotation, double TrainSeconds, double RowsPerSecond, int BestEpoch,
    string OutputDirectory, FullRankingMetrics? FullRanking = null);

/// <summary>
/// A whole training run, as `train` performs it: train with the method, evaluate the
/// best epoch on validation and test (and on the true labels, for simulated logs), and
/// write metrics.json, the exported model.onnx with seen.parquet, the training
/// artifacts, and the method's analyses.
/// </summary>
public static class TrainingRun
{
    public static TrainingOutcome Execute(TrainSettings settings, PreparedDataset data, GroundTruth? truth, string outputDirectory,
        ITrainingObserver? observer = null, string? resumeFrom = null, CancellationToken cancel = default)
    {
        // Checked before training: a bad --topk or --test-positives fails in seconds, not after the run.
        var ranking = settings.FullRankingTopK is { } ks ? FullRankingSetup(data, truth, ks) : null;
        Directory.CreateDirectory(outputDirectory);
        using var trainer = new Trainer(settings, data, observer);
        if (resumeFrom is not null) trainer.Resume(resumeFrom, Path.Combine(Path.GetDirectoryName(resumeFrom)!, "checkpoint"));

        var firstEpoch = truth is null ? null : FirstEpochAnnotation.Track(trainer, truth, outputDirectory);
        trainer.Run(outputDirectory, cancel);
        var first = firstEpoch?.Value;
        var plainTest = trainer.WarmupEmbeddings is null ? null : trainer.Evaluate(data.Test);
        var colliding = SetUpColliding(trainer, observer);

        var valid = trainer.Evaluate(trainer.Validation);
        var test = trainer.Evaluate(data.Test);
        RankingMetrics? cleanTest = null;
        AnnotationQuality? last = null;
        if (truth is not null)
        {
            cleanTest = trainer.Evaluate(data.Test, TrueLabels(data, data.Test, truth));
            last = AnnotationQuality.Measure(trainer, truth);
        }

        var fullRanking = ranking is null ? null : EvaluateFullRanking(trainer, ranking);
        var byGroup = ranking is not null && trainer.Colliding is not null ? FullRankingBySparsity(trainer, truth, ranking.Ks) : null;

        var rowsPerSecond = trainer.RowsTrained / Math.Max(trainer.TrainSeconds, 1e-9);
        var extra = new Dictionary<string, object?>
        {
            ["model"] = settings.Model,
            ["method"] = settings.Method,
            ["best_epoch"] = trainer.BestEpoch,
            ["best_valid_loss"] = trainer.BestValidLoss,
            ["settings"] = settings,
            ["method_settings"] = trainer.Method.Settings(settings),
            ["model_settings"] = Models.ModelRegistry.Get(settings.Model).Settings(settings),
        };
        if (cleanTest is not null) extra["clean_test"] = cleanTest;
        if (colliding is not null)
        {
            extra["colliding"] = colliding;
            extra["test_without_colliding"] = plainTest;
        }
        if (fullRanking is not null) extra["full_ranking"] = fullRanking.ToDictionary();
        if (byGroup is not null) extra["full_ranking_by_sparsity"] = byGroup;
        if (first is not null) extra["annotation_after_epoch_1"] = first.ToDictionary();
        if (last is not null) extra["annotation"] = last.ToDictionary();
        if (truth is not null) extra["annotation_by_source"] = AnnotationBySource.ToDictionary(AnnotationBySource.Measure(trainer, truth));
        MetricsJson.Write(Path.Combine(outputDirectory, MetricsJson.FileName), valid, test, trainer.TrainSeconds, rowsPerSecond, extra);

        Export(trainer, outputDirectory, test);
        TrainingArtifacts.Write(outputDirectory, trainer.Store.Model, trainer.Plan.Primary.Loss, trainer.Engine.Optimizer);
        WriteAnalyses(trainer, outputDirectory, first, last);
        return new TrainingOutcome(settings, valid, test, cleanTest, first, last, trainer.TrainSeconds, rowsPerSecond, trainer.BestEpoch, outputDirectory, fullRanking);
    }

    /// <summary>
    /// Colliding inference for a trained run (null when it is off): sparse users' neighbours
    /// from the warm-up embeddings, K and λ as set or tuned on validation; from then on the
    /// trainer's scores, its metrics and the exported model all go through it.
    /// </summary>
    public static Dictionary<string, object?>? SetUpColliding(Trainer trainer, ITrainingObserver? observer = null)
    {
        var s = trainer.Settings;
        if (trainer.WarmupEmbeddings is not { Captured: true } warmup) return null;
        var users = trainer.Data.Users.Count - 1;
        if (s.CollidingNeighbors >= users)
            throw new ArgumentException($"--colliding-neighbors {s.CollidingNeighbors} asks for more neighbours than the log has other users ({users - 1})");
        var sparse = CollidingInference.SparseUsers(trainer.Data, s.CollidingMaxRatio);
        var table = CollidingInference.Build(warmup, sparse, s.CollidingNeighbors, s.CollidingNeighbors, s.CollidingLambda);
        var report = new Dictionary<string, object?> { ["sparse_users"] = table.SparseUserCount, ["max_ratio"] = s.CollidingMaxRatio };
        if (s.CollidingTune)
        {
            var choice = CollidingTuning.Tune(trainer.Engine, table, trainer.Validation);
            table = table.With(choice.K, choice.Lambda);
            report["tuned_on"] = "validation AUC";
            report["valid_auc"] = choice.ValidAuc;
            report["valid_auc_without"] = choice.PlainValidAuc;
        }
        report["neighbors"] = table.K;
        report["lambda"] = table.Lambda;
        trainer.Colliding = table;
        return report;
    }

    /// <summary>The full-ranking protocol on the trained model (through colliding inference when it is on).</summary>
    public static FullRankingMetrics EvaluateFullRanking(Trainer trainer, FullRanking ranking)
    {
        var device = new Runtime.ExecutionDevice(trainer.Settings.Device, trainer.Settings.Threads);
        if (trainer.Colliding is null) return ranking.Evaluate(trainer.Store, device);
        using var scorer = new CollidingBlockScorer(UserBlockScorer.For(trainer.Store, device), trainer.Colliding);
        return ranking.Evaluate(scorer, device.Threads);
    }

    /// <summary>Users grouped by extra/implicit ratio in training, as DenoisingRec's colliding study groups them.</summary>
    public static readonly IReadOnlyList<double> SparsityGroups = [0.1, 0.2, 0.3];

    /// <summary>
    /// Full ranking for the users of each sparsity group (ratio below 0.1, 0.2, 0.3), with
    /// colliding inference and without it (the same trained model: the warm-up strategy alone).
    /// </summary>
    public static Dictionary<string, object?> FullRankingBySparsity(Trainer trainer, GroundTruth? truth, IReadOnlyList<int> ks)
    {
        var data = trainer.Data;
        var ratio = data.Extra.TrainRatioPerUser(data);
        var (positives, rule) = TestPositives.Resolve(data, truth);
        var colliding = trainer.Colliding;
        var groups = new Dictionary<string, object?>();
        foreach (var below in SparsityGroups)
        {
            var members = TestPositives.OfUsers(positives, u => ratio[u] < below);
            if (members.Count == 0) continue;
            FullRanking group;
            try { group = new FullRanking(data, members, rule, ks); }
            catch (DataException) { continue; }       // no positive left to rank in this group
            trainer.Colliding = null;
            var without = EvaluateFullRanking(trainer, group);
            trainer.Colliding = colliding;
            var with = EvaluateFullRanking(trainer, group);
            groups[$"<{below}"] = new Dictionary<string, object?> { ["users"] = group.UserCount, ["colliding"] = with.ToDictionary(), ["warmup_only"] = without.ToDictionary() };
        }
        return groups;
    }

    /// <summary>The full-ranking protocol of a run: its K, and its true positives (the --test-positives rule's, else the ground truth).</summary>
    public static FullRanking FullRankingSetup(PreparedDataset data, GroundTruth? truth, IReadOnlyList<int> ks)
    {
        var (positives, rule) = TestPositives.Resolve(data, truth);
        return new FullRanking(data, positives, rule, ks);
    }

    /// <summary>Writes seen.parquet (every (user, item) pair of the log, in raw ids), then model.onnx (with the run's metadata).</summary>
    public static void Export(Trainer trainer, string outputDirectory, RankingMetrics test)
    {
        var data = trainer.Data;
        var created = DateTime.UtcNow;
        var metadata = new Dictionary<string, string>
        {
            ["model"] = trainer.Settings.Model,
            ["method"] = trainer.Settings.Method,
            ["users"] = (data.Users.Count - 1).ToString(),
            ["items"] = (data.Items.Count - 1).ToString(),
            ["metrics"] = ReportJson.FromMetrics(test).ToJsonString(),     // an undefined metric (implicit feedback's test rows) is null
            ["created_at"] = created.ToString("O"),
            ["colliding"] = trainer.Colliding is { } c ? $"{c.SparseUserCount} sparse users, K = {c.K}, lambda = {c.Lambda}" : "off",
            ["version"] = $"{trainer.Settings.Model}-{trainer.Settings.Method}-{created:yyyyMMddTHHmmssfffZ}",
        };
        var pairs = data.Seen;
        var seen = new InteractionLog(pairs.PairCount);
        var row = 0;
        for (var user = 0; user < pairs.UserCount; user++)
            foreach (var item in pairs.ItemsOf(user))
            {
                seen.UserId[row] = data.Users.RawIds[user];
                seen.ItemId[row++] = data.Items.RawIds[item];
            }
        InteractionLogParquet.Write(seen, Path.Combine(outputDirectory, InferenceModel.SeenFileName));
        // model.onnx last: a server watching this folder reloads on its change, and then finds this seen list.
        AtomicFile.WriteAllBytes(Path.Combine(outputDirectory, InferenceModel.FileName),
            InferenceModel.Build(trainer.Store, data.Users.RawIds, data.Items.RawIds, metadata, trainer.Colliding));
    }

    /// <summary>The true labels of <paramref name="set"/>'s rows, from the simulator's ground truth.</summary>
    public static float[] TrueLabels(PreparedDataset data, LabeledSet set, GroundTruth truth)
    {
        var labels = new float[set.Count];
        for (var r = 0; r < set.Count; r++)
            labels[r] = truth.TrueLabel(data.Users.RawIds[set.Users[r]], data.Items.RawIds[set.Items[r]]) ? 1f : 0f;
        return labels;
    }

    private static void WriteAnalyses(Trainer trainer, string outputDirectory, AnnotationQuality? first, AnnotationQuality? last)
    {
        foreach (var part in trainer.Plan.ReportingParts) part.WriteReports(outputDirectory);
        if (first is not null) Histogram(outputDirectory, "idl_weights_epoch1.png", "after the first epoch", first);
        if (last is not null) Histogram(outputDirectory, "idl_weights_final.png", $"after epoch {trainer.BestEpoch} (best)", last);
    }

    private static void Histogram(string outputDirectory, string file, string when, AnnotationQuality annotation)
    {
        var minus = annotation.PositiveWeights.Select(w => 1 - w).ToArray();
        Plots.WeightHistogram(Path.Combine(outputDirectory, file),
            $"IDL weights of {annotation.Rows:N0} sampled unlabeled rows, {when}", annotation.PositiveWeights, minus);
    }
}
