using InverseLearning.Data;
using InverseLearning.Training.Artifacts;
using InverseLearning.Training.Reports;

namespace InverseLearning.Training.Cli;

/// <summary>
/// Export's --out where a run wrote: a folder holding a run's metrics.json or checkpoints is that run's, and its model.onnx is the model
/// its metrics.json measured. Another checkpoint exported there put one run's model under another's report, which an experiment then
/// reused as that run's. Only the checkpoint the folder's own model comes from may be exported into it: its best checkpoint, or
/// its last.checkpoint where it saved no best.
/// </summary>
public static class ExportIntoRunFolder
{
    private static readonly string[] RunOwnFiles = [MetricsJson.FileName, Checkpoint.BestFileName, Checkpoint.LastFileName];

    /// <summary>Refuses an --out <paramref name="outDir"/> holding another run's outputs than <paramref name="checkpoint"/>'s model.</summary>
    public static void Require(string? outDir, string checkpoint)
    {
        if (string.IsNullOrWhiteSpace(outDir)) return; // OutputFolder.Prepare names an empty path
        var held = RunOwnFiles.Where(name => File.Exists(Path.Combine(outDir, name))).ToList();
        if (held.Count == 0) return;
        var modelFrom = held.Contains(Checkpoint.BestFileName) ? Checkpoint.BestFileName : Checkpoint.LastFileName;
        if (FileIdentity.Same(checkpoint, Path.Combine(outDir, modelFrom))) return;
        if (FileIdentity.Same(checkpoint, Path.Combine(outDir, Checkpoint.LastFileName)))
            throw new ArgumentException($"--out {outDir} is the folder of the run --checkpoint {checkpoint} comes from, whose model.onnx is its best {Checkpoint.BestFileName}'s, " +
                $"not {Checkpoint.LastFileName}'s; give --checkpoint {Path.Combine(outDir, Checkpoint.BestFileName)}, or export into another folder");
        throw new ArgumentException($"--out {outDir} holds another run's outputs ({string.Join(", ", held)}): the model exported there would stand under that run's report, " +
            "and an experiment would reuse it as that run's; export into another folder, or into the folder of the run --checkpoint comes from");
    }
}
