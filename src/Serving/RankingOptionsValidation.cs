using System.Globalization;
using System.Net;
using System.Numerics;
using System.Text.RegularExpressions;
using InverseLearning.Serving.Operations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace InverseLearning.Serving;

/// <summary>
/// Checks <see cref="RankingOptions"/> on start: the first wrong value fails, named by its flag and configuration key, or by its key
/// and where it came from when a settings file or the environment set it (<paramref name="configuration"/>'s sources).
/// </summary>
public sealed partial class RankingOptionsValidation(IConfiguration configuration) : IValidateOptions<RankingOptions>
{
    public ValidateOptionsResult Validate(string? name, RankingOptions options) =>
        FirstProblem(options, configuration) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;

    /// <summary>The address a host setting names: an IP address, `localhost` (loopback) or `*` (every interface); null for anything else.</summary>
    public static IPAddress? ParseAddress(string host) => host switch
    {
        "localhost" => IPAddress.Loopback,
        "*" => IPAddress.Any,
        _ when IPAddress.TryParse(host, out var address) => address,
        _ => null,
    };

    private static string? FirstProblem(RankingOptions o, IConfiguration c)
    {
        if (string.IsNullOrWhiteSpace(o.ModelPath) == string.IsNullOrWhiteSpace(o.ModelDirectory))
            return $"give exactly one of {Named(nameof(o.ModelPath), c)} (an exported model.onnx) and {Named(nameof(o.ModelDirectory), c)} (a model repository)";
        if (o.ModelDirectory.Length > 0 && !Directory.Exists(o.ModelDirectory))
            return File.Exists(o.ModelDirectory)
                ? $"--model-dir {o.ModelDirectory} is a file, expected a model repository folder (use --model for a single model file)"
                : $"--model-dir {o.ModelDirectory}: folder not found";
        if (o.KeepVersions > 0 && o.ModelDirectory.Length == 0) return "--keep-versions needs --model-dir";
        return Address(nameof(o.Host), o.Host, c)
            ?? Address(nameof(o.AdminHost), o.AdminHost, c)
            ?? WholeNumbers.Select(n => InRange(n.Key, n.Value(o), n.Min, n.Max, c)).FirstOrDefault(problem => problem is not null)
            // The admin plane knows its callers by the port they came in on (AdminAuthentication).
            ?? (o.Port != 0 && o.Port == o.MetricsPort ? $"{Named(nameof(o.Port), c)} and {Named(nameof(o.MetricsPort), c)} are both {o.Port}: the admin port needs a port of its own" : null)
            ?? TimeSettings.Select(t => InRange(t.Key, t.Value(o), t.Min, t.Max, c)).FirstOrDefault(problem => problem is not null)
            ?? (Devices.DeviceNames.All.Contains(o.Device) ? null : $"{Named(nameof(o.Device), c)} must be cpu or cuda (got '{o.Device}'){Devices.DeviceNames.DidYouMean(o.Device)}")
            ?? AdminToken(o)
            ?? Traces(o, c);
    }

    /// <summary>The whole-number settings and their ranges, in the order they are checked.</summary>
    private static readonly (string Key, Func<RankingOptions, int> Value, int Min, int Max)[] WholeNumbers =
    [
        (nameof(RankingOptions.KeepVersions), o => o.KeepVersions, 0, int.MaxValue),
        (nameof(RankingOptions.Port), o => o.Port, 0, 65_535),
        (nameof(RankingOptions.MetricsPort), o => o.MetricsPort, RankingOptions.Off, 65_535),
        (nameof(RankingOptions.MaxTopK), o => o.MaxTopK, 1, RankingOptions.MaxTopKCeiling),
        (nameof(RankingOptions.MaxConnections), o => o.MaxConnections, 1, RankingOptions.MaxConnectionsCeiling),
        (nameof(RankingOptions.MaxStreamsPerConnection), o => o.MaxStreamsPerConnection, 1, RankingOptions.MaxStreamsPerConnectionCeiling),
        (nameof(RankingOptions.Http2StreamWindowBytes), o => o.Http2StreamWindowBytes, RankingOptions.Http2WindowFloor, RankingOptions.Http2WindowCeiling),
        (nameof(RankingOptions.Http2ConnectionWindowBytes), o => o.Http2ConnectionWindowBytes, RankingOptions.Http2WindowFloor, RankingOptions.Http2WindowCeiling),
        (nameof(RankingOptions.MaxConcurrentCalls), o => o.MaxConcurrentCalls, 1, RankingOptions.MaxConcurrentCallsCeiling),
        (nameof(RankingOptions.MaxConcurrentStreams), o => o.MaxConcurrentStreams, 1, RankingOptions.MaxConcurrentCallsCeiling),
        (nameof(RankingOptions.MaxQueuedRequests), o => o.MaxQueuedRequests, 1, RankingOptions.MaxQueuedRequestsCeiling),
        (nameof(RankingOptions.MaxStreamInFlight), o => o.MaxStreamInFlight, 1, RankingOptions.MaxStreamInFlightCeiling),
        (nameof(RankingOptions.MaxStreamAnswerBytes), o => o.MaxStreamAnswerBytes, 1, RankingOptions.MaxStreamAnswerBytesCeiling),
        (nameof(RankingOptions.MaxCandidates), o => o.MaxCandidates, 1, RankingOptions.MaxCandidatesCeiling),
        (nameof(RankingOptions.MaxRequestBytes), o => o.MaxRequestBytes, 1, RankingOptions.MaxRequestBytesCeiling),
        (nameof(RankingOptions.MaxBatchRows), o => o.MaxBatchRows, 1, RankingOptions.MaxBatchRowsCeiling),
        (nameof(RankingOptions.MaxWaitMicroseconds), o => o.MaxWaitMicroseconds, 0, 1_000_000), // a batch never waits more than a second
        (nameof(RankingOptions.IntraOpThreads), o => o.IntraOpThreads, 1, RankingOptions.IntraOpThreadsCeiling),
        (nameof(RankingOptions.RetryAfterMilliseconds), o => o.RetryAfterMilliseconds, 0, 60_000),
    ];

