using System.Collections;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Logging;

namespace InverseLearning.Serving;

/// <summary>
/// The settings the host reads, checked as configuration gives them, before they are bound: the binder skips a
/// key it does not know, so a misspelt setting would silently serve the default; it reads hexadecimal into a
/// number and words its own errors for a value it cannot convert; and a log level it cannot read would stop the
/// host with a stack trace.
/// </summary>
public static class ConfigurationCheck
{
    private static readonly Dictionary<string, Type> Settings = typeof(RankingOptions).GetProperties()
        .Where(property => property.CanWrite).ToDictionary(property => property.Name, property => property.PropertyType, StringComparer.OrdinalIgnoreCase);

    /// <summary>The first setting that cannot be what it says, named by its key; null when all can.</summary>
    public static string? FirstProblem(IConfiguration configuration) =>
        Ranking(configuration) ?? Listeners(configuration) ?? LogLevelProblem(configuration) ?? ConsoleFormatter(configuration) ?? TraceHeaders(configuration) ?? TraceSampler(configuration);

    private const string ConsoleFormatterKey = "Logging:Console:FormatterName";

    /// <summary>
    /// A console formatter other than the simple one the server always logs with (one escaped line per event): the host
    /// chooses it in code, over this key, so `json` or `systemd` was silently ignored. Refused rather than honoured: the escaping
    /// of what clients send (EscapingConsoleFormatter) is the simple formatter's.
    /// </summary>
    private static string? ConsoleFormatter(IConfiguration configuration)
    {
        if (configuration[ConsoleFormatterKey] is not { Length: > 0 } name || name.Equals("simple", StringComparison.OrdinalIgnoreCase)) return null;
        var origin = Origin(configuration, ConsoleFormatterKey) is { } from ? $" ({from})" : "";
        return $"{ConsoleFormatterKey} is {ServeFlags.Quoted(name)}{origin}, a console formatter the server does not use: it always logs one line per event "
            + "(the simple formatter, clients' text escaped); remove the setting";
    }

