namespace InverseLearning.Serving.Scoring;

/// <summary>
/// The scoring queue already holds its limit of requests (RESOURCE_EXHAUSTED). The message says what is full, not when to retry:
/// the refusal adds that, with the wait it suggests.
/// </summary>
public sealed class ScoringQueueFullException(int limit)
    : Exception($"the scoring queue is full ({limit} {(limit == 1 ? "request" : "requests")} waiting, its --max-queued-requests limit)");
