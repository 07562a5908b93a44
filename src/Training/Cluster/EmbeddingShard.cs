using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Placement;

namespace InverseLearning.Training.Cluster;

/// <summary>
/// The shard grain (<see cref="IEmbeddingShard"/>). Placed where fewest activations are, so a
/// run's shards spread over the silos. Its rows live in this activation's memory; every
/// <see cref="ShardLayout.PersistEvery"/> pushes and when the activation ends, they are snapshotted to the shared state folder. An activation that finds a snapshot (its silo
/// was lost, or the grain was collected) continues from it, once the activation before it has let go of the shard's lease.
/// One that goes on without the lease claims the snapshot under a later <see cref="ShardTables.Generation"/>: the activation
/// it went on without (on a silo paused or cut off, still running) writes nothing over it, and stops.
/// </summary>
[ActivationCountBasedPlacement]
public sealed class EmbeddingShard(IOptions<ShardStorageOptions> storage, IOptions<GrainCollectionOptions> activation, ILogger<EmbeddingShard> logger)
    : Grain, IEmbeddingShard
{
    private ShardTables? _tables;
    private int _pushesSincePersist;
    private int _restores;
    private bool _dropped;
    /// <summary>Whether the snapshot at the path is this activation's to replace: it loaded it, or wrote it.</summary>
    private bool _holdsSnapshot;
    /// <summary>Whether a later activation replaced (or dropped) this one's snapshot: it writes no more.</summary>
    private bool _superseded;
    private ShardLease? _lease;

    /// <summary>
    /// How long an activation waits for the lease of the one before it: a stopping silo's shard writes its last snapshot in
    /// moments, and a call that waits longer than its 10 s is retried by the run. Half the time Orleans gives the activation
    /// (30 s of <see cref="ShardSilo.ActivationTimeout"/>), which the other half leaves to read the snapshot: a wait past that
    /// time is cancelled with the activation, which then fails instead of going on without the lease.
    /// </summary>
    private TimeSpan LeasePatience => activation.Value.ActivationTimeout / 2;

    private string SnapshotPath => storage.Value.ShardPath(this.GetPrimaryKeyString());

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A shard without a snapshot was never created, or was dropped (a worker still running may call it once more): no activation
        // before it to wait for, and no lease file to leave in the state folder, where a finished run leaves nothing.
        if (!File.Exists(SnapshotPath)) return;
        await TakeLeaseAsync(cancellationToken);
        if (!File.Exists(SnapshotPath))
        {
            // Dropped while this one waited.
            _lease?.Delete();
            _lease = null;
            return;
        }
        try
        {
            _tables = ShardTables.Load(SnapshotPath);
            // Orleans stopped waiting for this activation at its timeout, and has failed it.
            cancellationToken.ThrowIfCancellationRequested();
        }
        catch
        {
            // An activation that failed is never deactivated: its lease, held on, would keep every later one waiting out its patience.
            _lease?.Dispose();
            _lease = null;
            throw;
        }
        _restores = 1;
        _holdsSnapshot = true;
        logger.LogWarning("shard {Key} restored from {Path} at {Updates} row updates", this.GetPrimaryKeyString(), SnapshotPath, _tables.UpdatesApplied);
        if (_lease is null)
        {
            // The activation holding the lease may still run, and write its older rows: claimed now, the snapshot is refused to it.
            _tables.Generation++;
            Snapshot();
        }
    }

    private async Task TakeLeaseAsync(CancellationToken cancellationToken)
    {
        var leasePath = storage.Value.LeasePath(this.GetPrimaryKeyString());
        _lease = await ShardLease.TakeAsync(leasePath, LeasePatience, cancellationToken);
        if (_lease is null)
            logger.LogWarning("shard {Key}: {Path} is still held after {Seconds:F0} s (by a silo cut off but running?); going on from its last snapshot",
                this.GetPrimaryKeyString(), leasePath, LeasePatience.TotalSeconds);
    }

    // A silo shutting down or an idle grain collected: nothing need be lost.
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        try
        {
            if (_tables is not null && !_dropped && !_superseded && _pushesSincePersist > 0) Snapshot();
        }
        finally
        {
            // Only now may the next activation load the snapshot.
            _lease?.Dispose();
        }
        return Task.CompletedTask;
    }

    public Task<bool> Drop()
    {
        _dropped = true;
        var had = File.Exists(SnapshotPath);
        File.Delete(SnapshotPath);
        // One this activation went on without (held by a paused silo) is the finished run's file all the same.
        if (_lease is null) File.Delete(storage.Value.LeasePath(this.GetPrimaryKeyString()));
        _lease?.Delete();
        _lease = null;
        DeactivateOnIdle();
        return Task.FromResult(had);
    }

    public async Task Create(ShardLayout layout, float[][] initialValues)
    {
        if (_lease is null) await TakeLeaseAsync(CancellationToken.None);
        _tables = new ShardTables(layout, initialValues) { Generation = _tables?.Generation ?? 0 };
        _restores = 0;
        Snapshot();
    }

    public Task<ShardTensors> Pull(ShardRows rows, bool withState) => Task.FromResult(Tables.Gather(rows, withState));

    public Task<long> Push(ShardRows rows, ShardTensors updated, bool keepState)
    {
        Tables.Scatter(rows, updated, keepState);
        if (++_pushesSincePersist >= Tables.Layout.PersistEvery) Snapshot();
        return Task.FromResult(Tables.UpdatesApplied);
    }

    public Task<float[]> Read(int table, int slot) => Task.FromResult((float[])Tables.Tensors[Tables.Index(table, slot)].Clone());

    // Changes that are not pushes (a checkpoint's load on resume, a phase's optimizer reset) are snapshotted at once:
    // the update count cannot tell what a silo lost of them.
    public Task Write(int table, int slot, float[] values)
    {
        Tables.Write(table, slot, values);
        Snapshot();
        return Task.CompletedTask;
    }

    public Task ResetOptimizer()
    {
        Tables.ResetOptimizer();
        Snapshot();
        return Task.CompletedTask;
    }

    public Task KeepBest(long id)
    {
        Tables.KeepBest(id);
        Snapshot();
        return Task.CompletedTask;
    }

    public Task RestoreBest(long id)
    {
        Tables.RestoreBest(id);
        Snapshot();
        return Task.CompletedTask;
    }

    public Task<ShardStatus> Status() => Task.FromResult(new ShardStatus
    {
        UpdatesApplied = Tables.UpdatesApplied,
        Restores = _restores,
        Silo = RuntimeIdentity,
    });

    private ShardTables Tables => _tables ?? throw new InvalidOperationException(
        $"shard {this.GetPrimaryKeyString()} holds no tables: it was never created, and {SnapshotPath} does not exist (is --state the same folder on every silo?)");

    private void Snapshot()
    {
        var onDisk = ShardTables.GenerationAt(SnapshotPath);
        if (_superseded || (onDisk is { } generation ? generation > Tables.Generation : _holdsSnapshot)) Supersede(onDisk);
        Tables.Save(SnapshotPath);
        _holdsSnapshot = true;
        _pushesSincePersist = 0;
    }

    // This silo went on after its shard had moved on without it (paused or cut off past the cluster's patience): its rows are older
    // than the snapshot's, or than the finished run that dropped it.
    private void Supersede(long? onDisk)
    {
        _superseded = true;
        DeactivateOnIdle();
        var why = onDisk is { } generation
            ? $"a later activation of it on another silo replaced {SnapshotPath} (generation {generation}, this one's {Tables.Generation})"
            : $"{SnapshotPath} was deleted (its run was dropped)";
        logger.LogWarning("shard {Key}: {Why} while this silo was paused or cut off; this activation stops without writing its older rows", this.GetPrimaryKeyString(), why);
        throw new InvalidOperationException($"shard {this.GetPrimaryKeyString()}: {why} while its silo was paused or cut off; this activation writes nothing more");
    }
}
