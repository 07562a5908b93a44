using Microsoft.AspNetCore.Connections;

namespace InverseLearning.Serving.Operations;

/// <summary>
/// Closes an admin connection that carries no request for <see cref="AdminConnections.IdleTimeout"/>, before its first request or
/// between two. Kestrel kept such a one for its keep-alive timeout (130 s, the gRPC port's too), so --max-connections connections
/// that sent nothing held every slot of the admin port and `/healthz` went unanswered: the liveness probe's failures restart the pod.
/// The kubelet's probes and Prometheus's scrapes send their request as they connect.
/// </summary>
public sealed class IdleAdminConnection : IDisposable
{
    private readonly ConnectionContext _connection;
    private readonly TimeSpan _timeout;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private int _requests;

    public IdleAdminConnection(ConnectionContext connection, TimeSpan timeout)
    {
        _connection = connection;
        _timeout = timeout;
        _timer = TimeProvider.System.CreateTimer(_ => CloseIfIdle(), null, timeout, Timeout.InfiniteTimeSpan);
    }

    /// <summary>A request on the connection began: it is not idle until the request ends, however long it takes (a reload).</summary>
    public void RequestStarted()
    {
        lock (_gate)
        {
            _requests++;
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>A request on the connection ended: it is idle from now on, until the next one.</summary>
    public void RequestEnded()
    {
        lock (_gate)
        {
            if (--_requests == 0) _timer.Change(_timeout, Timeout.InfiniteTimeSpan);
        }
    }

    private void CloseIfIdle()
    {
        lock (_gate)
        {
            if (_requests > 0) return;
        }
        _connection.Abort(new ConnectionAbortedException($"no request on the admin connection for {_timeout.TotalSeconds} s"));
    }

    public void Dispose() => _timer.Dispose();
}
