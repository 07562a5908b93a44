namespace InverseLearning.Serving.Scoring;

/// <summary>
/// One request waiting in the batch queue: items scored for one user (<see cref="Users"/> of
/// length 1) or each for its own user (one user per item). Completes with its slice of the
/// batch, or cancelled when its caller gave up.
/// </summary>
internal sealed class ScoreJob(ReadOnlyMemory<long> users, ReadOnlyMemory<long> items)
    : TaskCompletionSource<ScoreResult>(TaskCreationOptions.RunContinuationsAsynchronously)
{
    public ReadOnlyMemory<long> Users { get; } = users;
    public ReadOnlyMemory<long> Items { get; } = items;
    public int Rows => Items.Length;
}
