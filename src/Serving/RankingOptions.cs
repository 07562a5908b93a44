namespace InverseLearning.Serving;

/// <summary>
/// Settings of the ranking server, bound from the configuration section <see cref="Section"/>
/// (appsettings.json, environment variables such as `Ranking__MaxTopK`, then the command-line
/// flags of <see cref="ServeFlags"/>) and checked on start by <see cref="RankingOptionsValidation"/>.
/// </summary>
public sealed class RankingOptions
{
    public const string Section = "Ranking";

    /// <summary>The exported `model.onnx`; `seen.parquet` beside it feeds `Recommend(exclude_seen)`.</summary>
    public string ModelPath { get; set; } = "";

    /// <summary>A model repository (numbered version folders) whose newest complete version is served; exactly one of it and <see cref="ModelPath"/> is set.</summary>
    public string ModelDirectory { get; set; } = "";

    /// <summary>With a repository, versions kept after each swap (older ones are deleted, never the one serving); 0 keeps all.</summary>
    public int KeepVersions { get; set; }

    /// <summary>Address the gRPC port binds; loopback unless the operator opens it up on purpose.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>gRPC (HTTP/2 cleartext) port; 0 picks a free one.</summary>
    public int Port { get; set; } = 50051;

    /// <summary>Address the metrics/admin port binds, whatever <see cref="Host"/> says: loopback unless opened on purpose.</summary>
    public string AdminHost { get; set; } = "127.0.0.1";

    /// <summary>A file holding the bearer token `POST /admin/reload` requires; mandatory when <see cref="AdminHost"/> is not loopback.</summary>
    public string AdminTokenFile { get; set; } = "";

    /// <summary>The least time between two admin reloads; one sooner is refused with 429.</summary>
    public TimeSpan ReloadMinInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>HTTP/1 port serving `/metrics` (Prometheus text) and `POST /admin/reload`; 0 picks a free one, <see cref="Off"/> turns it off.</summary>
    public int MetricsPort { get; set; } = 9464;

    /// <summary>The <see cref="MetricsPort"/> that turns the admin port off.</summary>
    public const int Off = -1;

    /// <summary>Most items one Score/Rank request may carry.</summary>
    public int MaxCandidates { get; set; } = 10_000;

    /// <summary>Largest request message accepted, in bytes; larger ones are refused with INVALID_ARGUMENT.</summary>
    public int MaxRequestBytes { get; set; } = 1 << 20;

    /// <summary>Largest `top_k` Recommend accepts: the cap on its response size.</summary>
    public int MaxTopK { get; set; } = 1_000;

    /// <summary>Most open client connections (both ports); Kestrel queues no more.</summary>
    public int MaxConnections { get; set; } = 1_000;

    /// <summary>Most concurrent HTTP/2 streams (calls) per connection.</summary>
    public int MaxStreamsPerConnection { get; set; } = 100;

    /// <summary>
    /// Request bytes one HTTP/2 stream may send ahead of what the server has read (its flow-control
    /// window). A stream whose reads stall (a RankStream client that never reads its answers) makes
    /// the server buffer this much; Kestrel's own 768 KiB made each such stream cost about 1 MB.
    /// </summary>
    public int Http2StreamWindowBytes { get; set; } = 64 << 10;

    /// <summary>Request bytes one HTTP/2 connection may send ahead of what the server has read, all its streams together.</summary>
    public int Http2ConnectionWindowBytes { get; set; } = 1 << 20;

    /// <summary>Most Ranker calls in progress at once, answer still being written included; more are refused with RESOURCE_EXHAUSTED.</summary>
    public int MaxConcurrentCalls { get; set; } = 1_000;

    /// <summary>
    /// Most RankStreams open at once; more are refused with RESOURCE_EXHAUSTED. Each open stream also holds one of the
    /// <see cref="MaxConcurrentCalls"/> slots: kept below that limit, streams can never take every slot and lock unary calls out.
    /// </summary>
    public int MaxConcurrentStreams { get; set; } = 500;

