namespace InverseLearning.Serving.Transport;

/// <summary>
/// The bytes of answers one RankStream may hold at once, scored or being scored and not yet written: a request reserves its
/// answer's largest size before it is started and gives it back once the answer is written (or the stream ends). A count of
/// messages alone let a client that stops reading make the server hold its whole window of the largest answers. A request
/// larger than the whole budget is let through when nothing else is held, so that it is still served, alone.
/// </summary>
internal sealed class AnswerBudget(long bytes)
{
    private readonly Lock _gate = new();
    private long _held;
    private TaskCompletionSource? _released;

    /// <summary>Waits until <paramref name="answerBytes"/> fit beside what is held, or nothing is held, then holds them.</summary>
    public async Task ReserveAsync(long answerBytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task released;
            lock (_gate)
            {
                if (_held == 0 || _held + answerBytes <= bytes)
                {
                    _held += answerBytes;
                    return;
                }
                released = (_released ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
            await released.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Gives back what <see cref="ReserveAsync"/> held for an answer now written or dropped.</summary>
    public void Release(long answerBytes)
    {
        TaskCompletionSource? released;
        lock (_gate)
        {
            _held -= answerBytes;
            (released, _released) = (_released, null);
        }
        released?.TrySetResult();
    }
}
