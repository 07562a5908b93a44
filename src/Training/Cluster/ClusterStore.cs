using InverseLearning.Data;
using InverseLearning.Training.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace InverseLearning.Training.Cluster;

/// <summary>
/// A run's connection to the shard cluster: the client, the store it hands the trainer, and
/// the run's account of the cluster afterwards (cluster.json: shards, traffic, retries,
/// shards restored, row updates lost). The process's membership of the run is <see cref="RunMembership"/>'s.
/// </summary>
public sealed class ClusterStore : IDisposable
{
    private readonly IHost _client;
    private readonly ClusterSettings _settings;
    private ShardClient? _shards;

    private readonly RunMembership _membership;

    // The command's cancellation (Ctrl+C, SIGTERM): the waits for the run's opening and its epochs' ends last minutes, and end with it.
    private readonly CancellationToken _stop;

    private ClusterStore(IHost client, ClusterSettings settings, CancellationToken stop)
    {
        _client = client;
        _settings = settings;
        _stop = stop;
        Run = settings.Run ?? Guid.NewGuid().ToString("N")[..12];
        _membership = new RunMembership(settings, Run, Coordination, () => _shards?.Acknowledged ?? [], stop);
    }

    /// <summary>The run's name on the cluster: its shards' and its workers' meeting point's keys.</summary>
    public string Run { get; }

    /// <summary>The client's services (its IClusterClient), for tools and tests that call grains themselves.</summary>
    public IServiceProvider Services => _client.Services;

    private IClusterClient Grains => _client.Services.GetRequiredService<IClusterClient>();
    private IRunCoordination Coordination => Grains.GetGrain<IRunCoordination>(Run);

    /// <summary>
    /// A start whose first gateway stopped answering (a silo dying as the run connects, or hung) waits out a response
    /// timeout on the cluster's manifest, then the client's 5-s pause before it asks another gateway: about 16 s.
    /// </summary>
    public static readonly TimeSpan ConnectTimeout = 3 * ShardSilo.ClientResponseTimeout;

