namespace InverseLearning.Serving.Scoring;

/// <summary>
/// One request waiting in the batch queue: items scored for one user (<see cref="Users"/> of
/// length 1) or each for its own user (one user per item). Completes with its slice of the
/// batch, or cancelled when its caller gave up. It holds its own cancellation registration and drops it when it
/// completes, so the caller awaits the job's task itself rather than an async wrapper that disposes the registration.
/// </summary>
internal sealed class ScoreJob : TaskCompletionSource<ScoreResult>
{
    private readonly CancellationTokenRegistration _cancellation;

    public ScoreJob(ReadOnlyMemory<long> users, IList<long> items, bool isProbe, CancellationToken cancellationToken)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        Users = users;
        Items = items;
        IsProbe = isProbe;
        _cancellation = cancellationToken.Register(static (state, token) => ((ScoreJob)state!).TrySetCanceled(token), this);
    }

    public ReadOnlyMemory<long> Users { get; }
    /// <summary>A list, not a copy: a request's parsed repeated field is copied once, into the batch.</summary>
    public IList<long> Items { get; }
    public int Rows => Items.Count;

    /// <summary>A loading model's probe, not traffic: its run is not counted in the batch metrics.</summary>
    public bool IsProbe { get; }

    public void Complete(ScoreResult result)
    {
        TrySetResult(result);
        Abandon();
    }

    public void Fail(Exception error)
    {
        TrySetException(error);
        Abandon();
    }

    /// <summary>Stops listening for the caller's cancellation: the job is done, or never got into the queue.</summary>
    public void Abandon() => _cancellation.Unregister();
}
