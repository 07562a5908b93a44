namespace InverseLearning.Training.Cluster;

/// <summary>
/// The workers a coordinator started on its own machine (train --spawn-workers), as its wait for them to join sees them: one
/// whose process has ended will never join, so the wait stops at once naming it, not after its patience.
/// </summary>
public interface IStartedWorkers
{
    /// <summary>The indexes of the started workers whose process has ended.</summary>
    IReadOnlyList<int> Ended { get; }

    /// <summary>How worker <paramref name="index"/> ended: its exit code, its log file and the last line it wrote.</summary>
    string HowEnded(int index);
}
