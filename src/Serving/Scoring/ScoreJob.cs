namespace InverseLearning.Serving.Scoring;

/// <summary>
/// One request waiting in the batch queue: items scored for one user (<see cref="Users"/> of
/// length 1) or each for its own user (one user per item). Completes with its slice of the
/// batch, or cancelled when its caller gave up.
/// </summary>
internal sealed class ScoreJob(ReadOnlyMemory<long> users, IList<long> items)
    : TaskCompletionSource<ScoreResult>(TaskCreationOptions.RunContinuationsAsynchronously)
{
    public ReadOnlyMemory<long> Users { get; } = users;
    /// <summary>A list, not a copy: a request's parsed repeated field is copied once, into the batch.</summary>
    public IList<long> Items { get; } = items;
    public int Rows => Items.Count;
}
