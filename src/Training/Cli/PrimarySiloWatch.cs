using System.Net;
using System.Net.Sockets;

namespace InverseLearning.Training.Cli;

/// <summary>
/// `silo --primary-port`: a silo joined through a primary cannot work without it (the primary holds the cluster's
/// membership), and Orleans retries for ever, a warning a second. Once the primary has not taken a connection for
/// <c>patience</c>, the silo says so in one line and stops.
/// </summary>
public static class PrimarySiloWatch
{
    /// <summary>A token cancelled once nothing has listened on 127.0.0.1:<paramref name="port"/> for <paramref name="patience"/> (checked every second).</summary>
    public static CancellationTokenSource Start(int port, TimeSpan patience)
    {
        var lost = new CancellationTokenSource();
        _ = Task.Run(async () =>
        {
            var heard = System.Diagnostics.Stopwatch.StartNew();
            while (!lost.IsCancellationRequested)
            {
                if (await Answers(port)) heard.Restart();
                else if (heard.Elapsed > patience)
                {
                    CliErrors.Fail($"the primary silo at 127.0.0.1:{port} has not answered for {patience.TotalSeconds:F0} s, and a silo joined through it cannot work without it: stopping");
                    await lost.CancelAsync();
                    return;
                }
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        });
        return lost;
    }

    private static async Task<bool> Answers(int port)
    {
        using var probe = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await probe.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
