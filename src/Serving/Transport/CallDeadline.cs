namespace InverseLearning.Serving.Transport;

/// <summary>Whether a call that ended because its client went away ended at its deadline (DEADLINE_EXCEEDED) or before it (CANCELLED).</summary>
internal static class CallDeadline
{
    /// <summary>
    /// A client gives up at its deadline before ours runs out: its clock started first, before the network and, on a fresh
    /// channel, before the connection was set up, which is paid out of the call's own budget and grows with what the client
    /// allowed for it. So an abort within a quarter of the call's grpc-timeout of the deadline is one, within 50 ms at least
    /// (a warm channel's lag) and 1 s at most (a client that cancels a long call that close to its deadline is counted as if it had timed out).
    /// </summary>
    private static readonly TimeSpan LeastSlack = TimeSpan.FromMilliseconds(50), MostSlack = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Whether <paramref name="deadline"/> (UTC; DateTime.MaxValue for none) has passed, or all but, for a call whose
    /// grpc-timeout was <paramref name="timeout"/> (null when none could be read).
    /// </summary>
    public static bool Reached(DateTime deadline, TimeSpan? timeout) => deadline <= DateTime.UtcNow + Slack(timeout);

    internal static TimeSpan Slack(TimeSpan? timeout) =>
        timeout is { } sent ? TimeSpan.FromTicks(Math.Clamp(sent.Ticks / 4, LeastSlack.Ticks, MostSlack.Ticks)) : LeastSlack;
}
