using System.Globalization;
using System.Text;

namespace InverseLearning.Serving;

/// <summary>
/// The serving host's command-line flags. Each one sets a configuration key of
/// <see cref="RankingOptions"/> under `Ranking:` and overrides what appsettings.json and the
/// environment (`Ranking__MaxTopK`) say; values are checked on start, with the options.
/// </summary>
public static class ServeFlags
{
    public enum Kind { Text, Integer, Milliseconds, TurnsOff }

    /// <param name="Key">The <see cref="RankingOptions"/> property the flag sets.</param>
    /// <param name="Default">The default, as the flag spells it.</param>
    public sealed record Flag(string Name, string Key, Kind Kind, string Description, Func<RankingOptions, object> Default)
    {
        public string ConfigurationKey => $"{RankingOptions.Section}:{Key}";

        /// <summary>The flag's help: what it does, its configuration key and its default.</summary>
        public string Help
        {
            get
            {
                var value = Default(new RankingOptions());
                var defaultValue = Kind switch
                {
                    Kind.TurnsOff => "",
                    // The flag takes milliseconds, its key a time span: a bare number there would be days.
                    Kind.Milliseconds => FormattableString.Invariant($"{value} ms; the key takes a time span, {TimeSpan.FromMilliseconds(Convert.ToDouble(value, CultureInfo.InvariantCulture)):c}"),
                    _ => Convert.ToString(value, CultureInfo.InvariantCulture),
                };
                return $"{Description} [{ConfigurationKey}{(string.IsNullOrEmpty(defaultValue) ? "" : $", default {defaultValue}")}]";
            }
        }
    }

