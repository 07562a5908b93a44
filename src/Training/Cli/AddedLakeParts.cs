using InverseLearning.Data;

namespace InverseLearning.Training.Cli;

/// <summary>
/// Tells, when a streamed run ends, of part files added to its lake while it trained: every pass read the parts its first pass
/// listed, and none of them; eval and export of the run's checkpoint read the parts it recorded, and leave the added ones out too.
/// (A part removed or rewritten stops the run where it is read.) The lake is listed once, not at every batch.
/// </summary>
internal static class AddedLakeParts
{
    /// <param name="ofExperiment">An experiment's runs trained (told once, after all of them), not one run.</param>
    public static void Warn(PreparedDataset data, TextWriter to, bool ofExperiment = false)
    {
        if (data.Streamed is not { } streamed) return;
        var (runs, read, checkpoints) = ofExperiment
            ? ("this experiment's runs", "none of them read it", "their checkpoints")
            : ("this run", "the run did not read it", "the run's checkpoint");
        foreach (var part in streamed.AddedParts())
            to.WriteLine($"warning: {part} was added to the lake while {runs} trained, and {read}; " +
                $"eval and export of {checkpoints} leave it out too, reading the parts the run read");
    }
}
