using InverseLearning.Training.Artifacts;
using InverseLearning.Training.Cluster;
using InverseLearning.Training.Models;
using InverseLearning.Training.Runtime;
using InverseLearning.Training.Tests.EndToEnd;
using Microsoft.Extensions.DependencyInjection;

namespace InverseLearning.Training.Tests.Cluster;

/// <summary>
/// The sharded store against the host store, on two silos in this process: the rows travel
/// to the shards and back without arithmetic, and the step graphs are the same, so one
/// trainer on the cluster trains to the same bytes as on one machine, for every kind of
/// backbone (row tables, a history table, tables read whole) and for a fresh optimizer.
/// </summary>
public class ShardedStoreTests(TinyFeed feed, ShardedStoreTests.Silos silos) : IClassFixture<TinyFeed>, IClassFixture<ShardedStoreTests.Silos>
{
    public sealed class Silos : IDisposable
    {
        public InProcessSilos Cluster { get; } = new();
        public void Dispose() => Cluster.Dispose();
    }

    [Theory]
    [InlineData("gmf", "ns", false)]
    [InlineData("gmf", "ig", false)]
    [InlineData("neumf", "dns", false)]
    [InlineData("cdae", "ns", false)]
    [InlineData("lightgcn", "idl", false)]
    [InlineData("gmf", "tce", true)]
    public void One_trainer_on_the_cluster_trains_to_the_same_bytes_as_on_one_machine(string model, string method, bool freshOptimizer)
    {
        var settings = new TrainSettings { Model = model, Method = method, Epochs = 2, BatchSize = 256, LearningRate = 1e-2, Dim = 4, Threads = 1, Seed = 5, FreshOptimizer = freshOptimizer }
            .WithOption(TowerOptions.Layers, 2);
        using var cluster = ClusterStore.Connect(silos.Cluster.Settings(shards: 3, persistEvery: 7));
        using var host = new Trainer(settings, feed.Data);
        using var sharded = new Trainer(settings, feed.Data, store: request => cluster.Create(request, feed.Data));
        host.Run();
        sharded.Run();
        var traffic = cluster.Shards!.Traffic;
        // LightGCN's tables all stay in the process: its steps reach no shard, and the closing line counted a pull and a push for each.
        if (model == "lightgcn") Assert.Equal((0L, 0L, 0L), (traffic.Pulls, traffic.Pushes, traffic.Calls));
        else Assert.True(traffic.Pushes > 0, "the trainer never pushed a step's rows to the shards");
        Assert.Equal(host.Scorer.Evaluate(feed.Data.Test), sharded.Scorer.Evaluate(feed.Data.Test));
        var dir = feed.Scratch($"sharded-{model}-{method}");
        Checkpoint.Save(Path.Combine(dir, "host"), host.Store, host.State);
        Checkpoint.Save(Path.Combine(dir, "sharded"), sharded.Store, sharded.State);
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "host")), File.ReadAllBytes(Path.Combine(dir, "sharded")));
    }

    [Fact]
    public void Whole_tensors_and_single_rows_read_back_what_was_written()
    {
        using var cluster = ClusterStore.Connect(silos.Cluster.Settings(shards: 4, persistEvery: 10));
        var model = ModelRegistry.Create(new ModelContext(new TrainSettings { Dim = 3 }, feed.Data.Users.Count, feed.Data.Items.Count, feed.Data.Train));
        var store = cluster.Create(new StoreRequest(model, feed.Data.Users.Count, feed.Data.Items.Count, 2, 1, InitScheme.Ncf), feed.Data);
        var host = new HostParameterStore(new StoreRequest(model, feed.Data.Users.Count, feed.Data.Items.Count, 2, 1, InitScheme.Ncf));
        for (var k = 0; k < store.Parameters.Count; k++)
        {
            var (expected, actual) = (new float[store.Parameters[k].Length], new float[store.Parameters[k].Length]);
            host.Read(k, 0, expected);
            store.Read(k, 0, actual);
            Assert.Equal(expected, actual);
        }
        var table = 0;
        var written = Enumerable.Range(0, store.Parameters[table].Length).Select(i => (float)i).ToArray();
        var version = store.Version;
        store.Write(table, 2, written);
        Assert.True(store.Version > version);
        var state = new float[written.Length];
        store.Read(table, 2, state);
        Assert.Equal(written, state);
        store.Write(table, 0, written);
        int[] rows = [5, 0, 17, 5];
        var width = store.Parameters[table].RowWidth;
        var picked = new float[rows.Length * width];
        store.ReadRows(table, rows, picked);
        Assert.Equal(rows.SelectMany(r => written.Skip(r * width).Take(width)), picked);
        Assert.Throws<ArgumentOutOfRangeException>(() => store.ReadRows(table, [feed.Data.Users.Count], new float[width]));
    }

    [Fact]
    public void The_best_copy_is_kept_by_the_shards_and_restored_with_the_dense_layers()
    {
        using var cluster = ClusterStore.Connect(silos.Cluster.Settings(shards: 3, persistEvery: 10));
        var model = ModelRegistry.Create(new ModelContext(new TrainSettings { Dim = 3 }, feed.Data.Users.Count, feed.Data.Items.Count, feed.Data.Train));
        var store = cluster.Create(new StoreRequest(model, feed.Data.Users.Count, feed.Data.Items.Count, 2, 1, InitScheme.Ncf), feed.Data);
        float[][] All() => Enumerable.Range(0, store.Parameters.Count).SelectMany(k => Enumerable.Range(0, 3).Select(slot =>
        {
            var values = new float[store.Parameters[k].Length];
            store.Read(k, slot, values);
            return values;
        })).ToArray();
        var best = store.Snapshot();
        var kept = All();
        for (var k = 0; k < store.Parameters.Count; k++)
            for (var slot = 0; slot < 3; slot++) store.Write(k, slot, Enumerable.Repeat(0.5f, store.Parameters[k].Length).ToArray());
        Assert.NotEqual(kept, All());
        store.Restore(best);
        Assert.Equal(kept, All());
        // The store keeps one copy: a later snapshot replaces it, and the earlier one is refused.
        var later = store.Snapshot(reuse: best);
        Assert.Throws<InvalidOperationException>(() => store.Restore(best));
        store.Restore(later);
    }

    /// <summary>
    /// LightGCN reads its tables whole, so they stay in the trainer's process: the start line said they were in the shards,
    /// and the run then reported no traffic. It says where each table is, and warns that the cluster holds none of them.
    /// </summary>
    [Theory]
    [InlineData("lightgcn", 1, "cluster: lightgcn reads its tables whole (lightgcn_user, lightgcn_item): they stay in this process; the 3 shards hold none (run ", "); 1 worker(s)")]
    [InlineData("lightgcn", 2, "cluster: lightgcn reads its tables whole (lightgcn_user, lightgcn_item): they stay in each worker's process (replicated, averaged at each epoch's end); the 3 shards hold none (run ", "); 2 worker(s)")]
    // Its dense layer (predict) stays in the process too, but is no table: the line names none kept there.
    [InlineData("gmf", 1, "cluster: gmf's tables user_gmf, item_gmf in 3 shards (run ", "), snapshotted every 10 pushes; 1 worker(s)")]
    public void The_start_line_names_the_tables_in_the_shards_and_those_that_stay(string modelName, int workers, string expected, string expectedEnd)
    {
        using var cluster = ClusterStore.Connect(silos.Cluster.Settings(shards: 3, persistEvery: 10) with { Workers = workers });
        var model = ModelRegistry.Create(new ModelContext(new TrainSettings { Model = modelName, Dim = 3 }, feed.Data.Users.Count, feed.Data.Items.Count, feed.Data.Train));
        var lines = new List<string>();
        cluster.Create(new StoreRequest(model, feed.Data.Users.Count, feed.Data.Items.Count, 2, 1, InitScheme.Ncf), feed.Data, lines.Add);
        var start = Assert.Single(lines, l => l.StartsWith("cluster: " + modelName, StringComparison.Ordinal));
        Assert.StartsWith(expected, start);
        Assert.EndsWith(expectedEnd, start);
        var warning = lines.SingleOrDefault(l => l.StartsWith("warning:", StringComparison.Ordinal));
        if (modelName == "lightgcn")
            Assert.Equal("warning: --cluster saves lightgcn no memory: it reads every table whole, so each process holds them all, as it would without --cluster", warning);
        else Assert.Null(warning);
    }
}

