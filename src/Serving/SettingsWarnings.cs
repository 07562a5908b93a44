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
    }
}
