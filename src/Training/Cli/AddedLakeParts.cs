using InverseLearning.Data;

namespace InverseLearning.Training.Cli;

/// <summary>
/// Tells, when a streamed run ends, of part files added to its lake while it trained: every pass read the parts its first pass
/// listed, and none of them, which eval and export of the lake as it is now read, refusing the run's checkpoint as of other data.
/// (A part removed or rewritten stops the run where it is read.) The lake is listed once, not at every batch.
/// </summary>
internal static class AddedLakeParts
{
    public static void Warn(PreparedDataset data, TextWriter to)
    {
        if (data.Streamed is not { } streamed) return;
        foreach (var part in streamed.AddedParts())
            to.WriteLine($"warning: {part} was added to the lake while this run trained, and the run did not read it; " +
                "eval and export of the lake as it is now read it, and refuse the run's checkpoint as of other data");
    }
}