    public static IReadOnlyList<Flag> All { get; } =
    [
        new("--model", nameof(RankingOptions.ModelPath), Kind.Text, "the exported model.onnx (seen.parquet beside it enables Recommend exclude_seen)", o => o.ModelPath),
        new("--model-dir", nameof(RankingOptions.ModelDirectory), Kind.Text, "a model repository (numbered versions written by export --repository): serve the newest complete one, swap when a newer appears", o => o.ModelDirectory),
        new("--keep-versions", nameof(RankingOptions.KeepVersions), Kind.Integer, "with --model-dir, delete all but the N newest versions after each swap (0 keeps all)", o => o.KeepVersions),
        new("--host", nameof(RankingOptions.Host), Kind.Text, "address the gRPC port binds (loopback unless you mean to expose it)", o => o.Host),
        new("--port", nameof(RankingOptions.Port), Kind.Integer, "gRPC port (HTTP/2 cleartext); 0 picks a free one", o => o.Port),
        new("--metrics-port", nameof(RankingOptions.MetricsPort), Kind.Integer, "HTTP/1 port for /metrics (OpenTelemetry, Prometheus text) and POST /admin/reload; -1 turns it off", o => o.MetricsPort),
        new("--admin-host", nameof(RankingOptions.AdminHost), Kind.Text, "address the metrics/admin port binds, whatever --host says", o => o.AdminHost),
        new("--admin-token-file", nameof(RankingOptions.AdminTokenFile), Kind.Text, "file holding the bearer token POST /admin/reload requires (mandatory when --admin-host is not loopback)", o => o.AdminTokenFile),
        new("--reload-interval-ms", nameof(RankingOptions.ReloadMinInterval), Kind.Milliseconds, "least time between two admin reloads; sooner ones get 429", o => o.ReloadMinInterval.TotalMilliseconds),
        new("--max-batch-rows", nameof(RankingOptions.MaxBatchRows), Kind.Integer, $"most rows coalesced into one ONNX Runtime run (at most {RankingOptions.MaxBatchRowsCeiling:N0})", o => o.MaxBatchRows),
        new("--max-wait-us", nameof(RankingOptions.MaxWaitMicroseconds), Kind.Integer, "µs a batch may wait for more requests before it runs (0: run with what is queued; at most 1,000,000)", o => o.MaxWaitMicroseconds),
        new("--max-candidates", nameof(RankingOptions.MaxCandidates), Kind.Integer, $"most items per Score/Rank request (at most {RankingOptions.MaxCandidatesCeiling:N0})", o => o.MaxCandidates),
        new("--max-request-bytes", nameof(RankingOptions.MaxRequestBytes), Kind.Integer, $"largest request message accepted (at most {RankingOptions.MaxRequestBytesCeiling:N0})", o => o.MaxRequestBytes),
        new("--max-top-k", nameof(RankingOptions.MaxTopK), Kind.Integer, $"largest top_k Recommend accepts (at most {RankingOptions.MaxTopKCeiling:N0})", o => o.MaxTopK),
        new("--max-connections", nameof(RankingOptions.MaxConnections), Kind.Integer, $"most open client connections (at most {RankingOptions.MaxConnectionsCeiling:N0})", o => o.MaxConnections),
        new("--max-streams-per-connection", nameof(RankingOptions.MaxStreamsPerConnection), Kind.Integer, $"most concurrent HTTP/2 streams per connection (at most {RankingOptions.MaxStreamsPerConnectionCeiling:N0})", o => o.MaxStreamsPerConnection),
        new("--http2-stream-window-bytes", nameof(RankingOptions.Http2StreamWindowBytes), Kind.Integer, $"request bytes an HTTP/2 stream may send ahead of the server's reads: what a stream that is not read can make it buffer ({RankingOptions.Http2WindowFloor:N0} to {RankingOptions.Http2WindowCeiling:N0})", o => o.Http2StreamWindowBytes),
        new("--http2-connection-window-bytes", nameof(RankingOptions.Http2ConnectionWindowBytes), Kind.Integer, $"the same for a whole HTTP/2 connection, its streams together ({RankingOptions.Http2WindowFloor:N0} to {RankingOptions.Http2WindowCeiling:N0})", o => o.Http2ConnectionWindowBytes),
        new("--max-concurrent-calls", nameof(RankingOptions.MaxConcurrentCalls), Kind.Integer, $"most Ranker calls in progress; more get RESOURCE_EXHAUSTED with retry-after-ms (at most {RankingOptions.MaxConcurrentCallsCeiling:N0})", o => o.MaxConcurrentCalls),
        new("--max-concurrent-streams", nameof(RankingOptions.MaxConcurrentStreams), Kind.Integer, $"most RankStreams open at once, each also one of the --max-concurrent-calls slots: keep it below that limit so that streams leave room for unary calls (at most {RankingOptions.MaxConcurrentCallsCeiling:N0})", o => o.MaxConcurrentStreams),
        new("--stream-idle-timeout-ms", nameof(RankingOptions.StreamIdleTimeout), Kind.Milliseconds, "a RankStream whose client sends no message for this long answers what it read and ends with UNAVAILABLE, giving its slots back (0: never; at most an hour)", o => o.StreamIdleTimeout.TotalMilliseconds),
        new("--max-queued-requests", nameof(RankingOptions.MaxQueuedRequests), Kind.Integer, $"most requests waiting to be scored; more unary calls get RESOURCE_EXHAUSTED with retry-after-ms, a RankStream's request waits for room (at most {RankingOptions.MaxQueuedRequestsCeiling:N0})", o => o.MaxQueuedRequests),
        new("--max-stream-in-flight", nameof(RankingOptions.MaxStreamInFlight), Kind.Integer, $"most RankStream requests read and not yet answered per stream; a client that stops reading stalls only its own stream (at most {RankingOptions.MaxStreamInFlightCeiling:N0})", o => o.MaxStreamInFlight),
        new("--max-stream-answer-bytes", nameof(RankingOptions.MaxStreamAnswerBytes), Kind.Integer, $"most bytes of answers one RankStream holds unwritten, each request counted at min(top_k, candidates) × {Transport.RankerService.RankedItemBytes} bytes; a client that stops reading large answers stalls its stream there (one larger request is served alone; at most {RankingOptions.MaxStreamAnswerBytesCeiling:N0})", o => o.MaxStreamAnswerBytes),
        new("--threads", nameof(RankingOptions.IntraOpThreads), Kind.Integer, $"ONNX Runtime intra-op threads per run (at most {RankingOptions.IntraOpThreadsCeiling:N0})", o => o.IntraOpThreads),
        new("--device", nameof(RankingOptions.Device), Kind.Text, "where the model scores: cpu, or cuda (ONNX Runtime's CUDA provider on GPU 0; needs the GPU build, -p:OrtFlavor=gpu)", o => o.Device),
        new("--traces-otlp-endpoint", nameof(RankingOptions.TracesOtlpEndpoint), Kind.Text, "send OpenTelemetry traces of every call over OTLP to this URL (off when not given)", o => o.TracesOtlpEndpoint),
        new("--traces-otlp-protocol", nameof(RankingOptions.TracesOtlpProtocol), Kind.Text, "the OTLP protocol: grpc or http/protobuf", o => o.TracesOtlpProtocol),
        new("--no-watch", nameof(RankingOptions.WatchModel), Kind.TurnsOff, "do not reload the model when its file changes (POST /admin/reload still does)", o => o.WatchModel),
    ];

