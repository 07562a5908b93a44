using InverseLearning.V1;

namespace InverseLearning.Serving.Tests;

/// <summary>A few callers ranking in a loop until stopped; any failed call fails the test when stopped.</summary>
public sealed class ConcurrentLoad : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task<int>[] _callers;

    private ConcurrentLoad(Ranker.RankerClient client, long user, long[] items, int callers)
    {
        _callers = Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            var calls = 0;
            while (!_stop.IsCancellationRequested)
            {
                var response = await client.RankAsync(new RankRequest { UserId = user, CandidateItemIds = { items }, TopK = 5 });
                Assert.Equal(5, response.Items.Count);
                calls++;
            }
            return calls;
        })).ToArray();
    }

    public static ConcurrentLoad Start(Ranker.RankerClient client, long user, long[] items, int callers = 4) => new(client, user, items, callers);

    /// <summary>Stops the callers and returns how many calls succeeded; rethrows the first failure.</summary>
    public async Task<int> StopAsync()
    {
        await _stop.CancelAsync();
        return (await Task.WhenAll(_callers)).Sum();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await StopAsync();
        _stop.Dispose();
    }
}
