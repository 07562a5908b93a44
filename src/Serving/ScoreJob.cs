namespace InverseLearning.Serving;

/// <summary>One request waiting in the batch queue: a user against its items. Completes with its slice of the batch, or cancelled when its caller gave up.</summary>
internal sealed class ScoreJob(long userId, ReadOnlyMemory<long> items)
    : TaskCompletionSource<ScoreResult>(TaskCreationOptions.RunContinuationsAsynchronously)
{
    public long UserId { get; } = userId;
    public ReadOnlyMemory<long> Items { get; } = items;
    public int Rows => Items.Length;
}
