using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;

namespace InverseLearning.Serving;

/// <summary>
/// Top-level sections of the settings files (appsettings.json, appsettings.ENVIRONMENT.json) that nothing in the host reads: a
/// misspelt `"Rankng": { "MaxTopK": 5 }` leaves every setting at its default, unseen. Only the files are judged: the environment
/// holds every variable of the machine (PATH, DOTNET_*, ASPNETCORE_* ...), none of them meant for the server. A warning, not a
/// refusal: .NET and its libraries may read a key this list lacks, and a newer runtime may add some.
/// </summary>
public static class SettingsFileSections
{
    /// <summary>
    /// What the server (Ranking), ASP.NET Core, .NET's hosting and logging read at the top level; OpenTelemetry reads OTEL_* too. The
    /// hosting URLs (Urls, HTTP_PORTS ...) are read by the host: the configuration check refuses one that sets a listener, and an
    /// empty one sets nothing, as its environment variable does.
    /// </summary>
    private static readonly string[] Read =
    [
        RankingOptions.Section, "Logging", "AllowedHosts", "Kestrel", "Environment",
        "ApplicationName", "ContentRoot", "WebRoot", "DetailedErrors", "ShutdownTimeoutSeconds", "SuppressStatusMessages",
        "HostingStartupAssemblies", "HostingStartupExcludeAssemblies", "PreventHostingStartup", "hostBuilder", .. ConfigurationCheck.HostingUrls,
    ];

    /// <summary>What OpenTelemetry's own settings begin with (OTEL_EXPORTER_OTLP_HEADERS ...).</summary>
    internal const string OpenTelemetryPrefix = "OTEL_";

    /// <summary>Editors read a file's JSON schema from `$schema`.</summary>
    private const string Schema = "$schema";

    /// <summary>One warning for each top-level section of a settings file that nothing reads, naming the file and the section it looks like.</summary>
    public static IEnumerable<string> Unread(IConfigurationRoot configuration) =>
        from file in configuration.Providers.OfType<JsonConfigurationProvider>()
        from section in file.GetChildKeys([], parentPath: null).Distinct(StringComparer.OrdinalIgnoreCase)
        where !Read.Contains(section, StringComparer.OrdinalIgnoreCase) && section != Schema && !section.StartsWith(OpenTelemetryPrefix, StringComparison.OrdinalIgnoreCase)
        select Spelling.Nearest(section, Read) is { } meant
            ? $"{file.Source.Path}: section '{section}' is read by nothing here, so its settings are ignored; did you mean {meant}?"
            : $"{file.Source.Path}: section '{section}' is read by nothing here, so its settings are ignored (the server's own go under {RankingOptions.Section})";
}
