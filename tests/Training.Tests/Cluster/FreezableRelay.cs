using System.Net;
using System.Net.Sockets;

namespace InverseLearning.Training.Tests.Cluster;

/// <summary>
/// A TCP relay in front of a gateway on this machine that can be frozen: it then forwards no byte either way and closes nothing
/// (a side's close is not passed on), and holds new connections without reaching the gateway. What a paused (SIGSTOP) silo's
/// gateway is to its clients: the kernel keeps their connections open, and nothing answers.
/// </summary>
public sealed class FreezableRelay : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _target;
    private readonly CancellationTokenSource _disposed = new();
    // Every socket stays referenced until the relay is disposed: one collected would close.
    private readonly List<Socket> _sockets = [];
    private volatile bool _frozen;

    /// <param name="target">The gateway's port on the loopback address.</param>
    public FreezableRelay(int target)
    {
        _target = target;
        _listener.Start();
        _ = AcceptAll();
    }

    /// <summary>Where the relay listens on the loopback address.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void Freeze() => _frozen = true;

    private async Task AcceptAll()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptSocketAsync(_disposed.Token);
                Keep(client);
                if (_frozen) continue;
                var gateway = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                Keep(gateway);
                await gateway.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _target), _disposed.Token);
                _ = Pump(client, gateway);
                _ = Pump(gateway, client);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Disposed, or the gateway gone: connections not relayed are what a dead gateway gives.
        }
    }

    private void Keep(Socket socket)
    {
        lock (_sockets) _sockets.Add(socket);
    }

    // Bytes read once frozen are dropped, never sent; an end read once frozen is not passed on.
    private async Task Pump(Socket from, Socket to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _disposed.Token);
                if (_frozen) return;
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _disposed.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // A side reset or the relay disposed: a frozen relay keeps the other side open.
            if (!_frozen && !_disposed.IsCancellationRequested) to.Close();
        }
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _listener.Stop();
        lock (_sockets)
            foreach (var socket in _sockets)
                socket.Dispose();
        _disposed.Dispose();
    }
}
