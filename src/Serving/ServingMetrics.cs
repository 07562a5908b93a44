using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Grpc.Core;

namespace InverseLearning.Serving;

/// <summary>The server's counters in Prometheus text format: requests and responses by status per method, latency, batch sizes, model reloads.</summary>
public sealed class ServingMetrics : IBatchObserver
{
    private static readonly double[] LatencyBounds = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
    private static readonly double[] RowBounds = [1, 10, 100, 1_000, 10_000, 100_000];
    private static readonly double[] RequestBounds = [1, 2, 4, 8, 16, 32, 64, 128, 256];

    private readonly ConcurrentDictionary<string, StrongBox<long>> _requests = new();
    private readonly ConcurrentDictionary<(string Method, StatusCode Code), StrongBox<long>> _responses = new();
    private readonly ConcurrentDictionary<string, Histogram> _latency = new();
    private readonly ConcurrentDictionary<string, StrongBox<long>> _reloads = new();
    private readonly Histogram _batchRows = new(RowBounds);
    private readonly Histogram _batchRequests = new(RequestBounds);
    private readonly Histogram _streamMessageLatency = new(LatencyBounds);
    private long _streamMessagesInFlight;
    private string _modelVersion = "";

    public void RequestStarted(string method) => Interlocked.Increment(ref _requests.GetOrAdd(method, _ => new StrongBox<long>()).Value);

    public void RequestFinished(string method, StatusCode code, TimeSpan elapsed)
    {
        Interlocked.Increment(ref _responses.GetOrAdd((method, code), _ => new StrongBox<long>()).Value);
        _latency.GetOrAdd(method, _ => new Histogram(LatencyBounds)).Observe(elapsed.TotalSeconds);
    }

    /// <summary>A stream's request was read; it is in flight until <see cref="StreamMessageDone"/>.</summary>
    public void StreamMessageRead() => Interlocked.Increment(ref _streamMessagesInFlight);

    /// <summary>A stream's request left: answered (<paramref name="answeredIn"/> since it was read) or dropped when its stream ended (null).</summary>
    public void StreamMessageDone(TimeSpan? answeredIn)
    {
        Interlocked.Decrement(ref _streamMessagesInFlight);
        if (answeredIn is { } elapsed) _streamMessageLatency.Observe(elapsed.TotalSeconds);
    }

    public void BatchRan(int rows, int requests)
    {
        _batchRows.Observe(rows);
        _batchRequests.Observe(requests);
    }

    public void ModelReloaded(bool succeeded) =>
        Interlocked.Increment(ref _reloads.GetOrAdd(succeeded ? "ok" : "failed", _ => new StrongBox<long>()).Value);

    public void ModelServing(string version) => Volatile.Write(ref _modelVersion, version);

    public string ToPrometheusText()
    {
        var text = new StringBuilder();
        Header(text, "ranking_requests_total", "counter", "Ranker calls received, by method.");
        foreach (var (method, count) in _requests.OrderBy(p => p.Key, StringComparer.Ordinal))
            Line(text, "ranking_requests_total", $"method=\"{method}\"", count.Value);
        Header(text, "ranking_responses_total", "counter", "Ranker calls finished, by method and gRPC status code.");
        foreach (var ((method, code), count) in _responses.OrderBy(p => p.Key.Method, StringComparer.Ordinal).ThenBy(p => p.Key.Code))
            Line(text, "ranking_responses_total", $"method=\"{method}\",code=\"{CodeName(code)}\"", count.Value);
        Header(text, "ranking_request_duration_seconds", "histogram", "Ranker call latency inside the server, by method.");
        foreach (var (method, histogram) in _latency.OrderBy(p => p.Key, StringComparer.Ordinal))
            histogram.Write(text, "ranking_request_duration_seconds", $"method=\"{method}\",");
        Header(text, "ranking_stream_messages_in_flight", "gauge", "RankStream requests read and not yet answered, all streams together.");
        Line(text, "ranking_stream_messages_in_flight", "", Interlocked.Read(ref _streamMessagesInFlight));
        Header(text, "ranking_stream_message_duration_seconds", "histogram", "RankStream requests answered: time from a request read to its answer written.");
        _streamMessageLatency.Write(text, "ranking_stream_message_duration_seconds", "");
        Header(text, "ranking_batch_rows", "histogram", "Rows per ONNX Runtime run (dynamic batching).");
        _batchRows.Write(text, "ranking_batch_rows", "");
        Header(text, "ranking_batch_requests", "histogram", "Requests coalesced into one ONNX Runtime run.");
        _batchRequests.Write(text, "ranking_batch_requests", "");
        Header(text, "ranking_model_reloads_total", "counter", "Model reload attempts, by result.");
        foreach (var (result, count) in _reloads.OrderBy(p => p.Key, StringComparer.Ordinal))
            Line(text, "ranking_model_reloads_total", $"result=\"{result}\"", count.Value);
        Header(text, "ranking_model_info", "gauge", "The model version now serving (always 1).");
        Line(text, "ranking_model_info", $"version=\"{Escape(Volatile.Read(ref _modelVersion))}\"", 1);
        return text.ToString();
    }

    /// <summary>Status codes as gRPC spells them (INVALID_ARGUMENT), which is what dashboards filter on.</summary>
    public static string CodeName(StatusCode code)
    {
        var name = code.ToString();
        return string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) && char.IsLower(name[i - 1]) ? $"_{c}" : $"{char.ToUpperInvariant(c)}"));
    }

    private static void Header(StringBuilder text, string name, string type, string help) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n");

    private static void Line(StringBuilder text, string name, string labels, long value)
    {
        text.Append(name);
        if (labels.Length > 0) text.Append('{').Append(labels).Append('}');
        text.Append(CultureInfo.InvariantCulture, $" {value}\n");
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
