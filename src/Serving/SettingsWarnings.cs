namespace InverseLearning.Serving;

/// <summary>
/// Settings each valid alone that work against each other: said at start as warnings, not refused, since the server still
/// serves as told.
/// </summary>
public static class SettingsWarnings
{
    public static IEnumerable<string> Of(RankingOptions options)
    {
        // Each open RankStream holds one of the call slots as well as its stream slot: with no fewer stream slots than call
        // slots, open streams (idle ones too, up to --stream-idle-timeout-ms) can take every call slot and lock unary calls out.
        if (options.MaxConcurrentStreams >= options.MaxConcurrentCalls)
            yield return $"--max-concurrent-streams {options.MaxConcurrentStreams} is not below --max-concurrent-calls {options.MaxConcurrentCalls}: "
                + "open RankStreams can take every call slot, and unary calls are then refused with RESOURCE_EXHAUSTED";
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
