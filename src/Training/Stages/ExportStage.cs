using InverseLearning.Data;
using InverseLearning.Serving.Models.Contract;
using InverseLearning.Training.Artifacts;
using InverseLearning.Training.Evaluation;
using InverseLearning.Training.Reports;

namespace InverseLearning.Training.Stages;

/// <summary>The export stage: the training graphs in ORT's on-device layout, then what serves the run (seen.parquet, then model.onnx).</summary>
public static class ExportStage
{
    /// <summary>
    /// Writes the training graphs, then seen.parquet, model.onnx and the run's <paramref name="metrics"/> together: all three are
    /// written before any is renamed into place, so a failure (a full disk) leaves the folder's earlier ones, not a new model under
    /// an earlier run's metrics.json, where a server watching the folder would take it up.
    /// </summary>
    public static void Run(Trainer trainer, string outputDirectory, RankingMetrics test, (string Path, Action<Stream> Write) metrics)
    {
        // The graphs first: one that fails to be written leaves no model.onnx, which only a finished run has.
        TrainingArtifacts.Write(outputDirectory, trainer.Store.Model, trainer.Plan.Primary.Loss, trainer.Engine.Optimizer);
        AtomicFile.WriteTogether([.. ModelFiles(trainer, outputDirectory, test), metrics]);
    }

    /// <summary>
    /// Writes seen.parquet (every (user, item) pair of the log, in raw ids) and model.onnx (with the run's metadata), made visible
    /// together and stamped alike (<see cref="ExportStamp"/>), so that the server refuses either beside another export's.
    /// </summary>
    /// <param name="cancel">Checked before the files are written and before they are renamed into place.</param>
    public static void ExportModel(Trainer trainer, string outputDirectory, RankingMetrics test, CancellationToken cancel = default)
    {
        var files = ModelFiles(trainer, outputDirectory, test);
        cancel.ThrowIfCancellationRequested();
        AtomicFile.WriteTogether(files, cancel);
    }

    // seen.parquet and model.onnx, model.onnx last: a server watching the folder reloads on its change, and then finds this seen list.
    private static IReadOnlyList<(string Path, Action<Stream> Write)> ModelFiles(Trainer trainer, string outputDirectory, RankingMetrics test)
    {
        var data = trainer.Data;
        var created = DateTime.UtcNow;
        var stamp = ExportStamp.New();
        var metadata = new Dictionary<string, string>
        {
            [ModelContract.ModelKey] = trainer.Settings.Model,
            [ModelContract.MethodKey] = trainer.Settings.Method,
            [ModelContract.UsersKey] = (data.Users.Count - 1).ToString(),
            [ModelContract.ItemsKey] = (data.Items.Count - 1).ToString(),
            [ModelContract.MetricsKey] = ReportJson.FromMetrics(test).ToJsonString(),     // an undefined metric (implicit feedback's test rows) is null
            [ModelContract.CreatedAtKey] = created.ToString("O"),
            ["colliding"] = trainer.Scorer.Rewrite?.Describe() ?? "off",
            [ModelContract.VersionKey] = $"{trainer.Settings.Model}-{trainer.Settings.Method}-{created:yyyyMMddTHHmmssfffZ}",
            [ExportStamp.Key] = stamp,
        };
        var model = InferenceModel.Build(trainer.Store, data.Users.RawIds, data.Items.RawIds, metadata, trainer.Scorer.Rewrite);
        return [
            (Path.Combine(outputDirectory, InferenceModel.SeenFileName), stream => SeenPairsParquet.Write(data.Seen, data.Users, data.Items, stream,
                new Dictionary<string, string> { [ExportStamp.Key] = stamp })),
            (Path.Combine(outputDirectory, InferenceModel.FileName), stream => stream.Write(model)),
        ];
    }
}
