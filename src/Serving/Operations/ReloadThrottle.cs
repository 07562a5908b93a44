using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace InverseLearning.Serving.Operations;

/// <summary>Admin reloads at most once per interval: each loads a whole model, so a burst of them would starve scoring.</summary>
public sealed class ReloadThrottle(IOptions<RankingOptions> settings)
{
    private readonly TimeSpan _interval = settings.Value.ReloadMinInterval;
    private readonly Lock _gate = new();
    private long _last = long.MinValue;

    /// <summary>True and counted when a reload may run now; otherwise false with how long to wait.</summary>
    public bool TryTake(out TimeSpan wait)
    {
        lock (_gate)
        {
            var now = Stopwatch.GetTimestamp();
            var since = _last == long.MinValue ? TimeSpan.MaxValue : Stopwatch.GetElapsedTime(_last, now);
            if (since >= _interval)
            {
                _last = now;
                wait = TimeSpan.Zero;
                return true;
            }
            wait = _interval - since;
            return false;
        }
    }
}
