using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace InverseLearning.Training.Cluster;

/// <summary>
/// A cluster of silo processes on this machine (127.0.0.1, free ports, one shared state folder,
/// fast failure detection): what `inverselearning cluster`, the tests and `make cluster-check`
/// start. Silo 0 is the primary the others join, so it is the one silo that must stay up.
/// </summary>
public sealed class LocalCluster : IDisposable
{
    public const int MaxSilos = 64;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly List<Silo> _silos = [];

    private LocalCluster(string stateDirectory) => StateDirectory = stateDirectory;

    public string StateDirectory { get; }
    public IReadOnlyList<IPEndPoint> Gateways => _silos.Select(s => new IPEndPoint(IPAddress.Loopback, s.GatewayPort)).ToList();
    public ClusterAddress Address => new(Gateways, null);
    /// <summary>The value of train's --cluster.</summary>
    public string AddressText => string.Join(",", Gateways);

    /// <summary>Starts <paramref name="silos"/> silo processes of this executable and waits until each says it is up.</summary>
    public static LocalCluster Start(int silos, string stateDirectory)
    {
        if (silos is < 1 or > MaxSilos) throw new ArgumentOutOfRangeException(nameof(silos), silos, $"a local cluster has 1 to {MaxSilos} silos");
        var cluster = new LocalCluster(stateDirectory);
        try
        {
            for (var k = 0; k < silos; k++) cluster._silos.Add(StartSilo(k, cluster._silos.FirstOrDefault()?.SiloPort, stateDirectory));
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    // Ports drawn free can be taken by another process before the silo binds them (the silo's start is a process start
    // away): the silo then stops in one line, and is started again on newly drawn ports.
    private static Silo StartSilo(int index, int? primaryPort, string stateDirectory)
    {
        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return Silo.Start(index, primaryPort, stateDirectory);
            }
            catch (SiloPortTakenException) when (attempt < attempts)
            {
            }
        }
    }

    /// <summary>Kills silo <paramref name="index"/> at once, as kill -9 does: no deactivation, no goodbye to the cluster.</summary>
    public void Kill(int index)
    {
        if (index == 0) throw new ArgumentException("silo 0 is the primary the others joined through; kill another");
        _silos[index].Process.Kill(entireProcessTree: true);
        _silos[index].Process.WaitForExit();
    }

    public bool IsRunning(int index) => !_silos[index].Process.HasExited;

    /// <summary>How silo <paramref name="index"/> is named to its operator: its number and ports.</summary>
    public string Describe(int index) => $"silo {index} (ports {_silos[index].SiloPort}/{_silos[index].GatewayPort})";

    /// <summary>The first of the silos in <paramref name="watched"/> whose process ends (killed, crashed), with its exit code.</summary>
    public async Task<(int Index, int ExitCode)> NextExitAsync(IReadOnlyCollection<int> watched, CancellationToken cancel)
    {
        async Task<(int, int)> Exit(int index)
        {
            await _silos[index].Process.WaitForExitAsync(cancel);
            return (index, _silos[index].Process.ExitCode);
        }
        return await await Task.WhenAny(watched.Select(Exit));
    }

    /// <summary>The silo-to-silo port of silo <paramref name="index"/>, by which the cluster's membership names it (a test placing grains on it).</summary>
    public int SiloPort(int index) => _silos[index].SiloPort;

    /// <summary>The process id of silo <paramref name="index"/>, for signalling it from outside (a test pausing it).</summary>
    public int ProcessId(int index) => _silos[index].Process.Id;

    /// <summary>A loopback port the OS just gave out and took back: free now, and unlikely to be given again at once.</summary>
    public static int FreePort() => FreePorts().First;

    /// <summary>Two different free ports: both held while the second is asked for, so the OS cannot give the same one twice.</summary>
    public static (int First, int Second) FreePorts()
    {
        var (first, second) = (new TcpListener(IPAddress.Loopback, 0), new TcpListener(IPAddress.Loopback, 0));
        first.Start();
        second.Start();
        var ports = (((IPEndPoint)first.LocalEndpoint).Port, ((IPEndPoint)second.LocalEndpoint).Port);
        first.Stop();
        second.Stop();
        return ports;
    }

    public void Dispose()
    {
        foreach (var silo in _silos)
        {
            if (!silo.Process.HasExited) silo.Process.Kill(entireProcessTree: true);
            silo.Process.WaitForExit();
            silo.Process.Dispose();
        }
    }

    private sealed class Silo
    {
        private readonly StringBuilder _log = new();

        private Silo(Process process, int siloPort, int gatewayPort) => (Process, SiloPort, GatewayPort) = (process, siloPort, gatewayPort);

        public Process Process { get; }
        public int SiloPort { get; }
        public int GatewayPort { get; }
        public string Log
        {
            get
            {
                lock (_log) return _log.ToString();
            }
        }

        public static Silo Start(int index, int? primaryPort, string stateDirectory)
        {
            var (siloPort, gatewayPort) = FreePorts();
            var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            start.ArgumentList.Add(typeof(LocalCluster).Assembly.Location);
            foreach (var arg in new[] { "silo", "--port", $"{siloPort}", "--gateway-port", $"{gatewayPort}", "--state", stateDirectory, "--fast-failure-detection",
                         "--exit-with", $"{Environment.ProcessId}" })
                start.ArgumentList.Add(arg);
            if (primaryPort is { } primary) foreach (var arg in new[] { "--primary-port", $"{primary}" }) start.ArgumentList.Add(arg);
            var process = Process.Start(start) ?? throw new IOException("could not start a silo process");
            var silo = new Silo(process, siloPort, gatewayPort);
            var up = new TaskCompletionSource();
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                lock (silo._log) silo._log.AppendLine(e.Data);
                if (e.Data.StartsWith("silo up")) up.TrySetResult();
            };
            process.OutputDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            var exited = process.WaitForExitAsync();
            if (Task.WhenAny(up.Task, exited, Task.Delay(StartTimeout)).GetAwaiter().GetResult() != up.Task)
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                var why = $"silo {index} (ports {siloPort}/{gatewayPort}) did not come up within {StartTimeout.TotalSeconds:F0} s: {silo.Log.Trim()}";
                throw silo.Log.Contains(ShardSilo.PortTaken) ? new SiloPortTakenException(why) : new IOException(why);
            }
            return silo;
        }

    }
}
