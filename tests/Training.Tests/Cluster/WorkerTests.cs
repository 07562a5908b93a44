using System.Diagnostics;
using InverseLearning.Training.Cluster;
using InverseLearning.Training.Models;
using InverseLearning.Training.Runtime;
using InverseLearning.Data;
using InverseLearning.Data.Simulation;
using InverseLearning.Training.Tests.EndToEnd;
using InverseLearning.Training.Tests.Streaming;
using Microsoft.Extensions.DependencyInjection;

namespace InverseLearning.Training.Tests.Cluster;

/// <summary>Two data-parallel workers on two in-process silos: they split every epoch's batches and leave it with the mean of their dense layers.</summary>
public class WorkerTests(TinyFeed feed, StreamedFeed streamed) : IClassFixture<TinyFeed>, IClassFixture<StreamedFeed>
{
    private static float[] Dense(IParameterStore store) => Enumerable.Range(0, store.Parameters.Count).Where(k => store.Parameters[k].BoundWhole).SelectMany(k =>
    {
        var values = new float[store.Parameters[k].Length];
        store.Read(k, 0, values);
        return values;
    }).ToArray();

    [Fact]
    public async Task Two_workers_train_every_batch_once_between_them_and_share_the_mean_of_their_dense_layers()
    {
        var settings = new TrainSettings { Method = "ns", Epochs = 1, BatchSize = 256, LearningRate = 1e-2, Dim = 4, Threads = 1, Seed = 5 };
        var (single, workers) = await TrainAlongside(feed.Data, settings);
        Assert.Equal(single.Steps, workers.Sum(w => w.Steps));
        Assert.InRange(workers[0].Steps - workers[1].Steps, 0, 1);
    }

    [Fact]
    public async Task Two_workers_on_a_streamed_lake_read_every_training_row_once_between_them()
    {
        var settings = new TrainSettings { Method = "ns", Epochs = 1, BatchSize = 256, LearningRate = 1e-2, Dim = 4, Threads = 1, Seed = 5, Stream = true, HashSplit = true, SplitSeed = 3 };
        await TrainAlongside(streamed.Data, settings);
    }