    /// <summary>The time settings and their ranges, in the order they are checked.</summary>
    private static readonly (string Key, Func<RankingOptions, TimeSpan> Value, TimeSpan Min, TimeSpan Max)[] TimeSettings =
    [
        (nameof(RankingOptions.ReloadMinInterval), o => o.ReloadMinInterval, TimeSpan.Zero, RankingOptions.ReloadMinIntervalCeiling),
        (nameof(RankingOptions.ModelPollInterval), o => o.ModelPollInterval, TimeSpan.FromMilliseconds(1), RankingOptions.TimeSettingCeiling),
        (nameof(RankingOptions.DrainTimeout), o => o.DrainTimeout, TimeSpan.Zero, RankingOptions.TimeSettingCeiling),
        (nameof(RankingOptions.StreamIdleTimeout), o => o.StreamIdleTimeout, TimeSpan.Zero, RankingOptions.TimeSettingCeiling),
        (nameof(RankingOptions.TracesFlushTimeout), o => o.TracesFlushTimeout, TimeSpan.Zero, RankingOptions.TimeSettingCeiling),
    ];

    /// <summary>
    /// A whole number past int's range given for the whole-number setting <paramref name="key"/> (any case): refused with the
    /// setting's own range, as one inside int's range is, where the parse alone would only say it is no int; null for anything else.
    /// <paramref name="configuration"/>, where given, says where a value a settings file or the environment set came from.
    /// </summary>
    public static string? PastIntRange(string key, string value, IConfiguration? configuration = null)
    {
        var setting = WholeNumbers.FirstOrDefault(n => string.Equals(n.Key, key, StringComparison.OrdinalIgnoreCase));
        return setting.Key is not null && PastInt(value) is { } number ? $"{Named(setting.Key, configuration)} must be from {setting.Min:N0} to {setting.Max:N0} (got {number:N0})" : null;
    }

    /// <summary>
    /// As <see cref="PastIntRange"/>, for a number of milliseconds given to the flag of the time setting <paramref name="key"/>
    /// (its key takes a time span, which this does not read).
    /// </summary>
    public static string? PastIntRangeOfMilliseconds(string key, string value)
    {
        var setting = TimeSettings.FirstOrDefault(t => t.Key == key);
        return setting.Key is not null && PastInt(value) is { } number ? MillisecondsRange(setting.Key, setting.Min, setting.Max, $"{number:N0} ms") : null;
    }

    /// <summary>A whole number that is no int; null for one that is, and for anything but a whole number.</summary>
    private static BigInteger? PastInt(string value) =>
        !ServeFlags.IsWholeNumber(value, out _) && BigInteger.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number : null;

    private static string? AdminToken(RankingOptions o)
    {
        if (o.AdminTokenFile.Length > 0) return AdminAuthenticationHandler.ReadToken(o.AdminTokenFile).Problem;
        return o.MetricsPort != RankingOptions.Off && !IPAddress.IsLoopback(ParseAddress(o.AdminHost)!)
            ? $"--admin-host {o.AdminHost} is not loopback: give --admin-token-file so that POST /admin/reload needs a bearer token"
            : null;
    }

