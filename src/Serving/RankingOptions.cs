namespace InverseLearning.Serving;

/// <summary>Settings of the ranking server; the `serve` verb fills them from its flags.</summary>
public sealed class RankingOptions
{
    /// <summary>The exported `model.onnx`; `seen.parquet` beside it feeds `Recommend(exclude_seen)`.</summary>
    public string ModelPath { get; set; } = "";

    /// <summary>A model repository (numbered version folders); when set, the newest complete version is served instead of <see cref="ModelPath"/>.</summary>
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

    /// <summary>HTTP/1 port serving `/metrics` (Prometheus text) and `POST /admin/reload`; 0 picks a free one, null turns it off.</summary>
    public int? MetricsPort { get; set; } = 9464;

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

    /// <summary>Most Ranker calls in progress at once, answer still being written included; more are refused with RESOURCE_EXHAUSTED.</summary>
    public int MaxConcurrentCalls { get; set; } = 1_000;

    /// <summary>Most requests waiting in the scoring queue; more are refused with RESOURCE_EXHAUSTED.</summary>
    public int MaxQueuedRequests { get; set; } = 1_000;

    /// <summary>Most RankStream requests one stream may have read and not yet answered; a client that stops reading stalls its own stream at this many.</summary>
    public int MaxStreamInFlight { get; set; } = 8;

    /// <summary>The retry hint sent with RESOURCE_EXHAUSTED (`retry-after-ms` trailer).</summary>
    public int RetryAfterMilliseconds { get; set; } = 50;

    /// <summary>A batch stops growing at this many rows (a single larger request still runs, alone).</summary>
    public int MaxBatchRows { get; set; } = 16_384;

    /// <summary>How long a batch may wait for more requests before it runs; 0 runs with whatever is already queued.</summary>
    public int MaxWaitMicroseconds { get; set; }

    /// <summary>Threads ONNX Runtime uses inside one run.</summary>
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>Watch the model file and swap in a new model when it changes.</summary>
    public bool WatchModel { get; set; } = true;

    /// <summary>How often the model file's stamp is checked, as a fallback for missed file events.</summary>
    public TimeSpan ModelPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long shutdown waits for in-flight calls to finish.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Checks the options, naming the first wrong one.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ModelPath) == string.IsNullOrWhiteSpace(ModelDirectory))
            throw new ArgumentException("give exactly one of --model (an exported model.onnx) and --model-dir (a model repository)");
        if (ModelDirectory.Length > 0 && !Directory.Exists(ModelDirectory))
            throw new ArgumentException(File.Exists(ModelDirectory)
                ? $"--model-dir {ModelDirectory} is a file, expected a model repository folder (use --model for a single model file)"
                : $"--model-dir {ModelDirectory}: folder not found");
        if (KeepVersions < 0) throw new ArgumentException($"--keep-versions must be ≥ 0 (got {KeepVersions})");
        if (KeepVersions > 0 && ModelDirectory.Length == 0) throw new ArgumentException("--keep-versions needs --model-dir");
        if (MaxTopK < 1) throw new ArgumentException($"--max-top-k must be ≥ 1 (got {MaxTopK})");
        if (MaxConnections < 1) throw new ArgumentException($"--max-connections must be ≥ 1 (got {MaxConnections})");
        if (MaxStreamsPerConnection < 1) throw new ArgumentException($"--max-streams-per-connection must be ≥ 1 (got {MaxStreamsPerConnection})");
        if (MaxConcurrentCalls < 1) throw new ArgumentException($"--max-concurrent-calls must be ≥ 1 (got {MaxConcurrentCalls})");
        if (MaxQueuedRequests < 1) throw new ArgumentException($"--max-queued-requests must be ≥ 1 (got {MaxQueuedRequests})");
        if (MaxStreamInFlight is < 1 or > 1_000) throw new ArgumentException($"--max-stream-in-flight must be from 1 to 1,000 (got {MaxStreamInFlight:N0})");
        if (RetryAfterMilliseconds < 0) throw new ArgumentException($"retry-after must be ≥ 0 ms (got {RetryAfterMilliseconds})");
        if (ReloadMinInterval < TimeSpan.Zero) throw new ArgumentException($"--reload-interval-ms must be ≥ 0 (got {ReloadMinInterval.TotalMilliseconds})");
        if (Port is < 0 or > 65535) throw new ArgumentException($"port must be in 0..65535 (got {Port})");
        if (MetricsPort is < 0 or > 65535) throw new ArgumentException($"metrics port must be in 0..65535 (got {MetricsPort})");
        if (MaxCandidates < 1) throw new ArgumentException($"max candidates must be ≥ 1 (got {MaxCandidates})");
        if (MaxRequestBytes < 1) throw new ArgumentException($"max request bytes must be ≥ 1 (got {MaxRequestBytes})");
        if (MaxBatchRows < 1) throw new ArgumentException($"max batch rows must be ≥ 1 (got {MaxBatchRows})");
        if (MaxWaitMicroseconds is < 0 or > 1_000_000) throw new ArgumentException($"--max-wait-us must be from 0 to 1,000,000 µs (a batch never waits more than a second), got {MaxWaitMicroseconds:N0}");
        if (IntraOpThreads < 1) throw new ArgumentException($"intra-op threads must be ≥ 1 (got {IntraOpThreads})");
    }
}