    /// <summary>
    /// Two environment variables that set one key of the server's settings, their names differing only in case or in the
    /// separator (`Ranking__MaxTopK=0` and `RANKING__MAXTOPK=5`, or `Ranking:MaxTopK=5`): configuration keys ignore case and read
    /// `__` as `:`, so one of them won, by the order the process happened to list its environment in. Null when no two do.
    /// </summary>
    public static string? CaseTwins(IDictionary environment)
    {
        var names = environment.Keys.Cast<string>().ToList();
        foreach (var prefix in EnvironmentPrefixes)
        {
            var twins = names.Where(name => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .GroupBy(name => KeyOf(name[prefix.Length..]), StringComparer.OrdinalIgnoreCase)
                .FirstOrDefault(key => Judged(key.Key) && key.Count() > 1);
            if (twins is null) continue;
            var named = $"the environment variables {string.Join(" and ", twins.Order(StringComparer.Ordinal))} name one setting";
            return twins.Distinct(StringComparer.OrdinalIgnoreCase).Count() == 1
                ? $"{named}, differing only in case: configuration keys ignore case, so which one wins is left to chance; keep one"
                : $"{named}, one with ':' where the other has '__': configuration reads '__' as ':' (and ignores case), so which one wins is left to chance; keep one";
        }
        return null;
    }

    /// <summary>Whether the environment variable <paramref name="variable"/>, under one of the host's prefixes, sets <paramref name="key"/>.</summary>
    private static bool Sets(string variable, string key) => EnvironmentPrefixes.Any(prefix =>
        variable.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && KeyOf(variable[prefix.Length..]).Equals(key, StringComparison.OrdinalIgnoreCase));

    /// <summary>The configuration key an environment variable's name (its prefix taken off) sets, as .NET reads it.</summary>
    private static string KeyOf(string variable) => variable.Replace("__", ":", StringComparison.Ordinal);

    /// <summary>The prefixes under which the host reads environment variables as configuration: none, and .NET's two.</summary>
    private static readonly string[] EnvironmentPrefixes = ["", "ASPNETCORE_", "DOTNET_"];

    /// <summary>A configuration key the server's settings, log levels, listeners or traces are read from: the ones this check judges.</summary>
    private static bool Judged(string key) =>
        new[] { RankingOptions.Section, "Logging", "Kestrel" }.Any(section => key.Equals(section, StringComparison.OrdinalIgnoreCase) || key.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase))
        || HostingUrls.Contains(key, StringComparer.OrdinalIgnoreCase)
        || key.StartsWith(SettingsFileSections.OpenTelemetryPrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Kestrel would open an endpoint of its configuration beside the server's own two, on any address it names and unseen by
    /// the admission, the admin plane's port check and the start line; and hosting URLs (ASPNETCORE_URLS, ASPNETCORE_HTTP_PORTS ...)
    /// with PreferHostingUrls replaced the server's two, its admin port included, while the start line still named them. The
    /// server's listeners are set by its own settings only: an empty value (a base image's default cleared) sets nothing.
    /// </summary>
    private static string? Listeners(IConfiguration configuration)
    {
        if (configuration.GetSection("Kestrel:Endpoints").GetChildren().FirstOrDefault() is { } endpoint)
            return $"{endpoint.Path} is an endpoint the server would not own; {OwnListeners}";
        foreach (var key in HostingUrls)
        {
            // Hosting reads one value per key: a list (a settings file's "Urls": [...]) is read as none, what the user meant ignored.
            if (configuration.GetSection(key).GetChildren().FirstOrDefault() is { } item)
                return $"{key}{SourceOf(configuration, item.Path, item.Value ?? "")} is a list ({item.Path} is {ServeFlags.Quoted(item.Value ?? "")}), which hosting reads as nothing; " +
                    $"hosting URLs are listeners the server would not own; {OwnListeners}";
            // Hosting reads PreferHostingUrls as true for "true" or "1" alone (any case, untrimmed): false leaves the server's listeners theirs.
            if (configuration[key] is { Length: > 0 } value && (key != "PreferHostingUrls" || value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1"))
                return $"{key}{SourceOf(configuration, key, value)} is {ServeFlags.Quoted(value)}: hosting URLs are listeners the server would not own; {OwnListeners}";
        }
        return null;
    }

    private const string OwnListeners = "its listeners are --host/--port (Ranking:Host, Ranking:Port) and --admin-host/--metrics-port";

    /// <summary>
    /// The hosting settings that name listeners, or make them win over the server's: each read from ASPNETCORE_KEY, DOTNET_KEY,
    /// KEY or a settings file. The settings files' check takes them as read (an empty one is allowed).
    /// </summary>
    internal static readonly string[] HostingUrls = ["Urls", "HTTP_PORTS", "HTTPS_PORTS", "PreferHostingUrls"];

    /// <summary>
    /// Where <paramref name="key"/>'s <paramref name="value"/> came from, as " (WHERE)": the environment variables that set it, as
    /// they are spelt, or the settings file; empty for another source (a flag, a test's own).
    /// </summary>
    private static string SourceOf(IConfiguration configuration, string key, string value)
    {
        var provider = ProviderOf(configuration, key, out _);
        if (provider is FileConfigurationProvider file) return $" (in {file.Source.Path})";
        if (provider is not EnvironmentVariablesConfigurationProvider) return "";
        var variables = VariablesSetting(key, value);
        return variables.Count > 0 ? $" ({string.Join(" and ", variables)})" : "";
    }

    /// <summary>
    /// Where the value of <paramref name="key"/> came from, as a refusal of it says: "in appsettings.json" (the settings file as
    /// configuration names it) or "environment variable Ranking__MaxTopK"; null for a flag, a default or another source (a test's
    /// own), which the flag's name and key say as they always have.
    /// </summary>
    internal static string? Origin(IConfiguration? configuration, string key)
    {
        var provider = ProviderOf(configuration, key, out var value);
        if (provider is FileConfigurationProvider file) return $"in {file.Source.Path}";
        if (provider is not EnvironmentVariablesConfigurationProvider) return null;
        return VariablesSetting(key, value) switch
        {
            [] => "the environment",
            [var variable] => $"environment variable {variable}",
            var variables => $"environment variables {string.Join(" and ", variables)}",
        };
    }

    /// <summary>The provider whose value of <paramref name="key"/> configuration reads: of those that have one, the last added.</summary>
    private static IConfigurationProvider? ProviderOf(IConfiguration? configuration, string key, out string? value)
    {
        value = null;
        foreach (var provider in (configuration as IConfigurationRoot)?.Providers.Reverse() ?? [])
            if (provider.TryGet(key, out value)) return provider;
        return null;
    }

    /// <summary>
    /// Each environment variable that sets <paramref name="key"/> to <paramref name="value"/>, as it is spelt: which prefix the
    /// provider was given it does not say.
    /// </summary>
    private static List<string> VariablesSetting(string key, string? value) =>
        Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .Where(variable => (string?)variable.Value == value && Sets((string)variable.Key, key))
            .Select(variable => (string)variable.Key).Order(StringComparer.Ordinal).ToList();

    private static string? Ranking(IConfiguration configuration)
    {
        var section = configuration.GetSection(RankingOptions.Section);
        if (section.Value is { } value) return $"{section.Path} is '{value}', expected a section of settings such as {section.Path}:MaxTopK";
        foreach (var setting in section.GetChildren())
        {
            if (!Settings.TryGetValue(setting.Key, out var type))
            {
                var flag = ServeFlags.All.FirstOrDefault(f => string.Equals(f.Name.Replace("-", ""), setting.Key, StringComparison.OrdinalIgnoreCase));
                var hint = flag is not null ? $"; {flag.Name} sets {flag.ConfigurationKey}"
                    : Spelling.Nearest(setting.Key, Settings.Keys) is { } meant ? $"; did you mean {section.Path}:{meant}?" : "";
                return $"{setting.Path} is not a setting of the server{hint} (inverselearning-serve --help lists each flag with its key)";
            }
            if (setting.GetChildren().Any()) return $"{setting.Path} holds a section, expected one value";
            if (RankingOptionsValidation.PastIntRange(setting.Key, setting.Value ?? "", configuration) is { } range) return range;
            if (Shape(setting.Key, setting.Value ?? "", type) is { } expected)
            {
                // A flag whose value differs in kind from its key's (a switch; milliseconds for a time span) is not named: the key alone is.
                var flag = FlagSetting(setting.Key, ServeFlags.Kind.Integer, ServeFlags.Kind.Text);
                // Set by a settings file or the environment, where it came from is named, not a flag that was never given.
                var named = Origin(configuration, setting.Path) is { } origin ? $"{setting.Path} ({origin})" : flag is null ? setting.Path : $"{flag.Name} ({setting.Path})";
                return $"{named} takes {expected}, got {ServeFlags.Quoted(setting.Value ?? "")}";
            }
        }
        return null;
    }

    /// <summary>
    /// What a value of <paramref name="type"/> must look like, when <paramref name="value"/> does not; null when it does. As strict
    /// as the flags: the binder would take hexadecimal, refuse an empty number or JSON's null with its own words, and take an empty text.
    /// </summary>
    private static string? Shape(string key, string value, Type type) => type switch
    {
        // A time span without ':' parses, as days: `Ranking__ReloadMinInterval=1` allowed one reload a day, `DrainTimeout=5` was five days.
        _ when type == typeof(TimeSpan) && !value.Contains(':') && TimeSpan.TryParseExact(value, "c", CultureInfo.InvariantCulture, out _) => $"a time span written hh:mm:ss such as 00:00:05 (a bare number is read as days{MillisecondsFlag(key)})",
        // An empty path or address was the setting's default, silently: `Ranking__AdminTokenFile=` served with no token at all.
        _ when type == typeof(string) && value.Length == 0 => "a non-empty value (leave the key out for its default)",
        _ when type == typeof(int) => ServeFlags.IsWholeNumber(value, out _) ? null : "a whole number",
        // bool.TryParse forgives surrounding spaces, which a number here does not get.
        _ when type == typeof(bool) => value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("false", StringComparison.OrdinalIgnoreCase) ? null : "true or false",
        _ when type == typeof(TimeSpan) => TimeSpan.TryParseExact(value, "c", CultureInfo.InvariantCulture, out _) ? null : "a time span such as 00:00:01.5 (hh:mm:ss)",
        _ => null,
    };

    /// <summary>"; FLAG takes milliseconds" for a time key a flag sets in milliseconds; empty for another.</summary>
    private static string MillisecondsFlag(string key) =>
        FlagSetting(key, ServeFlags.Kind.Milliseconds) is { } flag ? $"; {flag.Name} takes milliseconds" : "";

    /// <summary>The flag that sets <paramref name="key"/> (in any case) with a value of one of <paramref name="kinds"/>; null when none does.</summary>
    private static ServeFlags.Flag? FlagSetting(string key, params ServeFlags.Kind[] kinds) =>
        ServeFlags.All.FirstOrDefault(f => string.Equals(f.Key, key, StringComparison.OrdinalIgnoreCase) && kinds.Contains(f.Kind));

    /// <summary>
    /// Every value .NET reads as a log level: under `Logging:LogLevel` and each provider's `Logging:NAME:LogLevel`, at any depth (keys in
    /// any case). Any host built from configuration reads them (the cluster's silos and clients too).
    /// </summary>
    public static string? LogLevelProblem(IConfiguration configuration)
    {
        foreach (var child in configuration.GetSection("Logging").GetChildren())
        {
            var levels = string.Equals(child.Key, "LogLevel", StringComparison.OrdinalIgnoreCase) ? child : child.GetSection("LogLevel");
            foreach (var level in levels.AsEnumerable())
                // Enum.TryParse takes any number too ("7", "-1"), and a level past None logged nothing at all; it also takes a list
                // ("Information,Warning") as flags ORed together, one level (Warning) the text does not say.
                if (level.Value is { Length: > 0 } text && (text.Contains(',') || !(Enum.TryParse<LogLevel>(text, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed))))
                    return $"{level.Key} is '{text}', expected one of {string.Join(", ", Enum.GetNames<LogLevel>())}";
        }
        return null;
    }

    /// <summary>
    /// The headers OpenTelemetry's exporter sends with the traces, checked when tracing is on: one without '=' stopped the start with
    /// the exporter's "Headers provided in an invalid format.", naming neither the variable nor the form; a name HTTP does not allow
    /// ("a b=c") started, and every export failed, unseen. The values are not shown: a header often carries a token.
    /// </summary>
    private static string? TraceHeaders(IConfiguration configuration)
    {
        if (configuration[$"{RankingOptions.Section}:{nameof(RankingOptions.TracesOtlpEndpoint)}"] is not { Length: > 0 }) return null;
        foreach (var variable in new[] { "OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TRACES_HEADERS" })
        {
            if (configuration[variable] is not { Length: > 0 } headers) continue;
            var expected = $"expected key=value,key2=value2 for the traces --traces-otlp-endpoint sends";
            // The exporter decodes the whole value (%2C is a comma too), then splits it at each ',' and each entry at its first '='.
            var entries = Uri.UnescapeDataString(headers).Split(',');
            for (var i = 0; i < entries.Length; i++)
            {
                var at = entries.Length == 1 ? "it" : $"its entry {i + 1} of {entries.Length}";
                var pair = entries[i].Split('=', 2);
                if (pair.Length == 1) return $"{variable}: {at} has no '=', {expected}";
                var name = pair[0].Trim();
                if (name.Length == 0 || !name.All(IsHeaderNameCharacter))
                    return $"{variable}: {at} is named {ServeFlags.Quoted(name)}, not a header name (letters, digits and !#$%&'*+-.^_`|~), {expected}";
                if (pair[1].Any(char.IsControl)) return $"{variable}: the value of {ServeFlags.Quoted(name)} holds a control character (a line break?), {expected}";
            }
        }
        return null;
    }

    /// <summary>The samplers OpenTelemetry's SDK reads from OTEL_TRACES_SAMPLER (in any case, untrimmed); the *traceidratio ones take a ratio.</summary>
    private static readonly string[] Samplers =
        ["always_on", "always_off", "traceidratio", "parentbased_always_on", "parentbased_always_off", "parentbased_traceidratio"];

    /// <summary>
    /// The sampler OpenTelemetry's SDK reads from configuration, checked when tracing is on: a name it does not know, or a ratio it
    /// cannot read or that is outside [0, 1], it ignores with a warning to its EventSource only, and traced every call.
    /// </summary>
    private static string? TraceSampler(IConfiguration configuration)
    {
        if (configuration[$"{RankingOptions.Section}:{nameof(RankingOptions.TracesOtlpEndpoint)}"] is not { Length: > 0 }) return null;
        // Empty is unset to the SDK too: its default, parentbased_always_on.
        if (configuration["OTEL_TRACES_SAMPLER"] is not { Length: > 0 } sampler) return null;
        if (!Samplers.Contains(sampler, StringComparer.OrdinalIgnoreCase))
            return $"OTEL_TRACES_SAMPLER is {ServeFlags.Quoted(sampler)}, expected one of {string.Join(", ", Samplers)} (any case)";
        if (!sampler.EndsWith("traceidratio", StringComparison.OrdinalIgnoreCase)) return null;
        var ratio = configuration["OTEL_TRACES_SAMPLER_ARG"];
        // As the SDK reads it, and then refuses NaN and values outside [0, 1] (it traced every call for those, and for none).
        return double.TryParse(ratio, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var parsed) && parsed is >= 0 and <= 1
            ? null
            : $"OTEL_TRACES_SAMPLER_ARG is {(ratio is null ? "not set" : ServeFlags.Quoted(ratio))}, expected the ratio of calls the {sampler} sampler traces, a number from 0 to 1 (0.25 for a quarter)";
    }

    /// <summary>A character HTTP allows in a header's name (RFC 9110's tchar).</summary>
    private static bool IsHeaderNameCharacter(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c);
}
