using InverseLearning.Data.Simulation;

namespace InverseLearning.Data.Tests.Lake;

/// <summary>Day-partitioned lakes written as datagen writes them (staged, then renamed into place), without a simulation's stamp.</summary>
internal static class Lakes
{
    /// <summary>Writes <paramref name="log"/> as the lake <paramref name="dir"/>; returns its row order as a reader sees it (log row indices, day by day).</summary>
    public static int[] Write(InteractionLog log, string dir) =>
        SimulationFiles.Replace(dir, staging => DayPartitionedWriter.WriteDays(log, dir, staging, DayPartitionedWriter.PartFileName, metadata: null).Values.SelectMany(rows => rows).ToArray());
}