/// <summary>A silo stopped mid-epoch (SIGTERM, a rolling update): its shards snapshot as they deactivate and come back on the other silo with every update.</summary>
public class ShardHandoverTests(TinyFeed feed) : IClassFixture<TinyFeed>
{
    [Fact]
    public void A_silo_stopped_mid_epoch_hands_its_shards_over_without_losing_an_update()
    {
        using var silos = new InProcessSilos();
        // No snapshot but the first from pushes: only the one taken at deactivation can keep the updates.
        using var cluster = ClusterStore.Connect(silos.Settings(shards: 6, persistEvery: 1_000_000));
        ShardStatus[]? before = null;
        var settings = new TrainSettings { Method = "ns", Epochs = 2, BatchSize = 256, LearningRate = 1e-2, Dim = 4, Threads = 1, Seed = 5 };
        using var single = new Trainer(settings, feed.Data);
        single.Run();
        using var trainer = new Trainer(settings, feed.Data, new AtBatch(5, () =>
        {
            before = cluster.Shards!.Status();
            silos.StopSecond();
        }), store: request => cluster.Create(request, feed.Data));
        trainer.Run();
        var after = cluster.Shards!.Status();
        var moved = Enumerable.Range(0, after.Length).Where(s => after[s].Restores > 0).ToList();
        Assert.NotEmpty(moved);
        Assert.Single(after.Select(s => s.Silo).Distinct());
        Assert.All(moved, s => Assert.True(before![s].UpdatesApplied > 0));
        var report = cluster.Report();
        Assert.Equal(0, report.UpdatesLost);
        Assert.Equal(report.UpdatesAcknowledged, report.UpdatesApplied);
        // Nothing lost, nothing changed: the run is the single process's, to the metric.
        Assert.Equal(single.Scorer.Evaluate(feed.Data.Test), trainer.Scorer.Evaluate(feed.Data.Test));
    }

