using System.Diagnostics;
using System.Net;
using Grpc.Net.Client;
using InverseLearning.V1;

namespace InverseLearning.Benchmarks.Serving;

/// <summary>
/// The built serving host (`inverselearning-serve`, what the serving image runs) as its own process on a free loopback port, optionally pinned to
/// CPUs with `taskset` so that a load generator in this process cannot share its cores.
/// Disposing kills it.
/// </summary>
public sealed class ServeProcess : IDisposable
{
    private const string Host = "src/Serving/bin/Release/net10.0/inverselearning-serve.dll";
    private readonly Process _process;
    private string? _lastError;

    private ServeProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }
    public int Id => _process.Id;

    /// <param name="cpus">a taskset CPU list ("1", "0-1"), or null to run unpinned.</param>
    public static ServeProcess Start(string modelPath, IEnumerable<string> extraArgs, string? cpus = null)
    {
        var port = FreePort();
        string[] serve = [Host, "--model", modelPath, "--port", port.ToString(), "--metrics-port", "-1", "--no-watch", .. extraArgs];
        var start = cpus is null ? new ProcessStartInfo("dotnet", serve) : new ProcessStartInfo("taskset", ["-c", cpus, "dotnet", .. serve]);
        start.RedirectStandardOutput = start.RedirectStandardError = true;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        var serveProcess = new ServeProcess(process, port);
        process.ErrorDataReceived += (_, line) => serveProcess._lastError = line.Data ?? serveProcess._lastError;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return serveProcess;
    }

    /// <summary>Returns once the server answers GetModelInfo; fails at once if the process exits first, or after 30 s.</summary>
    public async Task WaitUntilServingAsync()
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{Port}");
        var client = new Ranker.RankerClient(channel);
        for (var attempt = 0; ; attempt++)
        {
            if (_process.HasExited)
            {
                _process.WaitForExit(); // lets stderr reach its end, so its last line (the error) is read
                throw new InvalidOperationException($"the serve process exited with code {_process.ExitCode} before it answered: {_lastError}");
            }
            try
            {
                await client.GetModelInfoAsync(new GetModelInfoRequest(), deadline: DateTime.UtcNow.AddSeconds(1));
                return;
            }
            catch (Grpc.Core.RpcException) when (attempt < 300)
            {
                await Task.Delay(100);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
    }
}
