namespace InverseLearning.Serving.Transport;

/// <summary>
/// The limits of the Ranker call being served, for the request parsers of <see cref="StrictRankerBinding"/>. gRPC binds those
/// once per process, with no service instance and no options, and hands a parser nothing of its call but the bytes, while one
/// process may run servers with limits of their own (the tests do): the limit travels with the call's async flow, set by
/// <see cref="GrpcAdmission"/> before gRPC reads the message. A parse outside a Ranker call (none set) is not limited here.
/// </summary>
internal static class CallLimits
{
    private static readonly AsyncLocal<int> Candidates = new();

    /// <summary>The most candidates (Rank, RankStream) or items (Score) one request of the call may carry.</summary>
    public static int MaxCandidates
    {
        get => Candidates.Value is > 0 and var limit ? limit : int.MaxValue;
        set => Candidates.Value = value;
    }
}