    /// <summary>
    /// The configuration settings <paramref name="args"/> make, each flag's value the next argument or joined to it by '='
    /// (`--port=5001`, as the trainer's verbs take it); an unknown flag, one given twice, a missing value or one of the wrong
    /// kind is an <see cref="ArgumentException"/> naming the flag. The trainer's `serve` hands its arguments to this too.
    /// </summary>
    public static Dictionary<string, string?> ToSettings(IReadOnlyList<string> args)
    {
        var settings = new Dictionary<string, string?>();
        var given = new HashSet<Flag>();
        for (var i = 0; i < args.Count; i++)
        {
            // Split at the first '=': a value may hold more (a path).
            var parts = args[i].Split('=', 2);
            var flag = All.FirstOrDefault(f => f.Name == parts[0]) ?? throw new ArgumentException(Unknown(args, i));
            // `--port 1 --port 2` took the last silently, where the trainer's serve refused it: a flag given twice is likely a mistake in one of them.
            if (!given.Add(flag)) throw new ArgumentException($"{flag.Name} is given twice; give it once");
            if (flag.Kind == Kind.TurnsOff)
            {
                // `--no-watch=true`, `--no-watch false` and the like, as the trainer's `serve` takes them; false is the switch not
                // thrown, which the trainer passes nothing on for: the configuration's own setting stands. The host takes no
                // argument that is not a flag, so a following true or false can only be the switch's value.
                var thrown = parts.Length == 2 ? parts[1] : i + 1 < args.Count && IsTrueOrFalse(args[i + 1]) ? args[++i] : "true";
                if (thrown.Equals("true", StringComparison.OrdinalIgnoreCase)) settings[flag.ConfigurationKey] = "false";
                else if (thrown.Equals("false", StringComparison.OrdinalIgnoreCase)) settings.Remove(flag.ConfigurationKey);
                else throw new ArgumentException($"{flag.Name} takes true or false, or no value, got {Quoted(thrown)}");
                continue;
            }
            var value = parts.Length == 2 ? parts[1] : ++i < args.Count ? args[i] : "";
            // `--model --no-watch`: the next flag is no value (it was read as a model file named "--no-watch").
            if (parts.Length == 1 && All.Any(f => f.Name == value.Split('=', 2)[0]))
                throw new ArgumentException($"{flag.Name} needs a value, and took the flag {value} as it");
            // `--port=`, `--port ""` and a flag that ends the line give no value, alike: an empty one would read as the setting's
            // default, so `--admin-token-file ""` served with no token at all, silently.
            if (value.Length == 0) throw new ArgumentException($"{flag.Name} needs a value");
            settings[flag.ConfigurationKey] = Setting(flag, value);
        }
        return settings;
    }

    /// <summary>The refusal of <paramref name="args"/>[<paramref name="i"/>], which is no flag: the trainer's `serve` words it so too, by handing it here.</summary>
    private static string Unknown(IReadOnlyList<string> args, int i)
    {
        // `--no-watch yes`: a value the switch does not take, not an argument of its own.
        if (i > 0 && !args[i].StartsWith('-') && All.FirstOrDefault(f => f.Name == args[i - 1]) is { Kind: Kind.TurnsOff } turnsOff)
            return $"{turnsOff.Name} takes true or false, or no value, got {Quoted(args[i])}";
        // `-- --port 1`: the usual end of the flags, after which the host would take arguments if it took any.
        if (args[i] == "--" && i + 1 < args.Count && args[i + 1].StartsWith('-'))
            return $"{args[i + 1].Split('=', 2)[0]} after `--` is taken as an argument, not a flag; remove the `--` (--help lists the flags)";
        return $"unknown argument '{args[i]}'{Spelling.DidYouMean(args[i].Split('=', 2)[0], All.Select(f => f.Name))} (--help lists the flags)";
    }

    /// <summary>`--help`, of `inverselearning-serve` and `inverselearning serve` alike: every flag with its configuration key and default.</summary>
    public static string Usage()
    {
        var text = new StringBuilder("Usage: inverselearning-serve (or inverselearning serve) (--model FILE | --model-dir REPOSITORY) [flags]\n")
            .Append("Serves an exported model.onnx over gRPC (Ranker, grpc.health.v1, reflection) with Prometheus metrics on an admin port.\n")
            .Append("Each flag sets a configuration key, which appsettings.json or an environment variable (Ranking__MaxTopK) may set too; the flag wins.\n\n");
        // The column is as wide as the longest name, so that no name runs into its help.
        var width = All.Max(flag => flag.Name.Length) + 2;
        foreach (var flag in All) text.Append("  ").Append(flag.Name.PadRight(width)).Append(flag.Help).Append('\n');
        return text.ToString();
    }

    private static string Setting(Flag flag, string value)
    {
        if (flag.Kind == Kind.Text) return value;
        if (!IsWholeNumber(value, out var number))
            throw new ArgumentException((flag.Kind == Kind.Milliseconds ? RankingOptionsValidation.PastIntRangeOfMilliseconds(flag.Key, value) : RankingOptionsValidation.PastIntRange(flag.Key, value))
                ?? $"{flag.Name} ({flag.ConfigurationKey}) takes a whole number, got {Quoted(value)}");
        return flag.Kind == Kind.Milliseconds ? TimeSpan.FromMilliseconds(number).ToString("c", CultureInfo.InvariantCulture) : value;
    }

    private static bool IsTrueOrFalse(string value) =>
        value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("false", StringComparison.OrdinalIgnoreCase);

    /// <summary>A whole number as the flags and the configuration take one: decimal digits and a sign, nothing else (no hexadecimal, no spaces).</summary>
    internal static bool IsWholeNumber(string value, out int number) => int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number);

    /// <summary>A value given, quoted as a refusal shows it (cut at 40 characters).</summary>
    internal static string Quoted(string value) => $"'{(value.Length <= 40 ? value : value[..40] + "…")}'";
}
