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
    }
}
