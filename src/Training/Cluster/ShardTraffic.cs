namespace InverseLearning.Training.Cluster;

/// <summary>
/// What reaching the shards cost: calls, the payload bytes sent and received (slot indices and
/// floats; Orleans' framing not counted), time spent waiting in pulls and pushes, and calls
/// retried after a silo was lost. A pull or push counts once however many shards it reached, and not at all when it reached none.
/// </summary>
public sealed class ShardTraffic
{
    public long Pulls { get; internal set; }
    public long Pushes { get; internal set; }
    public long Calls { get; internal set; }
    public long BytesSent { get; internal set; }
    public long BytesReceived { get; internal set; }
    public TimeSpan PullTime { get; internal set; }
    public TimeSpan PushTime { get; internal set; }
    public long Retries { get; internal set; }
}
