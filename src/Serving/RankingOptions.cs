namespace InverseLearning.Serving;

/// <summary>Settings of the ranking server; the `serve` verb fills them from its flags.</summary>
public sealed class RankingOptions
{
    /// <summary>The exported `model.onnx`; `seen.parquet` beside it feeds `Recommend(exclude_seen)`.</summary>
    public string ModelPath { get; set; } = "";

    /// <summary>Address the gRPC port binds; loopback unless the operator opens it up on purpose.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>gRPC (HTTP/2 cleartext) port; 0 picks a free one.</summary>
    public int Port { get; set; } = 50051;

    /// <summary>HTTP/1 port serving `/metrics` (Prometheus text) and `POST /admin/reload`; 0 picks a free one, null turns it off.</summary>
    public int? MetricsPort { get; set; } = 9464;

    /// <summary>Most items one Score/Rank request may carry.</summary>
    public int MaxCandidates { get; set; } = 10_000;

    /// <summary>Largest request message accepted, in bytes; larger ones are refused with INVALID_ARGUMENT.</summary>
    public int MaxRequestBytes { get; set; } = 1 << 20;

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
        if (string.IsNullOrWhiteSpace(ModelPath)) throw new ArgumentException("model path is empty: give the exported model.onnx");
        if (Port is < 0 or > 65535) throw new ArgumentException($"port must be in 0..65535 (got {Port})");
        if (MetricsPort is < 0 or > 65535) throw new ArgumentException($"metrics port must be in 0..65535 (got {MetricsPort})");
        if (MaxCandidates < 1) throw new ArgumentException($"max candidates must be ≥ 1 (got {MaxCandidates})");
        if (MaxRequestBytes < 1) throw new ArgumentException($"max request bytes must be ≥ 1 (got {MaxRequestBytes})");
        if (MaxBatchRows < 1) throw new ArgumentException($"max batch rows must be ≥ 1 (got {MaxBatchRows})");
        if (MaxWaitMicroseconds < 0) throw new ArgumentException($"max wait must be ≥ 0 µs (got {MaxWaitMicroseconds})");
        if (IntraOpThreads < 1) throw new ArgumentException($"intra-op threads must be ≥ 1 (got {IntraOpThreads})");
    }
}