    /// <summary>
    /// How long a RankStream may wait for its client's next message before it answers what it read and ends with UNAVAILABLE:
    /// an idle stream gives its slots back. Zero never ends a stream for being idle.
    /// </summary>
    public TimeSpan StreamIdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Most requests waiting in the scoring queue; more unary calls are refused with RESOURCE_EXHAUSTED, while a RankStream's request waits for room.</summary>
    public int MaxQueuedRequests { get; set; } = 1_000;

    /// <summary>Most RankStream requests one stream may have read and not yet answered; a client that stops reading stalls its own stream at this many.</summary>
    public int MaxStreamInFlight { get; set; } = 8;

    /// <summary>
    /// Most bytes of answers one RankStream may hold, scored or being scored and not yet written, each request counted at its largest
    /// answer (<see cref="Transport.RankerService.RankedItemBytes"/> per item): a client that stops reading large answers stalls its
    /// stream at this many bytes, before <see cref="MaxStreamInFlight"/>. One request over it is still served, alone.
    /// </summary>
    public int MaxStreamAnswerBytes { get; set; } = 512 << 10;

    /// <summary>The retry hint sent with RESOURCE_EXHAUSTED (`retry-after-ms` trailer).</summary>
    public int RetryAfterMilliseconds { get; set; } = 50;

    /// <summary>A batch stops growing at this many rows (a single larger request still runs, alone).</summary>
    public int MaxBatchRows { get; set; } = 16_384;

    /// <summary>How long a batch may wait for more requests before it runs; 0 runs with whatever is already queued.</summary>
    public int MaxWaitMicroseconds { get; set; }

    /// <summary>Threads ONNX Runtime uses inside one run.</summary>
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>Where the model scores: `cpu`, or `cuda` (ONNX Runtime's CUDA provider on GPU 0, which needs the GPU build).</summary>
    public string Device { get; set; } = "cpu";

    /// <summary>Watch the model file and swap in a new model when it changes.</summary>
    public bool WatchModel { get; set; } = true;

    /// <summary>How often the model file's stamp is checked, as a fallback for missed file events.</summary>
    public TimeSpan ModelPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Where traces go, over OTLP (e.g. http://collector:4317); empty leaves tracing off.</summary>
    public string TracesOtlpEndpoint { get; set; } = "";

    /// <summary>The OTLP protocol of <see cref="TracesOtlpEndpoint"/>: `grpc` or `http/protobuf`.</summary>
    public string TracesOtlpProtocol { get; set; } = "grpc";

    /// <summary>
    /// How long stopping waits, once calls have drained, for the spans still batched to reach <see cref="TracesOtlpEndpoint"/>:
    /// a collector that never answers held every stop for the provider's own 5 s grace.
    /// </summary>
    public TimeSpan TracesFlushTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long shutdown waits for in-flight calls to finish.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The ceilings of the limits: past them a "limit" no longer guards anything (2e9 candidates,
    /// a million ONNX Runtime threads), so a value above one is refused rather than served.
    /// </summary>
    public const int MaxCandidatesCeiling = 1_000_000, MaxTopKCeiling = 100_000, MaxConnectionsCeiling = 100_000, MaxStreamsPerConnectionCeiling = 10_000,
        MaxConcurrentCallsCeiling = 100_000, MaxQueuedRequestsCeiling = 1_000_000, MaxStreamInFlightCeiling = 1_000, MaxStreamAnswerBytesCeiling = 1 << 30, MaxBatchRowsCeiling = 1_000_000,
        MaxRequestBytesCeiling = 64 << 20, IntraOpThreadsCeiling = 1_024, Http2WindowCeiling = 16 << 20;

    /// <summary>
    /// Past these a time setting is a mistake, not a choice: a poll or drain of months stops the host on an out-of-range timer.
    /// </summary>
    public static readonly TimeSpan ReloadMinIntervalCeiling = TimeSpan.FromDays(1), TimeSettingCeiling = TimeSpan.FromHours(1);

    /// <summary>The smallest HTTP/2 flow-control window: the protocol's initial one, which Kestrel will not go below.</summary>
    public const int Http2WindowFloor = 65_535;
}
