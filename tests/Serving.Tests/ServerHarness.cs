using Grpc.Net.Client;
using InverseLearning.V1;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace InverseLearning.Serving.Tests;

/// <summary>A real server on a free loopback port over a fixture model in a scratch folder, and a real gRPC client to it.</summary>
public sealed class ServerHarness : IAsyncDisposable
{
    private ServerHarness(string folder, RankingServer server, CapturedLogs logs)
    {
        Folder = folder;
        Server = server;
        Logs = logs;
        Channel = GrpcChannel.ForAddress($"http://127.0.0.1:{server.Port}");
        Client = new Ranker.RankerClient(Channel);
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.MetricsPort}") };
    }

    public string Folder { get; }
    public string ModelPath => Path.Combine(Folder, "model.onnx");
    public RankingServer Server { get; }
    public CapturedLogs Logs { get; }
    public GrpcChannel Channel { get; }
    public Ranker.RankerClient Client { get; }
    public HttpClient Http { get; }

    public static async Task<ServerHarness> StartAsync(GmfModelFixture model, Action<RankingOptions>? configure = null, IReadOnlyList<(long, long)>? seen = null)
    {
        var folder = Directory.CreateTempSubdirectory("serving-tests-").FullName;
        model.WriteModel(folder);
        if (seen is not null) await GmfModelFixture.WriteSeenAsync(folder, seen);
        return await StartAsync(folder, options => { options.ModelPath = Path.Combine(folder, "model.onnx"); configure?.Invoke(options); });
    }

    /// <summary>A server on <paramref name="model"/> with the command-line <paramref name="flags"/> too, as the host reads them.</summary>
    public static async Task<ServerHarness> StartWithFlagsAsync(GmfModelFixture model, params string[] flags)
    {
        var folder = Directory.CreateTempSubdirectory("serving-tests-").FullName;
        return await StartAsync(folder, _ => { }, ["--model", model.WriteModel(folder), .. flags]);
    }

    /// <summary>A server on <paramref name="model"/> with <paramref name="settings"/> added to its configuration, as a settings file's keys would be.</summary>
    public static async Task<ServerHarness> StartWithSettingsAsync(GmfModelFixture model, IReadOnlyDictionary<string, string?> settings)
    {
        var folder = Directory.CreateTempSubdirectory("serving-tests-").FullName;
        var path = model.WriteModel(folder);
        return await StartAsync(folder, options => options.ModelPath = path, settings: settings);
    }

    /// <summary>A server on the model repository <see cref="Repository"/>, into which <paramref name="model"/> is first published as version 1.</summary>
    public static async Task<ServerHarness> StartOnRepositoryAsync(GmfModelFixture model, IReadOnlyList<(long, long)> seen, Action<RankingOptions>? configure = null)
    {
        var folder = Directory.CreateTempSubdirectory("serving-tests-").FullName;
        model.Publish(Path.Combine(folder, RepositoryName), seen);
        return await StartAsync(folder, options => { options.ModelDirectory = Path.Combine(folder, RepositoryName); configure?.Invoke(options); });
    }

    private const string RepositoryName = "repository";

    public string Repository => Path.Combine(Folder, RepositoryName);

    private static async Task<ServerHarness> StartAsync(string folder, Action<RankingOptions> configure, IReadOnlyList<string>? flags = null,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var logs = new CapturedLogs();
        RankingServer server;
        try
        {
            server = await StartServerAsync(configure, flags, settings, logs);
        }
        catch
        {
            Directory.Delete(folder, recursive: true); // a test of a refused start owns no harness to dispose
            throw;
        }
        return new ServerHarness(folder, server, logs);
    }

    private static Task<RankingServer> StartServerAsync(Action<RankingOptions> configure, IReadOnlyList<string>? flags,
        IReadOnlyDictionary<string, string?>? settings, CapturedLogs logs) =>
        RankingServer.StartAsync(flags ?? [], builder =>
        {
            if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(logs);
            builder.Services.Configure<RankingOptions>(options =>
            {
                options.Port = 0;
                options.MetricsPort = 0;
                options.ModelPollInterval = TimeSpan.FromMilliseconds(200);
                options.DrainTimeout = TimeSpan.FromSeconds(5);
                configure(options);
            });
        });

    /// <summary>A server started from command-line flags alone, logging nowhere.</summary>
    public static Task<RankingServer> StartQuietAsync(params string[] args) => RankingServer.StartAsync(args, builder => builder.Logging.ClearProviders());

    public async Task<string> MetricsAsync() => await Http.GetStringAsync("/metrics");

    /// <summary>
    /// The scrape once <paramref name="series"/> reaches <paramref name="count"/>, or after 30 s: a call is counted as its handler
    /// ends, after the client has its answer.
    /// </summary>
    public async Task<string> MetricsOnceCountedAsync(string series, double count)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var text = await MetricsAsync();
            if (PrometheusText.Find(text, series) >= count || waited.Elapsed > TimeSpan.FromSeconds(30)) return text;
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Polls the metrics until the streams' answered count has not moved for half a second with at least
    /// <paramref name="leastInFlight"/> requests in flight (a stream whose client stopped reading, its answers held by HTTP/2 flow
    /// control); returns the in-flight gauge and that count.
    /// </summary>
    public async Task<(double InFlight, double Answered)> StreamStalledAsync(int leastInFlight)
    {
        var last = -1.0;
        for (var attempt = 0; attempt < 60; attempt++)
        {
            await Task.Delay(500);
            var metrics = await MetricsAsync();
            // A loaded machine may not have answered or read anything yet: the series appear with their first count.
            var answered = PrometheusText.Find(metrics, "ranking_stream_message_duration_seconds_count") ?? 0;
            var inFlight = PrometheusText.Find(metrics, "ranking_stream_messages_in_flight") ?? 0;
            if (answered > 0 && answered == last && inFlight >= leastInFlight) return (inFlight, answered);
            last = answered;
        }
        Assert.Fail("the stream never stalled");
        return default;
    }

    /// <summary>
    /// Polls until the server reports <paramref name="version"/> (a swap is asynchronous, and on a busy machine its watcher and load
    /// took longer than the few seconds this once gave it), failing when the server refuses a reload meanwhile, or after
    /// <see cref="SwapPatience"/>: a bound on a hang, no measure of speed.
    /// </summary>
    public async Task WaitForVersionAsync(string version)
    {
        var refusedBefore = Refusals();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while ((await Client.GetModelInfoAsync(new GetModelInfoRequest())).Version != version)
        {
            Assert.True(Refusals() == refusedBefore, $"the server refused a reload instead of switching to model {version}");
            Assert.True(waited.Elapsed < SwapPatience, $"the server never switched to model {version} (waited {SwapPatience.TotalMinutes} min)");
            await Task.Delay(50);
        }
    }

    /// <summary>How long a swap may take before the wait for it is taken as hung: far past a loaded machine's slowest.</summary>
    private static readonly TimeSpan SwapPatience = TimeSpan.FromMinutes(3);

    private int Refusals() => Logs.Lines.Count(line => line.Message.StartsWith("Model reload refused", StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Channel.Dispose();
        await Server.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }
}
