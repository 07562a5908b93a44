using System.Text.Json;
using InverseLearning.Data;
using InverseLearning.Training.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace InverseLearning.Training.Cluster;

/// <summary>What the train verb's --cluster asks for: where the cluster is, how many shards the tables are cut into, and how often a shard snapshots.</summary>
public sealed record ClusterSettings(ClusterAddress Address, int Shards, int PersistEvery, TimeSpan RetryFor)
{
    public const int DefaultShards = 8, DefaultPersistEvery = 50, MaxShards = 4096;
}

/// <summary>
/// A run's connection to the shard cluster: the client, the store it hands the trainer, and
/// the run's account of the cluster afterwards (cluster.json: shards, traffic, retries,
/// shards restored, row updates lost).
/// </summary>
public sealed class ClusterStore : IDisposable
{
    private readonly IHost _client;
    private readonly ClusterSettings _settings;
    private ShardClient? _shards;

    private ClusterStore(IHost client, ClusterSettings settings)
    {
        _client = client;
        _settings = settings;
    }

    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Connects, failing in one line when no silo answers within <see cref="ConnectTimeout"/>.</summary>
    public static ClusterStore Connect(ClusterSettings settings)
    {
        var client = ShardSilo.Client(settings.Address);
        try
        {
            using var timeout = new CancellationTokenSource(ConnectTimeout);
            client.StartAsync(timeout.Token).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is OperationCanceledException or Orleans.Runtime.OrleansException or TimeoutException or InvalidOperationException)
        {
            client.Dispose();
            var where = settings.Address.Redis ?? string.Join(",", settings.Address.Gateways);
            throw new IOException($"--cluster: no silo of the cluster at {where} answered ({e.Message.Split('\n')[0]}); start them with `inverselearning silo`", e);
        }
        return new ClusterStore(client, settings);
    }

    public ShardedParameterStore? Store { get; private set; }

    /// <summary>The calls to the latest store's shards (null before one was created).</summary>
    public ShardClient? Shards => _shards;

    /// <summary>The trainer's store factory: a new run of shards (a fresh key per run) holding the request's tables.</summary>
    public IParameterStore Create(StoreRequest request, PreparedDataset data, Action<string>? report = null)
    {
        var grains = _client.Services.GetRequiredService<IClusterClient>();
        var run = Guid.NewGuid().ToString("N")[..12];
        _shards = new ShardClient(grains, run, _settings.Shards, _settings.PersistEvery, _settings.RetryFor, report);
        Store = new ShardedParameterStore(request, _shards, new ShardMap(_settings.Shards, data.Users.RawIds, data.Items.RawIds));
        report?.Invoke($"cluster: {request.Model.Name}'s tables in {_settings.Shards} shards (run {run}), snapshotted every {_settings.PersistEvery} pushes");
        return Store;
    }

    /// <summary>The run's account of the cluster, as JSON.</summary>
    public ClusterReport Report()
    {
        var shards = _shards ?? throw new InvalidOperationException("no store was created on the cluster");
        var status = shards.Status();
        var traffic = shards.Traffic;
        return new ClusterReport(shards.Run, shards.Count, status.Select(s => s.Silo).Distinct().Count(), status.Sum(s => s.Restores), shards.LostUpdates(),
            status.Sum(s => s.UpdatesApplied), traffic.Pulls, traffic.Pushes, traffic.Calls, traffic.BytesSent, traffic.BytesReceived,
            traffic.PullTime.TotalSeconds, traffic.PushTime.TotalSeconds, traffic.Retries);
    }

    public void Dispose()
    {
        _client.StopAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
        _client.Dispose();
    }
}

/// <summary>cluster.json: a run's shards, where they ended up, what reaching them cost, and what lost silos cost.</summary>
public sealed record ClusterReport(string Run, int Shards, int SilosHosting, int ShardsRestored, long UpdatesLost, long UpdatesApplied,
    long Pulls, long Pushes, long Calls, long BytesSent, long BytesReceived, double PullSeconds, double PushSeconds, long Retries)
{
    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true }) + "\n");
}
