namespace InverseLearning.Serving.Operations;

/// <summary>
/// At most one log line per interval for a warning that may come in a flood (a dead collector, a reconnect storm): the first at
/// once, then one once the interval has passed since the last, saying how many were held back meanwhile.
/// </summary>
public sealed class LogThrottle(TimeSpan interval)
{
    private readonly Lock _gate = new();
    private long? _lastLogged;
    private int _heldBack;

    /// <summary>True when a line may be written now, with how many were held back since the last; otherwise false, and this one is held back.</summary>
    public bool TryTake(out int heldBack)
    {
        lock (_gate)
        {
            var now = TimeProvider.System.GetTimestamp();
            if (_lastLogged is { } last && TimeProvider.System.GetElapsedTime(last, now) < interval)
            {
                _heldBack++;
                heldBack = 0;
                return false;
            }
            heldBack = _heldBack;
            _lastLogged = now;
            _heldBack = 0;
            return true;
        }
    }
}