    private static string? Traces(RankingOptions o, IConfiguration c)
    {
        Uri? uri = null;
        if (o.TracesOtlpEndpoint.Length > 0 && !(Uri.TryCreate(o.TracesOtlpEndpoint, UriKind.Absolute, out uri) && uri.Scheme is "http" or "https"))
            return PortPastRange(o.TracesOtlpEndpoint) is { } port
                ? $"{Named(nameof(o.TracesOtlpEndpoint), c)} '{o.TracesOtlpEndpoint}' has port {port}, past the largest, 65,535"
                : $"{Named(nameof(o.TracesOtlpEndpoint), c)} '{o.TracesOtlpEndpoint}' is not an http:// or https:// URL";
        // Uri forgives spaces around it (and a path of spaces became %20), and a fragment never reaches a server.
        if (o.TracesOtlpEndpoint != o.TracesOtlpEndpoint.Trim() || o.TracesOtlpEndpoint.Contains('#'))
            return $"{Named(nameof(o.TracesOtlpEndpoint), c)} '{o.TracesOtlpEndpoint}' is not a URL an exporter can post to: no spaces around it, and no #fragment";
        // The exporter's HTTP client sends no user information: such credentials were dropped unsaid, and a collector refused every export.
        if (uri is { UserInfo.Length: > 0 })
            return $"{Named(nameof(o.TracesOtlpEndpoint), c)} '{uri.Scheme}://…@{uri.Authority}{uri.PathAndQuery}' holds a user name or password, which the OTLP exporter " +
                "never sends: give the URL without them, and the credentials as a header in OTEL_EXPORTER_OTLP_HEADERS (Authorization=Basic …)";
        return o.TracesOtlpProtocol is "grpc" or "http/protobuf" ? null : $"{Named(nameof(o.TracesOtlpProtocol), c)} must be grpc or http/protobuf (got '{o.TracesOtlpProtocol}')";
    }

    /// <summary>
    /// The port of an http:// or https:// URL that Uri refused for its port alone (`http://localhost:99999`), which the refusal
    /// names rather than calling the whole no URL; null for any other URL.
    /// </summary>
    private static BigInteger? PortPastRange(string url) =>
        UrlPort().Match(url) is { Success: true } match && BigInteger.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture) is var port && port > 65_535 ? port : null;

    /// <summary>Scheme, user information, host (a bracketed IPv6 address too), then the port's digits, where the path, query or fragment begin.</summary>
    [GeneratedRegex(@"^https?://(?:[^@/?#]*@)?(?:\[[^\]]*\]|[^:/?#\[\]]*):(?<port>[0-9]+)(?:[/?#]|$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UrlPort();

    private static string? InRange(string key, int value, int min, int max, IConfiguration c) =>
        value < min || value > max ? $"{Named(key, c)} must be from {min:N0} to {max:N0} (got {value:N0})" : null;

    /// <summary>
    /// A time setting, in the unit its flag takes (milliseconds), or as the time span its key takes when no flag sets it or a settings
    /// file or the environment set it (a key's bare number, read as days, is refused before: ConfigurationCheck).
    /// </summary>
    private static string? InRange(string key, TimeSpan value, TimeSpan min, TimeSpan max, IConfiguration c)
    {
        if (value >= min && value <= max) return null;
        return ConfigurationCheck.Origin(c, $"{RankingOptions.Section}:{key}") is null && ServeFlags.All.Any(f => f.Key == key && f.Kind == ServeFlags.Kind.Milliseconds)
            ? MillisecondsRange(key, min, max, $"{value.TotalMilliseconds:N0} ms")
            : $"{Named(key, c)} must be from {min:c} to {max:c} (got {value:c})";
    }

    private static string MillisecondsRange(string key, TimeSpan min, TimeSpan max, string got) =>
        $"{Named(key)} must be from {min.TotalMilliseconds:N0} to {max.TotalMilliseconds:N0} ms (got {got})";

    private static string? Address(string key, string host, IConfiguration c) => ParseAddress(host) is null
        ? $"{Named(key, c)} '{host}' is not an IP address (use 127.0.0.1, localhost, 0.0.0.0, * or an interface address)"
        : null;

    /// <summary>
    /// A setting as a refusal names it: its key and where its value came from when a settings file or the environment set it
    /// ("Ranking:MaxTopK (in appsettings.json)", "Ranking:MaxTopK (environment variable Ranking__MaxTopK)"), else its flag and key,
    /// "--max-top-k (Ranking:MaxTopK)", or its key alone when no flag sets it.
    /// </summary>
    private static string Named(string key, IConfiguration? configuration = null) =>
        ConfigurationCheck.Origin(configuration, $"{RankingOptions.Section}:{key}") is { } origin ? $"{RankingOptions.Section}:{key} ({origin})"
        : ServeFlags.All.FirstOrDefault(f => f.Key == key) is { } flag ? $"{flag.Name} ({RankingOptions.Section}:{key})" : $"{RankingOptions.Section}:{key}";
}
