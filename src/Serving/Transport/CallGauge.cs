namespace InverseLearning.Serving.Transport;

/// <summary>Ranker calls in progress (admission's limit) and started so far (what tells an idle server from a busy one).</summary>
public sealed class CallGauge
{
    private int _inFlight;
    private long _started;

    public int InFlight => Volatile.Read(ref _inFlight);
    public long Started => Interlocked.Read(ref _started);

    /// <summary>Counts a call in, unless <paramref name="limit"/> are in progress already.</summary>
    public bool TryEnter(int limit)
    {
        Interlocked.Increment(ref _started);
        if (Interlocked.Increment(ref _inFlight) <= limit) return true;
        Interlocked.Decrement(ref _inFlight);
        return false;
    }

    public void Exit() => Interlocked.Decrement(ref _inFlight);
}
