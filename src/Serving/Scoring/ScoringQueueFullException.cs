namespace InverseLearning.Serving.Scoring;

/// <summary>The scoring queue already holds its limit of requests: the caller should retry shortly (RESOURCE_EXHAUSTED).</summary>
public sealed class ScoringQueueFullException(int limit)
    : Exception($"the scoring queue is full ({limit} requests waiting); retry shortly");
