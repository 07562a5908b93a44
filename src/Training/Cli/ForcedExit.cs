namespace InverseLearning.Training.Cli;

/// <summary>
/// What must still be done when a command is ended by force (<see cref="TerminationSignals"/>, still running its grace after
/// a signal): no <c>finally</c> of the stuck command runs then, and a run's folder was left holding its lock. A holder
/// registers its release here for as long as it holds; the releases run last registered first, as their <c>using</c>s would.
/// </summary>
public static class ForcedExit
{
    private static readonly List<Action> Releases = [];

    /// <summary>Runs <paramref name="release"/> if the process is ended by force before the returned registration is disposed.</summary>
    public static IDisposable Register(Action release)
    {
        lock (Releases) Releases.Add(release);
        return new Registration(release);
    }

    /// <summary>Runs every registered release, last registered first; one that fails does not keep the others from running.</summary>
    public static void Run()
    {
        Action[] releases;
        lock (Releases) releases = [.. Enumerable.Reverse(Releases)];
        foreach (var release in releases)
        {
            try
            {
                release();
            }
            // The process ends next whatever happens: what one release could not do, the others still try.
            catch (Exception)
            {
            }
        }
    }

    private sealed class Registration(Action release) : IDisposable
    {
        public void Dispose()
        {
            lock (Releases) Releases.Remove(release);
        }
    }
}
