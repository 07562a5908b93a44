namespace InverseLearning.Serving;

/// <summary>
/// Settings each valid alone that work against each other: said at start as warnings, not refused, since the server still
/// serves as told.
/// </summary>
public static class SettingsWarnings
{
    public static IEnumerable<string> Of(RankingOptions options)
    {
        // Each request a RankStream has read and not yet answered waits in the scoring queue as a job of its own (a RankBatch is
        // one job): past the queue's limit, one stream alone fills it, and the request that finds it full ends the stream.
        if (options.MaxStreamInFlight > options.MaxQueuedRequests)
            yield return $"--max-stream-in-flight {options.MaxStreamInFlight} is more than --max-queued-requests {options.MaxQueuedRequests}: "
                + "one RankStream alone can fill the scoring queue, and its next request then ends it with RESOURCE_EXHAUSTED";
        // A request over --max-request-bytes is refused for its size: a candidate limit past the ids such a request can hold guards nothing.
        if (options.MaxCandidates > MostCandidates(options.MaxRequestBytes))
            yield return $"--max-candidates {options.MaxCandidates} is more than the {MostCandidates(options.MaxRequestBytes):N0} candidate ids a request of "
                + $"--max-request-bytes {options.MaxRequestBytes} can hold (each id takes a byte at least): no request reaches it, as a longer one is refused for its size";
    }

    /// <summary>
    /// The most candidate ids a request message of <paramref name="requestBytes"/> bytes can hold: a Score request of user 0 (not
    /// written) and ids of a byte each (0 to 127; ids may repeat), packed after the list's one-byte tag and its length. A Rank request
    /// holds fewer (its top_k takes two bytes more), and a RankBatch fewer again.
    /// </summary>
    public static int MostCandidates(int requestBytes)
    {
        var most = requestBytes - 2;
        while (most > 0 && 1 + Google.Protobuf.CodedOutputStream.ComputeLengthSize(most) + most > requestBytes) most--;
        return Math.Max(most, 0);
    }
}
