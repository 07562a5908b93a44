using System.Diagnostics;

namespace InverseLearning.Training.Cluster;

/// <summary>The cluster's waits: a run's opening, its epochs' ends, its workers' last word, and calls the cluster has not taken yet.</summary>
internal static class Polling
{
    /// <summary>
    /// Asks until <paramref name="done"/> accepts the answer, and returns it. Between asks, <paramref name="meanwhile"/> is told the
    /// time waited (for progress lines, and checks that end the wait by throwing); <paramref name="stop"/> (Ctrl+C, SIGTERM) ends a
    /// wait of minutes at once; past <paramref name="timeout"/>, a <see cref="TimeoutException"/> says <paramref name="timedOut"/>. Asks every
    /// <paramref name="every"/> (by default 50 ms).
    /// </summary>
    public static T Until<T>(Func<T> ask, Func<T, bool> done, TimeSpan timeout, CancellationToken stop, Func<string> timedOut, TimeSpan? every = null,
        Action<TimeSpan>? meanwhile = null)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var answer = ask();
            if (done(answer)) return answer;
            meanwhile?.Invoke(waited.Elapsed);
            stop.ThrowIfCancellationRequested();
            if (waited.Elapsed > timeout) throw new TimeoutException(timedOut());
            Thread.Sleep(every ?? Every);
        }
    }

    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(50);
}