    /// <summary>
    /// Connects, failing in one line when no silo answers within <see cref="ConnectTimeout"/>; <paramref name="stop"/> ends the store's waits;
    /// <paramref name="report"/> is told when a gateway is left out (its silo declared dead) or taken back.
    /// </summary>
    public static ClusterStore Connect(ClusterSettings settings, CancellationToken stop = default, Action<string>? report = null)
    {
        var client = ShardSilo.Client(settings.Address, report: report);
        using var timeout = new CancellationTokenSource(ConnectTimeout);
        try
        {
            client.StartAsync(timeout.Token).GetAwaiter().GetResult();
        }
        // Whatever stopped the client (no gateway answering, Redis unreachable, a timeout) is one line naming the address.
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            client.Dispose();
            var where = settings.Address.Shown;
            var why = e is OperationCanceledException && timeout.IsCancellationRequested ? $"not within {ConnectTimeout.TotalSeconds:F0} s" : ClusterFailure.Reason(e);
            // A silo's --port takes the connection too, and never answers a trainer.
            throw new IOException($"--cluster: no silo of the cluster at {where} answered ({why}); start them with `inverselearning silo`" +
                (settings.Address.Redis is null ? ", and give their --gateway-port here, not their --port" : ""), e);
        }
        return new ClusterStore(client, settings, stop);
    }

    /// <summary>The calls to the latest store's shards (null before one was created).</summary>
    public ShardClient? Shards => _shards;

    /// <summary>
    /// The trainer's store factory. The coordinator (worker 0) puts the request's tables into the
    /// run's shards and opens the run to its workers; another worker waits for that, then joins them.
    /// </summary>
    /// <param name="opened">Called on the coordinator once the run is open to its workers (--spawn-workers starts them then).</param>
    /// <param name="training">The run's <see cref="TrainSettings.TrainingFingerprint"/>, which every worker must share with the coordinator.</param>
    /// <param name="resumedAfter">The epochs done in the checkpoint this process resumed from (0: none), which every worker must share with the coordinator.</param>
    public IParameterStore Create(StoreRequest request, PreparedDataset data, Action<string>? report = null, Action? opened = null, string training = "", int resumedAfter = 0) =>
        Create(request, new ShardMap(_settings.Shards, data.Users.RawIds, data.Items.RawIds), report, opened, $"{Describe(Artifacts.DataFingerprint.Of(data))}; {training}", resumedAfter,
            OpenedLake.Of(data));

    // In the fingerprint's ", "-separated parts, so that a worker with other data is told the parts that differ.
    private static string Describe(Artifacts.DataFingerprint data) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"data of {data.Users:N0} users, {data.Items:N0} items, {data.TrainRows:N0}/{data.ValidRows:N0}/{data.TestRows:N0} train/valid/test rows, rows hash {data.Hash:x16}, "
        + $"user ids hash {data.UserIds:x16}, item ids hash {data.ItemIds:x16}, extra feedback hash {data.ExtraFeedback:x16}, unlabeled rows hash {data.Unlabeled:x16}");

    /// <summary>
    /// As <see cref="Create(StoreRequest, PreparedDataset, Action{string}?, Action?, string, int)"/>, with rows placed by <paramref name="map"/>;
    /// <paramref name="describes"/> names the data, which every worker must share with the coordinator, and <paramref name="lake"/> the lake
    /// parts the coordinator read, which its opening gives the workers.
    /// </summary>
    public IParameterStore Create(StoreRequest request, ShardMap map, Action<string>? report = null, Action? opened = null, string describes = "", int resumedAfter = 0,
        OpenedLake? lake = null)
    {
        if (map.Shards != _settings.Shards) throw new ArgumentException($"a map of {map.Shards} shards for a run of {_settings.Shards}", nameof(map));
        var fingerprint = $"{request.Model.Name}, {request.UserRows:N0} × {request.ItemRows:N0} rows, seed {request.Seed}, {_settings.Shards} shards, {describes}";
        _shards = new ShardClient(Grains, Run, _settings.Shards, _settings.PersistEvery, _settings.RetryFor, report);
        if (_settings.Worker > 0)
        {
            _membership.Join(fingerprint, resumedAfter, report);
            var joined = new ShardedParameterStore(request, _shards, map, create: false);
            report?.Invoke($"cluster: worker {_settings.Worker} of {_settings.Workers} joined run {Run}");
            return joined;
        }
        // Claimed before the tables go in: a second coordinator of the same --run is refused, not mixed in.
        _membership.Generation = Until(() => ClusterFaults.Ask(() => Coordination.Open(_settings.Workers, _settings.EffectiveWorkerTimeout, fingerprint, _membership.Process, resumedAfter, lake)), g => g > 0, "the run's opening");
        _membership.StartHeartbeat();
        var store = new ShardedParameterStore(request, _shards, map);
        // Every shard has snapshotted its tables by now. One that snapshots where the others' silos cannot read would be lost with its
        // silo, found only then; refused before any work is.
        if (ClusterFaults.Ask(() => Coordination.ShardsNotInState(_settings.Shards)) is { Length: > 0 } elsewhere)
            throw new InvalidOperationException($"run {Run}: the snapshots of {elsewhere.Length} of its {_settings.Shards} shards are not in the --state folder of the silo " +
                "holding its meeting point, so no other silo could restore them: is --state the same folder on every silo?");
        Until(() => ClusterFaults.Done(() => Coordination.Ready()), done => done, "the run's tables being ready");
        var placement = new TablePlacement(request.Model.Name, store.Parameters);
        report?.Invoke(placement.Describe(_settings.Shards, _settings.PersistEvery, $"run {Run}, opening {_membership.Generation}", _settings.Workers));
        if (placement.Warning() is { } warning) report?.Invoke(warning);
        opened?.Invoke();
        return store;
    }

    /// <summary>A worker of a fresh run: the lake parts its coordinator read, once it opened the run (<see cref="IRunCoordination.Lake"/>).</summary>
    public OpenedLake CoordinatorsLake(Action<string>? report = null) => _membership.CoordinatorsLake(report);

    // Asks until the cluster takes the call (it may be moving the grain), for RetryFor at most.
    private T Until<T>(Func<T> ask, Func<T, bool> taken, string what) =>
        Polling.Until(ask, taken, _settings.RetryFor, _stop, () => $"run {Run}: the cluster did not take {what} within {_settings.RetryFor.TotalSeconds:F0} s");

    /// <summary>
    /// This process's part among the run's workers (null for a run of one); <paramref name="report"/> is told whom a wait at an epoch's end waits for;
    /// a worker <paramref name="started"/> (by --spawn-workers) that ends before joining stops the coordinator's wait for it at once.
    /// </summary>
    public IEpochSync? Sync(Action<string>? report = null, Func<IStartedWorkers?>? started = null) =>
        _settings.Workers > 1 ? new ClusterEpochSync(Coordination, () => _membership.Generation, _settings.Worker, _settings.Workers, _settings.Patience, _stop, report, started: started) : null;

    /// <summary>A worker tells the coordinator the row updates the shards acknowledged to it.</summary>
    public void Finish()
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!ClusterFaults.Done(() => Coordination.Finish(_settings.Worker, _shards?.Acknowledged ?? [])))
            if (waited.Elapsed > _settings.RetryFor) throw new TimeoutException($"worker {_settings.Worker}: could not tell run {Run} what it pushed within {_settings.RetryFor.TotalSeconds:F0} s");
    }

    /// <summary>
    /// The run's account of the cluster (the coordinator's, after its workers finished: their
    /// acknowledged updates count in what was lost; traffic is the coordinator's own).
    /// </summary>
    public ClusterReport Report()
    {
        var shards = _shards ?? throw new InvalidOperationException("no store was created on the cluster");
        var (others, lost) = _membership.WorkersFinished();
        var status = shards.Status();
        var traffic = shards.Traffic;
        return new ClusterReport(shards.Run, shards.Count, status.Select(s => s.Silo).Distinct().Count(), status.Sum(s => s.Restores), shards.LostUpdates(others),
            shards.Acknowledged.Sum() + others.Sum(), status.Sum(s => s.UpdatesApplied), traffic.Pulls, traffic.Pushes, traffic.Calls, traffic.BytesSent, traffic.BytesReceived,
            traffic.PullTime.TotalSeconds, traffic.PushTime.TotalSeconds, traffic.Retries, _settings.Workers, lost);
    }

    /// <summary>The coordinator, once its run is reported: the shards and the meeting point delete their saved state and let go of the rows.</summary>
    public void Drop()
    {
        _shards?.Drop();
        ClusterFaults.Done(() => Coordination.Drop());
    }

    /// <summary>
    /// The coordinator, before it opens its run: drops the shards and meeting point of the run <paramref name="outDir"/>'s
    /// <see cref="ClusterRunRecord"/> names (an earlier coordinator there was killed before its run's end; a run of the same
    /// --run takes them over instead), then records this run in its place.
    /// </summary>
    public void TakeOver(string outDir, Action<string> report)
    {
        if (ClusterRunRecord.Read(outDir) is { } earlier && earlier.Run != Run)
        {
            var snapshots = new ShardClient(Grains, earlier.Run, earlier.Shards, _settings.PersistEvery, _settings.RetryFor, report).Drop();
            var meetingPoint = ClusterFaults.Ask(() => Grains.GetGrain<IRunCoordination>(earlier.Run).Drop());
            // Told as found: a record of a run on another cluster (another --state), or whose files were deleted by hand, dropped nothing.
            report(snapshots == 0 && !meetingPoint
                ? $"cluster: run {earlier.Run}, which the run stopped earlier in {outDir} recorded, left nothing in the silos' --state (deleted, or on another cluster)"
                : $"cluster: dropped {snapshots} of run {earlier.Run}'s {earlier.Shards} shard snapshots{(meetingPoint ? " and its meeting point" : "")}, which the run stopped earlier in {outDir} left in the silos' --state");
        }
        new ClusterRunRecord(Run, _settings.Shards).Save(outDir);
    }

    public void Dispose()
    {
        _membership.Dispose();
        _client.StopAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
        _client.Dispose();
    }
}
