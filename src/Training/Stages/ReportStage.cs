using InverseLearning.Training.Analysis;
using InverseLearning.Training.Reports;
using InverseLearning.Training.Selection;

namespace InverseLearning.Training.Stages;

/// <summary>
/// The report stage: the reports the plan's parts write (IG's convergence log and plots) and the histograms of IDL's weights
/// (<see cref="WriteReports"/>), and metrics.json (what was measured, the settings of the run, its method and its backbone, and
/// which reports it wrote: <see cref="MetricsFile"/>), the run's last file: a run that has one has all its others.
/// </summary>
public static class ReportStage
{
    /// <summary>The histograms of IDL's weights: after the first epoch, and at the best epoch.</summary>
    public const string FirstEpochHistogram = "idl_weights_epoch1.png", FinalHistogram = "idl_weights_final.png";

    /// <summary>The field of metrics.json that names the reports the run wrote beside it, which a reused run must still have.</summary>
    public const string ReportsField = "reports";

    /// <summary>Writes the run's reports; returns their file names, for <see cref="MetricsFile"/> to record.</summary>
    public static IReadOnlyList<string> WriteReports(Trainer trainer, string outputDirectory, RunEvaluation evaluation, AnnotationQuality? afterFirstEpoch)
    {
        var written = trainer.Plan.ReportingParts.SelectMany(part => part.WriteReports(outputDirectory)).ToList();
        if (afterFirstEpoch is not null) written.Add(Histogram(outputDirectory, FirstEpochHistogram, "after the first epoch", afterFirstEpoch));
        if (evaluation.Annotation is not null) written.Add(Histogram(outputDirectory, FinalHistogram, $"after epoch {trainer.BestEpoch} (best)", evaluation.Annotation));
        return written;
    }

    /// <summary>metrics.json, naming the <paramref name="reports"/> written before it, to be written with the exported model (<see cref="ExportStage.Run"/>).</summary>
    public static (string Path, Action<Stream> Write) MetricsFile(Trainer trainer, string outputDirectory, RunEvaluation evaluation, AnnotationQuality? afterFirstEpoch,
        IReadOnlyList<string> reports, DataRecord? dataRecord = null)
    {
        var settings = trainer.Settings;
        var extra = new Dictionary<string, object?>
        {
            ["model"] = settings.Model,
            ["method"] = settings.Method,
            ["best_epoch"] = trainer.BestEpoch,
            ["selection"] = Selection(trainer),
            ["settings"] = settings,
            ["method_settings"] = trainer.Method.Settings(settings),
            ["model_settings"] = Models.ModelRegistry.Get(settings.Model).Settings(settings),
        };
        if (dataRecord is not null) extra[DataRecord.Field] = dataRecord.ToJson();
        if (trainer.Selection.Metric == SelectionMetric.Loss) extra["best_valid_loss"] = trainer.BestValue;
        foreach (var strategy in Strategies.StrategyRegistry.On(settings)) extra[$"{strategy.Name}_settings"] = strategy.Settings(settings);
        if (trainer.Data.TimeSplitReport is { } byTime) extra["time_split"] = byTime.ToDictionary();
        if (evaluation.CleanTest is not null) extra["clean_test"] = evaluation.CleanTest;
        if (evaluation.FullRanking is not null) extra["full_ranking"] = evaluation.FullRanking.ToDictionary();
        foreach (var (key, value) in evaluation.StrategyReports) extra[key] = value;
        if (afterFirstEpoch is not null) extra["annotation_after_epoch_1"] = afterFirstEpoch.ToDictionary();
        if (evaluation.Annotation is not null) extra["annotation"] = evaluation.Annotation.ToDictionary();
        if (evaluation.AnnotationBySource is not null) extra["annotation_by_source"] = AnnotationBySource.ToDictionary(evaluation.AnnotationBySource);
        extra[ReportsField] = reports;
        var text = System.Text.Encoding.UTF8.GetBytes(ReportJson.Text(MetricsJson.Document(evaluation.Valid, evaluation.Test, trainer.TrainSeconds, RowsPerSecond(trainer), extra)));
        return (Path.Combine(outputDirectory, MetricsJson.FileName), stream => stream.Write(text));
    }

    /// <summary>How the kept parameters were chosen: the metric, its best value and where it was measured, and what validating cost.</summary>
    private static Dictionary<string, object?> Selection(Trainer trainer) => new()
    {
        ["metric"] = trainer.Selection.Metric.ToString(),
        ["value"] = ReportJson.Number(trainer.BestValue),
        ["epoch"] = trainer.BestEpoch,
        ["step"] = trainer.BestStep,
        ["valid_positives"] = trainer.Selection.Metric.IsRanking ? trainer.Settings.ValidPositives : null,
        ["ranked_users"] = trainer.Selection.Metric.IsRanking ? trainer.Selection.RankedUsers : null,
        ["eval_every"] = trainer.Settings.EvalEvery,
        ["validations"] = trainer.Validations,
        ["validation_seconds"] = trainer.ValidationSeconds,
        ["validation_share_of_training"] = trainer.TrainSeconds > 0 ? trainer.ValidationSeconds / trainer.TrainSeconds : null,
    };

    public static double RowsPerSecond(Trainer trainer) => trainer.RowsTrained / Math.Max(trainer.TrainSeconds, 1e-9);

    private static string Histogram(string outputDirectory, string file, string when, AnnotationQuality annotation)
    {
        var minus = annotation.PositiveWeights.Select(w => 1 - w).ToArray();
        Plots.WeightHistogram(Path.Combine(outputDirectory, file),
            $"IDL weights of {annotation.Rows:N0} sampled unlabeled rows, {when}", annotation.PositiveWeights, minus);
        return file;
    }
}
