using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Logging;

namespace InverseLearning.Serving;

/// <summary>
/// The log's levels, in code rather than in appsettings.json: a settings file that replaced the shipped one with no Logging section
/// of its own (README's `{ "Ranking": { "MaxTopK": 500 } }`) brought back a stack trace and four log lines per call, and a warning
/// at every start. Beneath every other source, so that a settings file or the environment overrides a level key by key, the rest kept.
/// </summary>
public static class LogLevelDefaults
{
    /// <summary>The default levels, as configuration keys.</summary>
    public static IReadOnlyDictionary<string, string?> Levels { get; } = new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        // Refused calls (INVALID_ARGUMENT, RESOURCE_EXHAUSTED ...) are the client's business, not a stack trace in our log.
        ["Logging:LogLevel:Grpc.AspNetCore.Server"] = "Warning",
        // A refused admin request ("AuthenticationScheme: Admin was forbidden") is the caller's answer, not the operator's news: at
        // Information, anyone reaching the port could write the log a line per request, no token needed.
        [$"Logging:LogLevel:{typeof(Operations.AdminAuthenticationHandler).FullName}"] = "Warning",
        // A connection refused at --max-connections was a warning each, unthrottled: a reconnect storm flooded the log. RefusedConnections
        // tells them once a minute at most, and kestrel_rejected_connections_total counts each; the category's other lines are below Warning.
        [$"Logging:LogLevel:{Operations.RefusedConnections.KestrelMeterName}.Connections"] = "Error",
        // Its keys are kept in memory, unencrypted, on purpose: nothing is protected with them (AdminEndpoints).
        ["Logging:LogLevel:Microsoft.AspNetCore.DataProtection"] = "Error",
    };

    /// <summary>The host's own log, whatever the settings say: a failed start is one error line (RankingServer.Run), not also its stack trace.</summary>
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    /// <summary>Puts <see cref="Levels"/> beneath the sources <paramref name="builder"/> has, and silences the host's own log.</summary>
    public static void AddLogLevelDefaults(this WebApplicationBuilder builder)
    {
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Levels });
        builder.Logging.AddFilter(HostCategory, LogLevel.None);
    }
}
