using InverseLearning.Training.Artifacts;
using InverseLearning.Training.Reports;

namespace InverseLearning.Training;

/// <summary>The files a run writes in its folder under fixed names: what serves it, its report and its checkpoints.</summary>
public static class RunFiles
{
    /// <summary>
    /// model.onnx, seen.parquet, metrics.json, checkpoint and last.checkpoint. A folder standing where one goes is refused before
    /// the run, which would otherwise fail only when it writes that file; a finished run is reused only with them in place.
    /// </summary>
    public static IReadOnlyList<string> Written { get; } =
        [InferenceModel.FileName, InferenceModel.SeenFileName, MetricsJson.FileName, Checkpoint.BestFileName, Checkpoint.LastFileName];
}
