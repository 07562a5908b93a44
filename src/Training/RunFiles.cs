using InverseLearning.Training.Analysis;
using InverseLearning.Training.Artifacts;
using InverseLearning.Training.Cluster;
using InverseLearning.Training.Reports;
using InverseLearning.Training.Stages;

namespace InverseLearning.Training;

/// <summary>
/// The files a run writes in its folder under fixed names, one list per kind of writer. A folder standing where any of them goes
/// is refused before the run (<see cref="Slots"/>): found only when the file is written, it failed the run after its training, and
/// a report written before that one (metrics.json before the histograms) was left for a later experiment to reuse.
/// </summary>
public static class RunFiles
{
    /// <summary>
    /// model.onnx, seen.parquet, metrics.json, checkpoint and last.checkpoint: what serves the run, its report and its checkpoints.
    /// A finished run is reused only with them in place.
    /// </summary>
    public static IReadOnlyList<string> Written { get; } =
        [InferenceModel.FileName, InferenceModel.SeenFileName, MetricsJson.FileName, Checkpoint.BestFileName, Checkpoint.LastFileName];

    /// <summary>The training graphs in ORT's on-device training layout (<see cref="TrainingArtifacts"/>).</summary>
    public static IReadOnlyList<string> Graphs { get; } = [TrainingArtifacts.TrainingModel, TrainingArtifacts.EvalModel, TrainingArtifacts.OptimizerModel];

    /// <summary>
    /// The reports some methods write beside metrics.json: IDL's epoch-1 annotation and its weight histograms (after epoch 1 and
    /// at the best epoch; the only epoch numbered is the first), and IG's convergence log and plot.
    /// </summary>
    public static IReadOnlyList<string> Reports { get; } =
        [FirstEpochAnnotation.FileName, ReportStage.FirstEpochHistogram, ReportStage.FinalHistogram, ConvergenceLog.FileName, ConvergenceLog.PlotFileName];

    /// <summary>A cluster run's record of its run (kept until the run ends) and its report.</summary>
    public static IReadOnlyList<string> ClusterReports { get; } = [ClusterRunRecord.FileName, ClusterReport.FileName];

    /// <summary>Every file a run may write in its folder (the lock file is <see cref="Cli.OutputFolder.Lock"/>'s to check).</summary>
    public static IReadOnlyList<string> Slots { get; } = [.. Written, .. Graphs, .. Reports, .. ClusterReports];
}