    /// <summary>
    /// The silo stops while the run goes on pushing (a rolling update does not wait for a batch's end): Orleans may activate a
    /// shard on the other silo before the stopping one has written its last snapshot, which would load the one before it.
    /// </summary>
    [Fact]
    public async Task A_silo_stopped_while_pushes_go_on_hands_its_shards_over_without_losing_an_update()
    {
        using var silos = new InProcessSilos();
        using var cluster = ClusterStore.Connect(silos.Settings(shards: 6, persistEvery: 1_000_000));
        var settings = new TrainSettings { Method = "ns", Epochs = 3, BatchSize = 64, LearningRate = 1e-2, Dim = 4, Threads = 1, Seed = 5 };
        using var single = new Trainer(settings, feed.Data);
        single.Run();
        Task? stopping = null;
        using var trainer = new Trainer(settings, feed.Data, new AtBatch(5, () => stopping = Task.Run(silos.StopSecond)),
            store: request => cluster.Create(request, feed.Data));
        trainer.Run();
        await stopping!;
        var report = cluster.Report();
        Assert.Equal(0, report.UpdatesLost);
        Assert.Equal(single.Scorer.Evaluate(feed.Data.Test), trainer.Scorer.Evaluate(feed.Data.Test));
    }

    /// <summary>
    /// The mechanism behind the test above, without its race: a shard's new activation waits for the lease the activation before
    /// it holds, and reads the snapshot only once that is let go. Here the test holds the leases of the stopped silo's shards,
    /// with their snapshots swapped for bytes that are none until it lets go: an activation that did not wait failed to read them.
    /// </summary>
    [Fact]
    public async Task A_shard_activation_reads_its_snapshot_only_once_the_lease_is_let_go()
    {
        using var silos = new InProcessSilos();
        using var cluster = ClusterStore.Connect(silos.Settings(shards: 6, persistEvery: 1_000_000));
        GmfTables(cluster);
        var before = cluster.Shards!.Status();
        var (lease, snapshot) = ShardFiles(silos, cluster);
        // Every live activation holds its lease.
        Assert.All(Enumerable.Range(0, before.Length), s => Assert.Null(TryHold(lease(s))));
        var held = StopSecondHoldingLeasesLetGo(silos, before.Length, lease);
        foreach (var (s, _) in held)
        {
            File.Move(snapshot(s), snapshot(s) + ".away");
            File.WriteAllBytes(snapshot(s), [1, 2, 3]); // not a snapshot: an activation that read it now would fail
        }
        var status = Task.Run(cluster.Shards.Status);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(status.IsCompleted);
        foreach (var (s, hold) in held)
        {
            File.Move(snapshot(s) + ".away", snapshot(s), overwrite: true);
            hold.Dispose();
        }
        var after = await status;
        Assert.All(held, h => Assert.Equal((1, before[h.Shard].UpdatesApplied), (after[h.Shard].Restores, after[h.Shard].UpdatesApplied)));

        // Restored, it holds the snapshot: one deleted under it (its run dropped while its silo was paused) is not written back.
        var restored = held[0].Shard;
        var shard = Grain(cluster, restored);
        var rows = await shard.Read(0, 0);
        File.Delete(snapshot(restored));
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => shard.Write(0, 0, rows));
        Assert.Contains("was deleted", refused.Message);
        Assert.False(File.Exists(snapshot(restored)), "the dropped snapshot was written back");
    }

    private static IEmbeddingShard Grain(ClusterStore cluster, int shard) =>
        cluster.Services.GetRequiredService<Orleans.IClusterClient>().GetGrain<IEmbeddingShard>(ShardClient.ShardKey(cluster.Shards!.Run, shard));

    /// <summary>
    /// A shard dropped by the activation before it (a resumed run drops the shards of the run it takes over, and the old activation
    /// answers as it stops) while its new activation waits for the lease: let go, the new activation finds no snapshot, loads none
    /// and deletes the lease it took, leaving nothing in the state folder.
    /// </summary>
    [Fact]
    public async Task A_shard_dropped_while_its_activation_waits_for_the_lease_loads_nothing_and_leaves_no_file()
    {
        using var silos = new InProcessSilos();
        using var cluster = ClusterStore.Connect(silos.Settings(shards: 6, persistEvery: 1_000_000) with { RetryFor = TimeSpan.FromSeconds(5) });
        GmfTables(cluster);
        var (lease, snapshot) = ShardFiles(silos, cluster);
        var held = StopSecondHoldingLeasesLetGo(silos, 6, lease);

        var status = Task.Run(cluster.Shards!.Status);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(status.IsCompleted); // the new activations wait
        foreach (var (s, hold) in held)
        {
            // What the old activation's Drop does: the snapshot and the lease deleted, then let go.
            File.Delete(snapshot(s));
            File.Delete(lease(s));
            hold.Dispose();
        }

        // Answered by activations that hold no tables.
        await Assert.ThrowsAnyAsync<Exception>(() => status);
        Assert.All(held, h => Assert.False(File.Exists(lease(h.Shard)), $"{lease(h.Shard)} was left"));
    }

    /// <summary>
    /// A lease never let go (a paused silo keeps its own) is waited for half the time Orleans gives an activation, and then the shard
    /// goes on from its snapshot. Orleans cancels an activation past that time: a wait for the lease longer than it failed every
    /// activation of the shard, and the run, as it called the shard, with them.
    /// </summary>
    [Fact]
    public async Task A_shard_whose_lease_is_never_let_go_goes_on_from_its_snapshot_before_its_activation_is_cancelled()
    {
        using var silos = new InProcessSilos(activationTimeout: TimeSpan.FromSeconds(8));
        using var cluster = ClusterStore.Connect(silos.Settings(shards: 6, persistEvery: 1_000_000));
        GmfTables(cluster);
        var before = cluster.Shards!.Status();
        var (lease, snapshot) = ShardFiles(silos, cluster);
        var held = StopSecondHoldingLeasesLetGo(silos, before.Length, lease);
        try
        {
            var after = await Task.Run(cluster.Shards.Status).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.All(held, h => Assert.Equal((1, before[h.Shard].UpdatesApplied), (after[h.Shard].Restores, after[h.Shard].UpdatesApplied)));
            // Claimed on disk at once, under the next generation, before any push: the activation it went on without (its silo
            // paused, still running) finds the claim at its next write, and writes nothing.
            Assert.All(held, h => Assert.Equal(1, ShardTables.GenerationAt(snapshot(h.Shard))));
            // A create retried on it (the first answered too late) keeps the claim: under generation 0 it was refused as superseded.
            var (shard, claimed) = (Grain(cluster, held[0].Shard), ShardTables.Load(snapshot(held[0].Shard)));
            await shard.Create(claimed.Layout, [.. Enumerable.Range(0, claimed.Layout.Widths.Length).Select(t => claimed.Tensors[claimed.Index(t, 0)])]);
            Assert.Equal(1, ShardTables.GenerationAt(snapshot(held[0].Shard)));

            // A finished run leaves no file in the state folder, the leases the paused silo still holds included (they were left).
            await Task.Run(cluster.Drop).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.All(held, h => Assert.False(File.Exists(lease(h.Shard)), $"{lease(h.Shard)} was left by the finished run"));
        }
        finally
        {
            foreach (var (_, hold) in held) hold.Dispose();
        }
    }

    /// <summary>
    /// Orleans never deactivates an activation that failed: one that took its shard's lease and then failed to read the snapshot
    /// kept the lease, and every later activation of the shard waited out its patience for it.
    /// </summary>
    [Fact]
    public void A_shard_activation_that_fails_to_read_its_snapshot_lets_its_lease_go()
    {
        using var silos = new InProcessSilos();
        using var cluster = ClusterStore.Connect(silos.Settings(shards: 6, persistEvery: 1_000_000));
        GmfTables(cluster);
        var (lease, snapshot) = ShardFiles(silos, cluster);
        var held = StopSecondHoldingLeasesLetGo(silos, cluster.Shards!.Count, lease);
        foreach (var (s, hold) in held)
        {
            File.WriteAllBytes(snapshot(s), [1, 2, 3]); // not a snapshot
            hold.Dispose();
        }
        Assert.ThrowsAny<Exception>(cluster.Shards.Status);
        Assert.All(held, h =>
        {
            using var free = TryHold(lease(h.Shard));
            Assert.NotNull(free);
        });
    }

    /// <summary>The paths of the lease and the snapshot of <paramref name="cluster"/>'s shard s in <paramref name="silos"/>' state folder.</summary>
    private static (Func<int, string> Lease, Func<int, string> Snapshot) ShardFiles(InProcessSilos silos, ClusterStore cluster)
    {
        var storage = new ShardStorageOptions { Directory = silos.StateDirectory };
        return (s => storage.LeasePath(ShardClient.ShardKey(cluster.Shards!.Run, s)), s => storage.ShardPath(ShardClient.ShardKey(cluster.Shards!.Run, s)));
    }

    /// <summary>The lease at <paramref name="path"/>, held as an activation holds it; null while another holds it.</summary>
    private static FileStream? TryHold(string path)
    {
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// Stops the second silo and holds the leases its shards let go (and with them, as Orleans moves its directory, often the other
    /// silo's): their next activations wait until the test lets go.
    /// </summary>
    private static List<(int Shard, FileStream Lease)> StopSecondHoldingLeasesLetGo(InProcessSilos silos, int shards, Func<int, string> lease)
    {
        silos.StopSecond();
        var held = Enumerable.Range(0, shards).Select(s => (Shard: s, Lease: TryHold(lease(s)))).Where(h => h.Lease is not null).Select(h => (h.Shard, h.Lease!)).ToList();
        Assert.NotEmpty(held);
        return held;
    }

    /// <summary>
    /// A worker still running after its run dropped its shards (a killed coordinator's, dropped by the resume) calls one again: the
    /// activation that answers, with no snapshot to read, made a lease file that stayed in the state folder after the run ended.
    /// </summary>
    [Fact]
    public async Task A_dropped_shard_called_again_leaves_nothing_in_the_state_folder()
    {
        using var silos = new InProcessSilos();
        using var cluster = ClusterStore.Connect(silos.Settings(shards: 3, persistEvery: 1_000_000));
        GmfTables(cluster);
        Assert.Contains(Directory.GetFiles(silos.StateDirectory), f => Path.GetFileName(f).EndsWith(".lease", StringComparison.Ordinal));
        Assert.Equal(3, cluster.Shards!.Drop());
        await Task.Delay(TimeSpan.FromSeconds(1)); // the dropped activations end

        // Answered by new activations, which hold no tables.
        Assert.ThrowsAny<Exception>(cluster.Shards.Status);
        Assert.DoesNotContain(Directory.GetFiles(silos.StateDirectory), f => Path.GetFileName(f).StartsWith("shard.", StringComparison.Ordinal));
    }

    [Fact]
    public void Whole_tensors_written_without_a_push_survive_their_silo()
    {
        using var silos = new InProcessSilos();
        using var cluster = ClusterStore.Connect(silos.Settings(shards: 6, persistEvery: 1_000_000));
        var store = GmfTables(cluster);
        // What a resumed run's checkpoint load does: whole tensors written, no push counted.
        var written = Enumerable.Range(0, store.Parameters[0].Length).Select(i => i * 0.25f).ToArray();
        store.Write(0, 0, written);
        store.Write(0, 1, written);
        silos.StopSecond();
        Assert.Contains(cluster.Shards!.Status(), s => s.Restores > 0);
        foreach (var slot in new[] { 0, 1 })
        {
            var read = new float[written.Length];
            store.Read(0, slot, read);
            Assert.Equal(written, read);
        }
    }

    /// <summary>
    /// A silo paused (SIGSTOP) whose gateway the client was given: its connection stays open and nothing answers through it. Orleans'
    /// client drops a gateway only when its connection fails, so the calls it routed there timed out, and so did their retries, until
    /// the run ended. The silo stopped here updates the membership at once; its gateway is left out, and the shards answer.
    /// </summary>
    [Fact]
    public async Task The_shards_answer_when_a_silo_whose_gateway_hangs_is_declared_dead()
    {
        using var silos = new InProcessSilos(relayed: true);
        var told = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var retryFor = TimeSpan.FromSeconds(40);
        using var cluster = ClusterStore.Connect(silos.Settings(shards: 6, persistEvery: 1_000_000) with { RetryFor = retryFor }, report: told.Enqueue);
        var store = GmfTables(cluster);
        var written = Enumerable.Range(0, store.Parameters[0].Length).Select(i => i * 0.5f).ToArray();
        store.Write(0, 0, written);

        silos.FreezeSecondGateway();
        silos.StopSecond();
        var read = new float[written.Length];
        await Task.Run(() => store.Read(0, 0, read)).WaitAsync(retryFor + TimeSpan.FromSeconds(20));

        Assert.Equal(written, read);
        Assert.Contains(told, line => line.StartsWith($"cluster: gateway {silos.Address.Gateways[1]} left out", StringComparison.Ordinal));
    }

    /// <summary>A small GMF's tables put into <paramref name="cluster"/>'s shards.</summary>
    private IParameterStore GmfTables(ClusterStore cluster)
    {
        var model = ModelRegistry.Create(new ModelContext(new TrainSettings { Dim = 3 }, feed.Data.Users.Count, feed.Data.Items.Count, feed.Data.Train));
        return cluster.Create(new StoreRequest(model, feed.Data.Users.Count, feed.Data.Items.Count, 2, 1, InitScheme.Ncf), feed.Data);
    }
}
