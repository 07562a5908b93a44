using System.Diagnostics.Metrics;
using Grpc.Core;
using InverseLearning.Serving.Models;
using InverseLearning.Serving.Scoring;
using InverseLearning.Serving.Transport;

namespace InverseLearning.Serving.Operations;

/// <summary>
/// The server's metrics as System.Diagnostics.Metrics instruments on the meter
/// <see cref="MeterName"/>, exported by OpenTelemetry (Prometheus on the admin port). Calls are
/// measured as OpenTelemetry's RPC conventions say (`rpc.server.call.duration` by `rpc.method`
/// and `rpc.grpc.status_code`), so its count is the requests and errors by method and status;
/// the rest is the service's own: calls in progress, stream messages, the scoring queue, batch sizes, reloads,
/// the model version served.
/// </summary>
public sealed class ServingMetrics : IBatchObserver
{
    public const string MeterName = "InverseLearning.Serving";
    private const string Service = "inverselearning.v1.Ranker";

    private static readonly double[] SecondsBuckets = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
    private static readonly int[] RowBuckets = [1, 10, 100, 1_000, 10_000, 100_000];
    private static readonly int[] RequestBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256];

    private readonly Histogram<double> _callDuration;
    private long _streamMessagesInFlight;
    private readonly Histogram<double> _streamMessageDuration;
    private readonly Histogram<int> _batchRows;
    private readonly Histogram<int> _batchRequests;
    private readonly Counter<long> _reloads;
    private LoadedModel? _serving;

    public ServingMetrics(IMeterFactory meterFactory, CallGauge calls)
    {
        var meter = meterFactory.Create(MeterName);
        _callDuration = meter.CreateHistogram("rpc.server.call.duration", "s", "Ranker calls inside the server, by method and gRPC status (a stream: from its start to its end).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        // Observed, as the other gauges are: a counter added to showed no series until the first RankStream.
        meter.CreateObservableUpDownCounter("ranking.stream.messages.in_flight", () => Interlocked.Read(ref _streamMessagesInFlight), "{message}",
            "RankStream requests read and not yet answered, all streams together.");
        _streamMessageDuration = meter.CreateHistogram("ranking.stream.message.duration", "s", "RankStream requests answered: from a request read to its answer written.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _batchRows = meter.CreateHistogram("ranking.batch.rows", "{row}", "Rows per ONNX Runtime run (dynamic batching).",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = RowBuckets });
        _batchRequests = meter.CreateHistogram("ranking.batch.requests", "{request}", "Requests coalesced into one ONNX Runtime run.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = RequestBuckets });
        _reloads = meter.CreateCounter<long>("ranking.model.reloads", "{reload}", "Model reload attempts, by result.");
        // Written at 0 from the start: a series that appears only with the first reload reads as "no data" to a rate or an alert.
        ModelReloaded(succeeded: true, count: 0);
        ModelReloaded(succeeded: false, count: 0);
        meter.CreateObservableUpDownCounter("ranking.calls.in_flight", () => calls.InFlight, "{call}",
            "Ranker calls in progress, answer still being written included: what the concurrent-call limit counts.");
        meter.CreateObservableUpDownCounter("ranking.scoring.queue.depth", () => Volatile.Read(ref _serving)?.QueuedRequests ?? 0, "{request}",
            "Requests waiting for the serving model's scoring batcher.");
        meter.CreateObservableGauge("ranking.model.info", () => Volatile.Read(ref _serving) is { } model
            ? [new Measurement<int>(1, new KeyValuePair<string, object?>("version", model.Version))]
            : Array.Empty<Measurement<int>>(), description: "The model version now serving (always 1).");
    }

    public void CallFinished(string method, StatusCode code, TimeSpan elapsed) =>
        _callDuration.Record(elapsed.TotalSeconds,
            new KeyValuePair<string, object?>("rpc.system", "grpc"),
            new KeyValuePair<string, object?>("rpc.service", Service),
            new KeyValuePair<string, object?>("rpc.method", method),
            new KeyValuePair<string, object?>("rpc.grpc.status_code", (int)code));

    /// <summary>A stream's request was read; it is in flight until <see cref="StreamMessageDone"/>.</summary>
    public void StreamMessageRead() => Interlocked.Increment(ref _streamMessagesInFlight);

    /// <summary>A stream's request left: answered (<paramref name="answeredIn"/> since it was read) or dropped when its stream ended (null).</summary>
    public void StreamMessageDone(TimeSpan? answeredIn)
    {
        Interlocked.Decrement(ref _streamMessagesInFlight);
        if (answeredIn is { } elapsed) _streamMessageDuration.Record(elapsed.TotalSeconds);
    }

    public void BatchRan(int rows, int requests)
    {
        _batchRows.Record(rows);
        _batchRequests.Record(requests);
    }

    public void ModelReloaded(bool succeeded) => ModelReloaded(succeeded, count: 1);

    private void ModelReloaded(bool succeeded, int count) => _reloads.Add(count, new KeyValuePair<string, object?>("result", succeeded ? "ok" : "failed"));

    /// <summary>The model now answering: its version and scoring queue are what the observable instruments report.</summary>
    public void ModelServing(LoadedModel model) => Volatile.Write(ref _serving, model);
}