    /// <summary>
    /// One trainer alone, then two workers on two in-process silos; checks what every split of the work
    /// must hold: both trained, their labeled rows add up to the single trainer's, and they end with
    /// the same dense layers (the mean), which are not the single trainer's.
    /// </summary>
    private static async Task<((long Rows, long Steps) Single, (long Rows, long Steps)[] Workers)> TrainAlongside(PreparedDataset data, TrainSettings settings)
    {
        using var silos = new InProcessSilos();
        using var single = new Trainer(settings, data);
        single.Run();
        var run = "workers-" + Guid.NewGuid().ToString("N")[..8];
        var dense = new float[2][];
        var done = new (long Rows, long Steps)[2];
        var workers = Enumerable.Range(0, 2).Select(w => Task.Run(() =>
        {
            using var cluster = ClusterStore.Connect(silos.Settings(shards: 4, persistEvery: 50) with { Workers = 2, Worker = w, Run = run });
            using var trainer = new Trainer(settings, data, store: request => cluster.Create(request, data), sync: cluster.Sync());
            trainer.Run();
            (dense[w], done[w]) = (Dense(trainer.Store), (trainer.RowsTrained, trainer.Iterations));
            if (w > 0) cluster.Finish();
            else Assert.Equal(0, cluster.Report().UpdatesLost);
        })).ToArray();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(3));
        Assert.All(done, d => Assert.True(d.Steps > 0));
        Assert.Equal(single.RowsTrained, done.Sum(d => d.Rows));
        Assert.Equal(dense[0], dense[1]);
        Assert.NotEqual(Dense(single.Store), dense[0]);
        return ((single.RowsTrained, single.Iterations), done);
    }

    [Fact]
    public void The_mean_of_contributions_does_not_depend_on_who_came_first()
    {
        using var silos = new InProcessSilos();
        using var cluster = ClusterStore.Connect(silos.Settings(shards: 1, persistEvery: 1));
        var client = cluster.Services.GetRequiredService<IClusterClient>();
        float[] a = [1e8f, 1f, -3f], b = [1f, -1e8f, 5f], c = [-1e8f, 1e8f, 0.5f];
        float[][]? Mean(string name, params (int Worker, float[] Values)[] order)
        {
            var run = client.GetGrain<IRunCoordination>(name);
            var g = run.Open(3, TimeSpan.FromMinutes(1), "gmf", "coordinator").GetAwaiter().GetResult();
            Join(run, g, 1, 2).GetAwaiter().GetResult();
            Assert.Equal(new[] { 0, 1, 2 }, run.Release(1).GetAwaiter().GetResult());
            foreach (var (worker, values) in order)
            {
                Assert.Equal((false, null), (run.Mean(g, 1, worker).GetAwaiter().GetResult().HasYours, run.Mean(g, 1, worker).GetAwaiter().GetResult().Mean));
                run.Contribute(g, 1, worker, [values]).GetAwaiter().GetResult();
                Assert.True(run.Mean(g, 1, worker).GetAwaiter().GetResult().HasYours);
            }
            return run.Mean(g, 1, 0).GetAwaiter().GetResult().Mean;
        }
        var forward = Mean("mean-forward", (0, a), (1, b), (2, c));
        var backward = Mean("mean-backward", (2, c), (1, b), (0, a));
        Assert.Equal(forward![0], backward![0]);
        Assert.Equal([(float)((1e8 + 1 - 1e8) / 3), (float)((1 - 1e8 + 1e8) / 3), 2.5f / 3], forward[0]);
    }

    [Fact]
    public async Task A_silent_worker_is_declared_lost_not_waited_for_and_the_next_epoch_is_dealt_to_the_others()
    {
        using var silos = new InProcessSilos();
        using var cluster = ClusterStore.Connect(silos.Settings(shards: 1, persistEvery: 1));
        var run = Coordination(cluster, "silent-" + Guid.NewGuid().ToString("N")[..8]);
        // Long enough that the calls that must fall inside it (three saves each) do on a loaded machine.
        var timeout = TimeSpan.FromSeconds(3);
        var g = await run.Open(3, timeout, "gmf", "coordinator");
        await Join(run, g, 1, 2);
        // Worker 2 is heard from once, having pushed 5 and 7 row updates to the two shards, then never again.
        await run.Heartbeat(2, [5, 7]);
        var first = await run.Release(1);
        Assert.Equal(new[] { 0, 1, 2 }, first);
        await run.Contribute(g, 1, 0, [[2f]]);
        await run.Contribute(g, 1, 1, [[4f]]);
        Assert.Null((await run.Mean(g, 1, 0)).Mean);
        // Worker 1 keeps sending heartbeats; worker 2 says nothing for longer than the timeout.
        var silent = Stopwatch.StartNew();
        while (silent.Elapsed < timeout * 1.5)
        {
            await run.Heartbeat(1, [1, 1]);
            await Task.Delay(250);
        }
        var mean = (await run.Mean(g, 1, 0)).Mean!;
        Assert.Equal(new[] { 3f }, mean[0]);
        var dealt = await run.Release(2);
        Assert.Equal(new[] { 0, 1 }, dealt);
        var members = await run.Members(g, 2, 1);
        Assert.Equal(new[] { 0, 1 }, members);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => run.Contribute(g, 2, 2, [[9f]]));
        Assert.Contains("worker 2 was declared lost in epoch 1", refused.Message);
        var account = await run.Finished();
        Assert.Equal(new Dictionary<int, int> { [2] = 1 }, account.Lost);
        // The lost worker's updates as of its last heartbeat are in the account, beside the finished workers'.
        Assert.Equal(new long[] { 5, 7 }, account.Acknowledged);
        await run.Finish(1, [10, 20]);
        Assert.Equal(new long[] { 15, 27 }, (await run.Finished()).Acknowledged);
        // While its coordinator is heard from, the run is not another coordinator's to claim.
        var held = await Assert.ThrowsAsync<InvalidOperationException>(() => run.Open(3, timeout, "another", "another coordinator"));
        Assert.Contains("is held by a coordinator", held.Message);
        // Once it has been silent past the timeout (it died), a resumed coordinator opens the run again: a worker of the earlier opening is refused, not mixed in.
        await Task.Delay(timeout * 1.3);
        Assert.Equal(g + 1, await run.Open(3, timeout, "resumed", "resumed coordinator"));
        var stale = await Assert.ThrowsAsync<InvalidOperationException>(() => run.Members(g, 1, 1));
        Assert.Contains("opened again", stale.Message);
    }

    [Fact]
    public async Task A_worker_that_never_joined_is_waited_for_not_lost_and_the_coordinator_stops_naming_it()
    {
        using var silos = new InProcessSilos();
        using var cluster = ClusterStore.Connect(silos.Settings(shards: 1, persistEvery: 1));
        var name = "unjoined-" + Guid.NewGuid().ToString("N")[..8];
        var run = Coordination(cluster, name);
        var timeout = TimeSpan.FromSeconds(2);
        var g = await run.Open(3, timeout, "gmf", "coordinator");
        await Join(run, g, 1);
        // Saved as it joins: a new activation of the meeting point (its silo lost) reads the joins back, and a worker claims once.
        var saved = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(new ShardStorageOptions { Directory = silos.StateDirectory }.RunPath(name)))!;
        Assert.Equal([1], saved["Joined"]!.AsArray().Select(worker => (int)worker!));
        // Worker 2 never starts (--workers one too many, a pod still pulling its image): silent past the timeout, it was once counted lost.
        await Task.Delay(timeout * 1.5);
        await run.Heartbeat(1, []);

        var told = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var coordinator = new ClusterEpochSync(run, () => g, 0, 3, patience: TimeSpan.FromSeconds(3), report: told.Enqueue, progressEvery: TimeSpan.FromSeconds(1));
        var stopped = Assert.Throws<TimeoutException>(() => coordinator.BeforeEpoch(1));

        Assert.StartsWith($"run {name}: worker 2 of its 3 never joined within 3 s", stopped.Message);
        Assert.Contains($"start each with --worker I --run {name}", stopped.Message);
        Assert.Contains(told, line => line.Contains("not joined yet: worker 2 (start each with --worker I"));
        // A line each progressEvery (3 in the 3 s), not one each poll of the wait.
        Assert.InRange(told.Count, 1, 3);
        Assert.Empty((await run.Finished()).Lost);
        // Once it joins, the first epoch is dealt to all three.
        await Join(run, g, 2);
        await run.Heartbeat(1, []);
        Assert.Equal(new[] { 0, 1, 2 }, await run.Release(1));
        Assert.Empty(await run.NotJoined());

        // A resumed opening is joined afresh: its first epoch waits for every worker again.
        await run.Leave(g, 0);
        await run.Open(3, timeout, "gmf", "resumed coordinator", resumedAfter: 1);
        Assert.Null(await run.Release(2));
        Assert.Equal(new[] { 1, 2 }, await run.NotJoined());
    }

    [Fact]
    public async Task A_started_worker_that_ended_before_joining_stops_the_wait_at_once_naming_how_it_ended()
    {
        using var silos = new InProcessSilos();
        using var cluster = ClusterStore.Connect(silos.Settings(shards: 1, persistEvery: 1));
        var name = "ended-" + Guid.NewGuid().ToString("N")[..8];
        var run = Coordination(cluster, name);
        var g = await run.Open(3, TimeSpan.FromSeconds(30), "gmf", "coordinator");
        await Join(run, g, 1);
        // Worker 1 joined and then ended (a crash the worker timeout is for); worker 2 ended before it joined.
        var started = new EndedWorkers(1, 2);
        var coordinator = new ClusterEpochSync(run, () => g, 0, 3, patience: TimeSpan.FromSeconds(60), started: () => started);

        var waited = Stopwatch.StartNew();
        var stopped = Assert.Throws<IOException>(() => coordinator.BeforeEpoch(1));

        Assert.Equal($"run {name}: worker 2, started by --spawn-workers, ended before it joined (how worker 2 ended); the others were stopped: mend what it says and train again",
            stopped.Message);
        Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), $"stopped after {waited.Elapsed}, not at once");
        // None ended: the wait goes on, past its patience, to say who never joined.
        var patient = new ClusterEpochSync(run, () => g, 0, 3, patience: TimeSpan.FromSeconds(1), started: () => new EndedWorkers());
        Assert.StartsWith($"run {name}: worker 2 of its 3 never joined", Assert.Throws<TimeoutException>(() => patient.BeforeEpoch(1)).Message);
    }

    private sealed class EndedWorkers(params int[] ended) : IStartedWorkers
    {
        public IReadOnlyList<int> Ended => ended;
        public string HowEnded(int index) => $"how worker {index} ended";
    }

    [Fact]
    public void A_coordinator_that_died_is_succeeded_once_it_has_been_silent_for_the_worker_timeout()
    {
        using var silos = new InProcessSilos();
        var timeout = TimeSpan.FromSeconds(2);
        var settings = silos.Settings(shards: 2, persistEvery: 10) with { Workers = 2, Worker = 0, Run = "succeeded-" + Guid.NewGuid().ToString("N")[..8], WorkerTimeout = timeout };
        var request = Request(dim: 3);
        // The first coordinator opens the run and dies (it never drops it).
        using (var first = ClusterStore.Connect(settings)) first.Create(request, feed.Data);
        Thread.Sleep(timeout * 1.5);

        // Its successor (a --resume) claims the run: beating before its claim, it once found the run held by itself.
        using var second = ClusterStore.Connect(settings);
        second.Create(request, feed.Data);
        Thread.Sleep(timeout / 2); // its own heartbeats, once it holds the run, keep a third coordinator out
        using var third = ClusterStore.Connect(settings);
        Assert.Contains("is held by a coordinator", Assert.Throws<InvalidOperationException>(() => third.Create(request, feed.Data)).Message);
    }

    [Fact]
    public async Task A_worker_whose_coordinator_died_mid_run_stops_once_the_coordinator_is_past_the_worker_timeout()
    {
        using var silos = new InProcessSilos();
        var timeout = TimeSpan.FromSeconds(2);
        var settings = silos.Settings(shards: 2, persistEvery: 10) with { Workers = 2, Run = "orphan-" + Guid.NewGuid().ToString("N")[..8], WorkerTimeout = timeout };
        var request = Request(dim: 3);
        using var worker = ClusterStore.Connect(settings with { Worker = 1 });
        using (var coordinator = ClusterStore.Connect(settings))
        {
            coordinator.Create(request, feed.Data);
            worker.Create(request, feed.Data);
        } // the coordinator stops before it releases epoch 1

        // Its patience is 10 minutes; the limit only keeps a regression from hanging the suite.
        var waiting = Task.Run(() => worker.Sync()!.BeforeEpoch(1));
        var stopped = await Assert.ThrowsAsync<IOException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Contains("the run's coordinator (worker 0) was last heard from", stopped.Message);
        Assert.Contains("--resume", stopped.Message);
    }

    [Fact]
    public async Task A_worker_does_not_join_an_opening_whose_coordinator_died_and_joins_the_resumed_one()
    {
        using var silos = new InProcessSilos();
        var timeout = TimeSpan.FromSeconds(2);
        var settings = silos.Settings(shards: 2, persistEvery: 10) with { Workers = 2, Run = "abandoned-" + Guid.NewGuid().ToString("N")[..8], WorkerTimeout = timeout };
        var request = Request(dim: 3);
        using (var died = ClusterStore.Connect(settings)) died.Create(request, feed.Data);
        Thread.Sleep(timeout * 1.5);

        var told = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var worker = ClusterStore.Connect(settings with { Worker = 1 });
        // Its own thread: the join blocks for as long as the run stays closed, and the silos in this process need the pool's.
        var joining = Task.Factory.StartNew(() => worker.Create(request, feed.Data, told.Enqueue), TaskCreationOptions.LongRunning);
        var deadline = Stopwatch.StartNew();
        while (!told.Any(line => line.Contains("waiting for it to open the run again")) && deadline.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(50);
        Assert.False(joining.IsCompleted, "the worker joined an opening no coordinator will release");
        Assert.Contains(told, line => line.Contains("was last heard from"));

        using var resumed = ClusterStore.Connect(settings);
        resumed.Create(request, feed.Data);
        await joining.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Contains(told, line => line.Contains("joined run"));
    }

    [Theory]
    [InlineData(0, "coordinator resumed after epoch 2, and this worker starts from the start: start it with --resume and the coordinator's --out")]
    [InlineData(3, "this worker resumes after epoch 3, and run")]
    public void A_worker_that_would_start_at_another_epoch_than_its_resumed_coordinator_is_refused(int workerResumedAfter, string expected)
    {
        using var silos = new InProcessSilos();
        var settings = silos.Settings(shards: 2, persistEvery: 10) with { Workers = 2, Run = "resumed-" + Guid.NewGuid().ToString("N")[..8] };
        var request = Request(dim: 3);
        using var coordinator = ClusterStore.Connect(settings);
        coordinator.Create(request, feed.Data, resumedAfter: 2);

        using var stale = ClusterStore.Connect(settings with { Worker = 1 });
        Assert.Contains(expected, Assert.Throws<InvalidOperationException>(() => stale.Create(request, feed.Data, resumedAfter: workerResumedAfter)).Message);
        using var resumed = ClusterStore.Connect(settings with { Worker = 1 });
        resumed.Create(request, feed.Data, resumedAfter: 2);
    }

    [Fact]
    public void A_shard_the_cluster_cannot_serve_for_its_retry_time_ends_the_run_in_one_line_saying_what_to_do()
    {
        var silos = new InProcessSilos();
        using var cluster = ClusterStore.Connect(silos.Settings(shards: 2, persistEvery: 10) with { RetryFor = TimeSpan.FromSeconds(2) });
        cluster.Create(Request(dim: 3), feed.Data);
        silos.Dispose(); // every silo gone: the shards are nowhere

        var error = Assert.Throws<ShardUnservedException>(() => cluster.Shards!.Read(0, 0));

        // Refused connections to every gateway it was given, or calls that timed out before the client knew.
        Assert.Matches(@"^cluster: read from shard \d failed for 2 s(: no gateway given in --cluster accepts a connection, [^\n]* give every silo's gateway in --cluster [^\n]*|" +
            @" \(\w+: [^\n]*\); the cluster cannot serve the shard: [^\n]* start the cluster again and train with --resume|" +
            @" \(no answer: [^\n]*\); a silo that stopped answering [^\n]* start the cluster again and train with --resume)$", error.Message);
    }

    [Fact]
    public void A_second_process_of_one_worker_index_is_refused_while_the_first_beats_and_takes_over_once_it_died()
    {
        using var silos = new InProcessSilos();
        var timeout = TimeSpan.FromSeconds(2);
        var settings = silos.Settings(shards: 2, persistEvery: 10) with { Workers = 2, Run = "twice-" + Guid.NewGuid().ToString("N")[..8], WorkerTimeout = timeout };
        var request = Request(dim: 3);
        using var coordinator = ClusterStore.Connect(settings);
        coordinator.Create(request, feed.Data);
        var first = ClusterStore.Connect(settings with { Worker = 1 });
        first.Create(request, feed.Data);

        // Two pods of one index (an Indexed Job's restart), or --worker 1 typed twice: that share of every epoch would be trained twice.
        using var twin = ClusterStore.Connect(settings with { Worker = 1 });
        Assert.Contains($"worker 1 of run {settings.Run} is already running (joined at ", Assert.Throws<InvalidOperationException>(() => twin.Create(request, feed.Data)).Message);

        // The first dies without a word (kill -9): once it has been silent for the worker timeout, its index is free to a restarted worker.
        first.Dispose();
        Thread.Sleep(timeout * 1.5);
        using var restarted = ClusterStore.Connect(settings with { Worker = 1 });
        restarted.Create(request, feed.Data);
    }

    [Fact]
    public async Task A_new_opening_of_the_run_frees_every_worker_index_at_once()
    {
        using var silos = new InProcessSilos();
        using var cluster = ClusterStore.Connect(silos.Settings(shards: 1, persistEvery: 1));
        var run = Coordination(cluster, "reopened-" + Guid.NewGuid().ToString("N")[..8]);
        var first = await run.Open(2, TimeSpan.FromMinutes(5), "gmf", "coordinator");
        Assert.Equal("", await run.Claim(first, 1, "before"));
        Assert.StartsWith("worker 1 of run ", await run.Claim(first, 1, "twin"));

        // The coordinator stopped (Ctrl+C) and its --resume opens the run again: the worker started with it takes its index now,
        // not once the one before has been silent for the five minutes of --worker-timeout.
        await run.Leave(first, 0);
        var resumed = await run.Open(2, TimeSpan.FromMinutes(5), "gmf", "resumed coordinator");
        Assert.Equal("", await run.Claim(resumed, 1, "after"));
    }

    /// <summary>
    /// A coordinator's open whose answer was lost (a timeout on a loaded cluster: the meeting point had opened the run) is asked
    /// again: it found the run "held by a coordinator heard from 5 s ago", itself, and the run stopped before it began.
    /// </summary>
    [Fact]
    public async Task A_coordinators_open_asked_again_gets_its_own_opening_and_another_coordinator_is_still_refused()
    {
        using var silos = new InProcessSilos();
        using var cluster = ClusterStore.Connect(silos.Settings(shards: 1, persistEvery: 1));
        var run = Coordination(cluster, "asked-again-" + Guid.NewGuid().ToString("N")[..8]);
        var opened = await run.Open(2, TimeSpan.FromMinutes(5), "gmf", "coordinator");
        Assert.Equal("", await run.Claim(opened, 1, "worker"));

        Assert.Equal(opened, await run.Open(2, TimeSpan.FromMinutes(5), "gmf", "coordinator"));
        // The same opening, not a new one: the worker's claim holds.
        Assert.StartsWith("worker 1 of run ", await run.Claim(opened, 1, "twin"));
        var other = await Assert.ThrowsAsync<InvalidOperationException>(() => run.Open(2, TimeSpan.FromMinutes(5), "gmf", "another coordinator"));
        Assert.Contains("is held by a coordinator", other.Message);
        // Once it has said it stopped, its next open is a new opening.
        await run.Leave(opened, 0);
        Assert.Equal(opened + 1, await run.Open(2, TimeSpan.FromMinutes(5), "gmf", "coordinator"));
    }

    /// <summary>
    /// An opening gives its workers the lake parts its coordinator read, from its saved state too (a new activation, its silo lost);
    /// one saved by a build before openings carried them gives none, and its workers read the lake as they find it.
    /// </summary>
    [Fact]
    public async Task An_opening_gives_its_workers_the_lake_parts_its_coordinator_read_and_one_saved_without_them_none()
    {
        using var silos = new InProcessSilos();
        using var cluster = ClusterStore.Connect(silos.Settings(shards: 1, persistEvery: 1));
        var name = "lake-" + Guid.NewGuid().ToString("N")[..8];
        var lake = new OpenedLake
        {
            Parts = [new OpenedPart { Path = "day=2/part-0.parquet", Rows = 95, Bytes = 4_120, FooterSha256 = "0f" }],
            Listing = ["day=1/part-0.parquet", "day=2/part-0.parquet"],
        };
        var g = await Coordination(cluster, name).Open(2, TimeSpan.FromMinutes(5), "gmf", "coordinator", lake: lake);
        var read = new ReadPart("day=2/part-0.parquet", 95, new PartStamp(4_120, "0f"));

        var given = await Coordination(cluster, name).Lake(g, 1);
        Assert.Equal([read], given.ReadParts()!);
        Assert.Equal(lake.Listing, given.Listing);

        var storage = new ShardStorageOptions { Directory = silos.StateDirectory };
        var saved = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(storage.RunPath(name)))!.AsObject();
        var restored = "restored-" + Guid.NewGuid().ToString("N")[..8];
        File.WriteAllText(storage.RunPath(restored), saved.ToJsonString());
        Assert.Equal([read], (await Coordination(cluster, restored).Lake(g, 1)).ReadParts()!);
        saved.Remove("Lake");
        var older = "older-" + Guid.NewGuid().ToString("N")[..8];
        File.WriteAllText(storage.RunPath(older), saved.ToJsonString());
        Assert.Null((await Coordination(cluster, older).Lake(g, 1)).ReadParts());
    }

    [Fact]
    public async Task Only_the_claims_holder_keeps_it_by_beating_not_the_process_waiting_to_take_it_over()
    {
        using var silos = new InProcessSilos();
        using var cluster = ClusterStore.Connect(silos.Settings(shards: 1, persistEvery: 1));
        var run = Coordination(cluster, "takeover-" + Guid.NewGuid().ToString("N")[..8]);
        var timeout = TimeSpan.FromSeconds(1);
        var g = await run.Open(2, timeout, "gmf", "coordinator");
        Assert.Equal("", await run.Claim(g, 1, "died"));

        // A restarted worker beats from its start, while it waits to take the index of the one that died (kill -9, no word).
        var waiting = Stopwatch.StartNew();
        while (waiting.Elapsed < timeout * 2)
        {
            await run.Heartbeat(1, [0], "restarted");
            await Task.Delay(100);
        }

        Assert.Equal("", await run.Claim(g, 1, "restarted"));
    }

    [Fact]
    public async Task A_worker_that_would_start_behind_its_runs_epoch_is_refused()
    {
        using var silos = new InProcessSilos();
        var settings = silos.Settings(shards: 2, persistEvery: 10) with { Workers = 3, Run = "behind-" + Guid.NewGuid().ToString("N")[..8] };
        var request = Request(dim: 3);
        using var coordinator = ClusterStore.Connect(settings);
        coordinator.Create(request, feed.Data);
        var run = Coordination(coordinator, settings.Run!);
        using var first = ClusterStore.Connect(settings with { Worker = 2 });
        first.Create(request, feed.Data);
        Assert.Null(await run.Release(1));
        // Slow to start (a long first pass): joining while the run waits for it at its first epoch, it trains its part of it.
        using var slow = ClusterStore.Connect(settings with { Worker = 1 });
        slow.Create(request, feed.Data);

        Assert.Equal(new[] { 0, 1, 2 }, await run.Release(1));
        await run.Release(2);
        // Worker 2 restarted without --resume: it would train epoch 1 again, then every epoch after, while the others are in epoch 2.
        using var late = ClusterStore.Connect(settings with { Worker = 2 });
        Assert.Contains($"run {settings.Run} is in epoch 2, and this worker would start at epoch 1", Assert.Throws<InvalidOperationException>(() => late.Create(request, feed.Data)).Message);
    }

    [Fact]
    public async Task A_coordinator_stopped_by_a_signal_is_not_waited_for_its_worker_stops_and_its_resume_claims_the_run_at_once()
    {
        using var silos = new InProcessSilos();
        // Long: only the coordinator's word that it stopped can end the waits below in time.
        var settings = silos.Settings(shards: 2, persistEvery: 10) with { Workers = 2, Run = "signalled-" + Guid.NewGuid().ToString("N")[..8], WorkerTimeout = TimeSpan.FromMinutes(5) };
        var request = Request(dim: 3);
        using var worker = ClusterStore.Connect(settings with { Worker = 1 });
        using var signal = new CancellationTokenSource();
        using (var coordinator = ClusterStore.Connect(settings, signal.Token))
        {
            coordinator.Create(request, feed.Data);
            worker.Create(request, feed.Data);
            await signal.CancelAsync();
        } // disposed as the train command's `using` does once its run is cancelled

        var waiting = Task.Run(() => worker.Sync()!.BeforeEpoch(1));
        var stopped = await Assert.ThrowsAsync<IOException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Contains("the run's coordinator (worker 0) stopped (Ctrl+C or SIGTERM)", stopped.Message);
        using var resumed = ClusterStore.Connect(settings);
        resumed.Create(request, feed.Data); // not "held by a coordinator heard from 0 s ago", five minutes before the timeout
        // The new opening's coordinator has not left: its workers must not stop.
        var opening = await Coordination(resumed, settings.Run!).Opening();
        Assert.Equal((false, true), (opening.CoordinatorLeft, opening.CoordinatorAlive));
    }

    [Fact]
    public async Task A_worker_that_says_it_stopped_is_not_waited_for()
    {
        using var silos = new InProcessSilos();
        using var cluster = ClusterStore.Connect(silos.Settings(shards: 1, persistEvery: 1));
        var run = Coordination(cluster, "leaving-" + Guid.NewGuid().ToString("N")[..8]);
        var g = await run.Open(3, TimeSpan.FromMinutes(5), "gmf", "coordinator");
        await Join(run, g, 1, 2);
        Assert.Equal(new[] { 0, 1, 2 }, await run.Release(1));

        await run.Leave(g - 1, 2);      // a process of an earlier opening: ignored
        Assert.Equal(new[] { 0, 1, 2 }, await run.Release(1));
        await run.Leave(g, 2);
        await run.Heartbeat(2, [1, 1]); // a beat that was already on its way
        await run.Contribute(g, 1, 0, [[2f]]);
        await run.Contribute(g, 1, 1, [[4f]]);

        Assert.Equal(new[] { 3f }, (await run.Mean(g, 1, 0)).Mean![0]);   // not waiting five minutes for worker 2
        Assert.Equal(new[] { 0, 1 }, await run.Release(2));
        Assert.False((await run.Opening()).CoordinatorLeft);
    }

    [Fact]
    public async Task Workers_are_heard_afresh_once_the_tables_are_in_however_long_they_took()
    {
        using var silos = new InProcessSilos();
        using var cluster = ClusterStore.Connect(silos.Settings(shards: 1, persistEvery: 1));
        var run = Coordination(cluster, "slow-upload-" + Guid.NewGuid().ToString("N")[..8]);
        var timeout = TimeSpan.FromSeconds(2);
        await Join(run, await run.Open(3, timeout, "gmf", "coordinator"), 1, 2);
        // The coordinator beats while its tables go in; spawned workers start only once they are (Ready).
        for (var beat = Stopwatch.StartNew(); beat.Elapsed < timeout * 1.5; await Task.Delay(250)) await run.Heartbeat(0, []);

        await run.Ready();

        Assert.Equal(new[] { 0, 1, 2 }, await run.Release(1));
    }

    /// <summary>Each of <paramref name="workers"/> joins opening <paramref name="generation"/> of <paramref name="run"/>, as a worker process does.</summary>
    private static async Task Join(IRunCoordination run, int generation, params int[] workers)
    {
        foreach (var worker in workers) Assert.Equal("", await run.Claim(generation, worker, $"process-{worker}"));
    }

    /// <summary>The meeting point of the run named <paramref name="run"/>, reached through <paramref name="cluster"/>'s client.</summary>
    private static IRunCoordination Coordination(ClusterStore cluster, string run) =>
        cluster.Services.GetRequiredService<IClusterClient>().GetGrain<IRunCoordination>(run);

    private StoreRequest Request(int dim)
    {
        var model = ModelRegistry.Create(new ModelContext(new TrainSettings { Dim = dim }, feed.Data.Users.Count, feed.Data.Items.Count, feed.Data.Train));
        return new StoreRequest(model, feed.Data.Users.Count, feed.Data.Items.Count, 2, 1, InitScheme.Ncf);
    }

    [Fact]
    public void A_worker_that_trains_something_else_is_refused_in_one_line()
    {
        using var silos = new InProcessSilos();
        var run = "other-" + Guid.NewGuid().ToString("N")[..8];
        var model = ModelRegistry.Create(new ModelContext(new TrainSettings { Dim = 3 }, feed.Data.Users.Count, feed.Data.Items.Count, feed.Data.Train));
        StoreRequest Request(int seed) => new(model, feed.Data.Users.Count, feed.Data.Items.Count, 2, seed, InitScheme.Ncf);
        using var coordinator = ClusterStore.Connect(silos.Settings(shards: 2, persistEvery: 10) with { Workers = 2, Worker = 0, Run = run });
        coordinator.Create(Request(seed: 1), feed.Data);
        using var worker = ClusterStore.Connect(silos.Settings(shards: 2, persistEvery: 10) with { Workers = 2, Worker = 1, Run = run });
        var refused = Assert.Throws<InvalidOperationException>(() => worker.Create(Request(seed: 2), feed.Data));
        Assert.Contains("give every worker the coordinator's --data and training flags", refused.Message);
        Assert.Contains("seed 1", refused.Message);
    }

    [Fact]
    public async Task A_worker_started_for_another_count_of_workers_is_refused_at_once_naming_both()
    {
        using var silos = new InProcessSilos();
        var run = "count-" + Guid.NewGuid().ToString("N")[..8];
        var request = Request(dim: 3);
        using var coordinator = ClusterStore.Connect(silos.Settings(shards: 2, persistEvery: 10) with { Workers = 2, Worker = 0, Run = run });
        coordinator.Create(request, feed.Data);
        using var worker = ClusterStore.Connect(silos.Settings(shards: 2, persistEvery: 10) with { Workers = 3, Worker = 1, Run = run });

        // Waited for, it was refused only after the worker's 10 minutes of patience (the limit only keeps a regression from hanging the suite).
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => Task.Run(() => worker.Create(request, feed.Data)).WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Contains($"run {run}'s coordinator opened it for 2 workers, and this worker was started with --workers 3", refused.Message);
    }

    [Fact]
    public async Task A_coordinator_waiting_at_an_epochs_end_says_which_workers_it_waits_for()
    {
        using var silos = new InProcessSilos();
        var run = "waits-" + Guid.NewGuid().ToString("N")[..8];
        using var coordinator = ClusterStore.Connect(silos.Settings(shards: 2, persistEvery: 10) with { Workers = 3, Worker = 0, Run = run });
        var store = coordinator.Create(Request(dim: 3), feed.Data);
        var meeting = Coordination(coordinator, run);
        var generation = (await meeting.Opening()).Generation;
        await Join(meeting, generation, 1, 2);
        using var stop = new CancellationTokenSource();
        var told = new List<string>();
        // Told at every poll (no clock to wait for); the first telling ends the wait.
        var sync = new ClusterEpochSync(meeting, () => generation, 0, 3, TimeSpan.FromMinutes(5), stop.Token, line =>
        {
            told.Add(line);
            stop.Cancel();
        }, progressEvery: TimeSpan.Zero);
        Assert.Equal((0, 3), sync.BeforeEpoch(1));

        // Workers 1 and 2 joined and never finished: without a word, the coordinator waited out their --worker-timeout, or its patience while they beat.
        Assert.ThrowsAny<OperationCanceledException>(() => sync.AfterEpoch(1, store));

        Assert.Contains(" s for every worker to finish epoch 1; not in yet: workers 1, 2", Assert.Single(told));
    }

    [Fact]
    public void A_cluster_whose_silos_snapshot_into_different_state_folders_is_refused_before_the_run_trains()
    {
        // Found only once a shard moved and its snapshot was not where its new silo looked: the updates since the run's start lost.
        using var silos = new InProcessSilos(secondStateDirectory: true);
        using var coordinator = ClusterStore.Connect(silos.Settings(shards: 8, persistEvery: 10));
        var refused = Assert.Throws<InvalidOperationException>(() => coordinator.Create(Request(dim: 3), feed.Data));
        Assert.Contains("is --state the same folder on every silo?", refused.Message);
    }

    [Fact]
    public void Taking_over_the_run_recorded_in_out_tells_what_it_found_to_drop()
    {
        using var silos = new InProcessSilos();
        var outDir = Directory.CreateTempSubdirectory("il-takeover-").FullName;
        try
        {
            // Recorded by a run on another cluster (another --state): nothing of it is here.
            new ClusterRunRecord("elsewhere-" + Guid.NewGuid().ToString("N")[..8], 8).Save(outDir);
            var told = new List<string>();
            using (var killed = ClusterStore.Connect(silos.Settings(shards: 2, persistEvery: 10)))
            {
                killed.TakeOver(outDir, told.Add);
                killed.Create(Request(dim: 3), feed.Data);
            }
            Assert.Contains("left nothing in the silos' --state", Assert.Single(told));

            // The run before, killed with its tables in the shards (never dropped): its 2 snapshots and meeting point.
            using var next = ClusterStore.Connect(silos.Settings(shards: 2, persistEvery: 10));
            next.TakeOver(outDir, told.Add);
            Assert.Contains("dropped 2 of run ", told[1]);
            Assert.Contains("'s 2 shard snapshots and its meeting point", told[1]);
        }
        finally
        {
            Directory.Delete(outDir, recursive: true);
        }
    }

    [Fact]
    public async Task A_worker_waiting_for_a_run_that_never_opens_ends_when_its_command_is_cancelled()
    {
        using var silos = new InProcessSilos();
        var request = Request(dim: 3);
        using var cancel = new CancellationTokenSource();
        using var worker = ClusterStore.Connect(silos.Settings(shards: 2, persistEvery: 10) with { Workers = 2, Worker = 1, Run = "never-" + Guid.NewGuid().ToString("N")[..8] }, cancel.Token);

        var joining = Task.Run(() => worker.Create(request, feed.Data));
        cancel.CancelAfter(TimeSpan.FromMilliseconds(300));

        // Ctrl+C or SIGTERM, not the 10 minutes of patience, ends the wait (the limit only keeps a regression from hanging the suite).
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => joining.WaitAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task A_coordinator_waiting_for_its_workers_last_word_ends_when_its_command_is_cancelled()
    {
        using var silos = new InProcessSilos();
        using var cancel = new CancellationTokenSource();
        var settings = silos.Settings(shards: 2, persistEvery: 10) with { Workers = 2, Run = "unfinished-" + Guid.NewGuid().ToString("N")[..8], WorkerTimeout = TimeSpan.FromMinutes(5) };
        using var coordinator = ClusterStore.Connect(settings, cancel.Token);
        coordinator.Create(Request(dim: 3), feed.Data);

        var reporting = Task.Run(coordinator.Report); // its worker never joined, so never tells what it pushed
        cancel.CancelAfter(TimeSpan.FromMilliseconds(300));

        // Ctrl+C or SIGTERM, not the 2 minutes the workers have to finish, ends the wait (the limit only keeps a regression from hanging the suite).
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reporting.WaitAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public void A_worker_with_other_training_flags_is_refused_naming_them()
    {
        using var silos = new InProcessSilos();
        var run = "flags-" + Guid.NewGuid().ToString("N")[..8];
        var settings = new TrainSettings { Method = "ns", Dim = 3, LearningRate = 1e-2, BatchSize = 256 };
        var model = ModelRegistry.Create(new ModelContext(settings, feed.Data.Users.Count, feed.Data.Items.Count, feed.Data.Train));
        var request = new StoreRequest(model, feed.Data.Users.Count, feed.Data.Items.Count, 2, 1, InitScheme.Ncf);
        using var coordinator = ClusterStore.Connect(silos.Settings(shards: 2, persistEvery: 10) with { Workers = 2, Worker = 0, Run = run });
        coordinator.Create(request, feed.Data, training: settings.TrainingFingerprint);
        using var worker = ClusterStore.Connect(silos.Settings(shards: 2, persistEvery: 10) with { Workers = 2, Worker = 1, Run = run });

        var refused = Assert.Throws<InvalidOperationException>(() => worker.Create(request, feed.Data, training: (settings with { LearningRate = 0.5 }).TrainingFingerprint));

        // The fields that differ, not every field of both (data, sizes and flags: some 2,000 characters).
        Assert.Equal($"worker 1: run {run} trains with lr 0.01; this worker with lr 0.5: give every worker the coordinator's --data and training flags", refused.Message);
    }

    [Fact]
    public void A_worker_whose_log_names_the_same_users_otherwise_is_refused()
    {
        // The same rows with every user id renamed in order: the rows' hash (of indices) is the same, and the worker would push
        // each user's gradients to the rows of another user id than the coordinator's.
        var renamedLog = FeedSimulator.Run(SimulatorPresets.Get("tiny") with { Users = 300, Items = 600, Impressions = 40_000, Factors = 4, UserActivitySigma = 0.3 }, seed: 3).Log;
        for (var row = 0; row < renamedLog.Count; row++) renamedLog.UserId[row] += 1000;
        var renamed = PreparedDataset.Prepare(renamedLog, new LabelingOptions(LabelRule.FinishRate), new SplitOptions(Seed: 3));
        Assert.Equal(InverseLearning.Training.Artifacts.DataFingerprint.Of(feed.Data).Hash, InverseLearning.Training.Artifacts.DataFingerprint.Of(renamed).Hash);
        using var silos = new InProcessSilos();
        var run = "renamed-" + Guid.NewGuid().ToString("N")[..8];
        using var coordinator = ClusterStore.Connect(silos.Settings(shards: 2, persistEvery: 10) with { Workers = 2, Worker = 0, Run = run });
        coordinator.Create(Request(dim: 3), feed.Data);
        using var worker = ClusterStore.Connect(silos.Settings(shards: 2, persistEvery: 10) with { Workers = 2, Worker = 1, Run = run });

        var refused = Assert.Throws<InvalidOperationException>(() => worker.Create(Request(dim: 3), renamed));

        Assert.StartsWith($"worker 1: run {run} trains with user ids hash ", refused.Message);
        Assert.DoesNotContain("rows hash", refused.Message);
    }

    [Fact]
    public void The_training_fingerprint_tells_what_trains_and_not_where()
    {
        var settings = new TrainSettings { Method = "ns", Dim = 3, LearningRate = 1e-2, BatchSize = 256 };
        foreach (var other in new[] { settings with { LearningRate = 0.5 }, settings with { Method = "dns" }, settings with { BatchSize = 64 }, settings with { Dim = 16 },
                     settings with { Epochs = 3 }, settings.WithOption(InverseLearning.Training.Methods.TruncatedLoss.MaxDropRate, 0.5) })
            Assert.NotEqual(settings.TrainingFingerprint, other.TrainingFingerprint);
        Assert.Equal(settings.TrainingFingerprint, (settings with { Threads = 7, Device = "cuda", Store = "device" }).TrainingFingerprint);
    }
}
