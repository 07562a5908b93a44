namespace InverseLearning.Serving.Transport;

/// <summary>Whether a call that ended because its client went away ended at its deadline (DEADLINE_EXCEEDED) or before it (CANCELLED).</summary>
internal static class CallDeadline
{
    /// <summary>
    /// A client gives up at its deadline a little before ours runs out (its clock started first,
    /// before the connection and the network), so an abort that close to the deadline is one.
    /// </summary>
    private static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(50);

    /// <summary>Whether <paramref name="deadline"/> (UTC; DateTime.MaxValue for none) has passed, or all but.</summary>
    public static bool Reached(DateTime deadline) => deadline <= DateTime.UtcNow + Slack;
}
