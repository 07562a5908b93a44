using InverseLearning.Data;
using InverseLearning.Data.Simulation;
using InverseLearning.Training.Analysis;
using InverseLearning.Training.Artifacts;
using InverseLearning.Training.Evaluation;
using InverseLearning.Training.Methods;
using InverseLearning.Training.Reports;

namespace InverseLearning.Training;

/// <summary>What a finished run measured.</summary>
public sealed record TrainingOutcome(TrainSettings Settings, RankingMetrics Valid, RankingMetrics Test, RankingMetrics? CleanTest,
    AnnotationQuality? AnnotationAfterFirstEpoch, AnnotationQuality? Annotation, double TrainSeconds, double RowsPerSecond, int BestEpoch,
    string OutputDirectory);

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
        Directory.CreateDirectory(outputDirectory);
        using var trainer = new Trainer(settings, data, observer);
        if (resumeFrom is not null) trainer.Resume(resumeFrom, Path.Combine(Path.GetDirectoryName(resumeFrom)!, "checkpoint"));

        AnnotationQuality? first = null;
        if (truth is not null) trainer.EpochCompleted += epoch => { if (epoch == 1) first = AnnotationQuality.Measure(trainer, truth); };
        trainer.Run(outputDirectory, cancel);

        var valid = trainer.Evaluate(data.Valid);
        var test = trainer.Evaluate(data.Test);
        RankingMetrics? cleanTest = null;
        AnnotationQuality? last = null;
        if (truth is not null)
        {
            cleanTest = trainer.Evaluate(data.Test, TrueLabels(data, data.Test, truth));
            last = AnnotationQuality.Measure(trainer, truth);
        }

        var rowsPerSecond = trainer.RowsTrained / Math.Max(trainer.TrainSeconds, 1e-9);
        var extra = new Dictionary<string, object?>
        {
            ["model"] = settings.Model,
            ["method"] = settings.Method,
            ["best_epoch"] = trainer.BestEpoch,
            ["best_valid_loss"] = trainer.BestValidLoss,
            ["settings"] = settings,
            ["method_settings"] = trainer.Method.Settings,
        };
        if (cleanTest is not null) extra["clean_test"] = cleanTest;
        if (first is not null) extra["annotation_after_epoch_1"] = first.ToDictionary();
        if (last is not null) extra["annotation"] = last.ToDictionary();
        MetricsJson.Write(Path.Combine(outputDirectory, MetricsJson.FileName), valid, test, trainer.TrainSeconds, rowsPerSecond, extra);

        Export(trainer, outputDirectory, test);
        TrainingArtifacts.Write(outputDirectory, trainer.Store.Model, trainer.Method.Loss, trainer.Engine.Optimizer);
        WriteAnalyses(trainer, outputDirectory, first, last);
        return new TrainingOutcome(settings, valid, test, cleanTest, first, last, trainer.TrainSeconds, rowsPerSecond, trainer.BestEpoch, outputDirectory);
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
            ["metrics"] = System.Text.Json.JsonSerializer.Serialize(test.ToDictionary()),
            ["created_at"] = created.ToString("O"),
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
            InferenceModel.Build(trainer.Store, data.Users.RawIds, data.Items.RawIds, metadata));
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
        if (trainer.Method is InverseGradient ig && ig.Convergence.Records.Count > 0)
        {
            ig.Convergence.WriteCsv(Path.Combine(outputDirectory, ConvergenceLog.FileName));
            Plots.Convergence(Path.Combine(outputDirectory, "convergence.png"), ig.Convergence.Records);
        }
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
