using System.Diagnostics;
using InverseLearning.Data;
using InverseLearning.Training.Cluster;
using InverseLearning.Training.Tests.Cli;
using InverseLearning.Training.Tests.EndToEnd;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace InverseLearning.Training.Tests.Cluster;

/// <summary>
/// Faults on a real local cluster: silos and the coordinator as processes of their own, killed
/// as kill -9 does (no deactivation, no goodbye).
/// </summary>
[Collection("Console")]
public class LocalClusterTests(TinyFeed feed) : IClassFixture<TinyFeed>
{
    /// <summary>
    /// Runs the CLI with <paramref name="args"/> in a process of its own and kills it (kill -9; its children too when
    /// <paramref name="tree"/>) as soon as <paramref name="checkpoint"/> exists; fails if it finished first.
    /// </summary>
    private static void KillOnceCheckpointed(string[] args, string checkpoint, bool tree)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        string[] all = [typeof(LocalCluster).Assembly.Location, .. args];
        foreach (var arg in all) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var waited = Stopwatch.StartNew();
        while (!File.Exists(checkpoint) && !process.HasExited && waited.Elapsed < TimeSpan.FromMinutes(2)) Thread.Sleep(5);
        Assert.False(process.HasExited, "the coordinator finished before it could be killed");
        process.Kill(entireProcessTree: tree);
        process.WaitForExit();
    }

    /// <summary>A scratch folder holding the feed's log as Parquet, for runs of the command line.</summary>
    private (string Root, string Log) LogIn(string name)
    {
        var root = feed.Scratch(name);
        var log = Path.Combine(root, "interactions.parquet");
        InteractionLogParquet.Write(feed.Log, log);
        return (root, log);
    }

    [Fact]
    public void A_silo_killed_mid_epoch_comes_back_from_snapshots_and_the_run_reports_what_it_lost()
    {
        using var silos = LocalCluster.Start(2, feed.Scratch("kill-silo-state"));
        // No snapshot but the first: a shard brought back has lost every update acknowledged before the kill.
        using var cluster = ClusterStore.Connect(new ClusterSettings(silos.Address, 6, 1_000_000, TimeSpan.FromMinutes(2)));
        var settings = new TrainSettings { Method = "ns", Epochs = 2, BatchSize = 256, LearningRate = 1e-2, Dim = 4, Threads = 1, Seed = 5 };
        using var single = new Trainer(settings, feed.Data);
        single.Run();
        PlaceShardsAlternately(cluster, silos, shards: 6);
        ShardStatus[]? before = null;
        using var trainer = new Trainer(settings, feed.Data, new AtBatch(3, () =>
        {
            before = cluster.Shards!.Status();
            silos.Kill(1);
        }), store: request => cluster.Create(request, feed.Data));
        trainer.Run();
        Assert.False(silos.IsRunning(1));
        var after = cluster.Shards!.Status();
        var survivor = Assert.Single(after.Select(s => s.Silo).Distinct());
        var onKilled = Enumerable.Range(0, after.Length).Where(s => before![s].Silo != survivor).ToList();
        Assert.Equal([1, 3, 5], onKilled);
        Assert.All(onKilled, s => Assert.True(after[s].Restores > 0, $"shard {s} was on the killed silo but never restored"));
        var report = cluster.Report();
        // At least everything the killed silo's shards held; at most everything acknowledged.
        Assert.InRange(report.UpdatesLost, onKilled.Sum(s => before![s].UpdatesApplied), report.UpdatesAcknowledged);
        Assert.True(report.UpdatesLost > 0);
        // The run goes on and learns as the single-process run does, give or take the lost updates.
        Assert.InRange(trainer.Scorer.Evaluate(feed.Data.Test).Auc - single.Scorer.Evaluate(feed.Data.Test).Auc, -0.05, 0.05);
    }

    /// <summary>
    /// Activates shard s of <paramref name="cluster"/>'s run on silo s mod 2, before the run creates its tables in them. Left to
    /// Orleans, the shards go where fewest activations are by the silos' load statistics, which on a loaded machine (a silo's
    /// statistics not in yet, or its CPU at 100% and so taken as overloaded) put all of them on one silo: on silo 0, which
    /// cannot be killed, the kill lost nothing and the test failed.
    /// </summary>
    private static void PlaceShardsAlternately(ClusterStore cluster, LocalCluster silos, int shards)
    {
        var client = cluster.Services.GetRequiredService<IClusterClient>();
        var hosts = client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).GetAwaiter().GetResult().Keys.ToList();
        for (var s = 0; s < shards; s++)
        {
            var port = silos.SiloPort(s % 2);
            RequestContext.Set(IPlacementDirector.PlacementHintKey, hosts.Single(host => host.Endpoint.Port == port));
            try
            {
                client.GetGrain<IEmbeddingShard>(ShardClient.ShardKey(cluster.Run, s)).Status().GetAwaiter().GetResult();
            }
            // Activated with no tables yet, which the run's creation gives it where it is.
            catch (InvalidOperationException)
            {
            }
            finally
            {
                RequestContext.Remove(IPlacementDirector.PlacementHintKey);
            }
        }
    }

    [Fact]
    public async Task A_run_connects_while_a_gateway_it_was_given_has_stopped_answering()
    {
        using var silos = LocalCluster.Start(2, feed.Scratch("paused-gateway-state"));
        // Stopped where it is, as a hung machine is: its sockets stay open and nothing answers.
        await CliChild.Signal(silos.ProcessId(1), "STOP");
        try
        {
            // The client asks one gateway, at random, for the cluster's manifest: until one start has asked the paused
            // silo (it then waits out a response timeout first), at most 10 starts (about 1 in 1,000 that none does).
            var waitedOut = false;
            for (var attempt = 0; attempt < 10 && !waitedOut; attempt++)
            {
                var started = Stopwatch.StartNew();
                using var cluster = ClusterStore.Connect(new ClusterSettings(silos.Address, 2, 1_000_000, TimeSpan.FromMinutes(1)));
                waitedOut = started.Elapsed > ShardSilo.ClientResponseTimeout;
            }
            Assert.True(waitedOut, "no start asked the paused silo: the case this test is for never came up");
        }
        finally
        {
            await CliChild.Signal(silos.ProcessId(1), "CONT");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_run_on_the_cluster_that_diverges_drops_its_state_and_leaves_no_folder(int workers)
    {
        // It left its shard snapshots and meeting point in --state, and --out (cluster-run.json beside the lock) that it made:
        // a single process's divergence leaves nothing, and the cluster's state has no run to go on from.
        var (root, log) = LogIn("diverged-" + workers);
        using var silos = LocalCluster.Start(2, Path.Combine(root, "state"));
        var outDir = Path.Combine(root, "run");
        string[] spawn = workers > 1 ? ["--workers", $"{workers}", "--spawn-workers"] : [];
        var (code, _, error) = CliRunner.Run(["train", "--data", log, "--epochs", "2", "--batch-size", "256", "--dim", "4", "--threads", "1", "--lr", "1e9",
            "--out", outDir, "--cluster", silos.AddressText, .. spawn]);

        // The whole of what it said where it failed otherwise: a failure under load showed only the reading line's first 50 characters.
        Assert.True(code == 1 && error.Contains("lower --lr", StringComparison.Ordinal), $"exit code {code}, stderr:\n{error}");
        Assert.False(Directory.Exists(outDir), Directory.Exists(outDir) ? $"{outDir} holds {string.Join(", ", Directory.GetFiles(outDir).Select(Path.GetFileName))}" : "");
        Assert.DoesNotContain(Directory.GetFiles(Path.Combine(root, "state")), f => Path.GetFileName(f) is var name && (name.StartsWith("shard.") || name.StartsWith("run.")));
    }

    [Fact]
    public void A_diverged_cluster_run_into_a_folder_that_was_there_leaves_it_with_what_it_held_and_none_of_its_workers_logs()
    {
        // A folder the run did not make stays; the logs its workers wrote there are of a run nothing can go on from, and go.
        var (root, log) = LogIn("diverged-existing");
        using var silos = LocalCluster.Start(2, Path.Combine(root, "state"));
        var outDir = Directory.CreateDirectory(Path.Combine(root, "run")).FullName;
        File.WriteAllText(Path.Combine(outDir, "notes.txt"), "kept");
        var (code, _, error) = CliRunner.Run(["train", "--data", log, "--epochs", "2", "--batch-size", "256", "--dim", "4", "--threads", "1", "--lr", "1e9",
            "--out", outDir, "--cluster", silos.AddressText, "--workers", "2", "--spawn-workers"]);

        // The whole of what it said where it failed otherwise: a failure under load showed only the reading line's first 50 characters.
        Assert.True(code == 1 && error.Contains("lower --lr", StringComparison.Ordinal), $"exit code {code}, stderr:\n{error}");
        Assert.Equal(["notes.txt"], Directory.GetFiles(outDir).Select(f => Path.GetFileName(f)!).Where(name => !name.StartsWith('.')).Order());
    }

    [Fact]
    public void A_coordinator_killed_mid_epoch_resumes_to_the_bytes_of_an_uninterrupted_run()
    {
        var (root, log) = LogIn("kill-coordinator");
        using var silos = LocalCluster.Start(2, Path.Combine(root, "state"));
        string[] flags = ["--data", log, "--method", "ns", "--epochs", "4", "--batch-size", "256", "--dim", "4", "--threads", "1", "--seed", "5", "--checkpoint-every", "3"];
        var (single, interrupted) = (Path.Combine(root, "single"), Path.Combine(root, "cluster"));
        var (code, _, error) = CliRunner.Run(["train", .. flags, "--out", single]);
        Assert.True(code == 0, error);

        KillOnceCheckpointed(["train", .. flags, "--out", interrupted, "--cluster", silos.AddressText], Path.Combine(interrupted, "last.checkpoint"), tree: true);
        Assert.False(File.Exists(Path.Combine(interrupted, "metrics.json")));
        (code, _, error) = CliRunner.Run(["train", .. flags, "--out", interrupted, "--cluster", silos.AddressText, "--resume"]);
        Assert.True(code == 0, error);
        Assert.Contains("resuming", error);
        Assert.Equal(File.ReadAllBytes(Path.Combine(single, "checkpoint")), File.ReadAllBytes(Path.Combine(interrupted, "checkpoint")));
        Assert.True(File.Exists(Path.Combine(interrupted, "cluster.json")));
        // The killed run's shard snapshots and meeting point (a run of its own name) were dropped by the resume, which
        // dropped its own at its end: --state keeps nothing of either, nor --out a run left to drop.
        Assert.DoesNotContain(Directory.GetFiles(Path.Combine(root, "state")), f => Path.GetFileName(f) is var name && (name.StartsWith("shard.") || name.StartsWith("run.")));
        Assert.False(File.Exists(Path.Combine(interrupted, ClusterRunRecord.FileName)));
    }

    [Fact]
    public async Task Workers_started_by_their_coordinator_finish_a_run_that_lost_a_silo_and_account_for_every_update()
    {
        var (root, log) = LogIn("spawned-workers");
        var state = Path.Combine(root, "state");
        using var silos = LocalCluster.Start(2, state);
        var output = Path.Combine(root, "run");
        var run = Task.Run(() => CliRunner.Run("train", "--data", log, "--method", "ns", "--epochs", "4", "--batch-size", "256", "--dim", "4", "--threads", "1", "--seed", "5",
            // A --run of its own: each worker is given the run again, not a second --run beside the coordinator's.
            "--out", output, "--cluster", silos.AddressText, "--workers", "2", "--spawn-workers", "--run", "spawned-" + Guid.NewGuid().ToString("N")[..8]));
        // The run's meeting point is saved once the coordinator opened it: the workers are about to train.
        while (!Directory.Exists(state) || Directory.GetFiles(state, "run.*.json").Length == 0)
        {
            Assert.False(run.IsCompleted, "the run ended before it opened");
            await Task.Delay(20);
        }
        await Task.Delay(1_500);
        Assert.False(run.IsCompleted, "the run ended before a silo could be killed");
        silos.Kill(1);
        var (code, _, error) = await run.WaitAsync(TimeSpan.FromMinutes(5));
        Assert.True(code == 0, error);
        var workerLog = File.ReadAllText(Path.Combine(output, "worker-1.log"));
        Assert.Matches(@"worker 1 of run [\w-]+: [1-9][\d,]* steps", workerLog);
        // A worker trains its share and validates nothing: its epochs' lines give no validation figure (they said "valid loss NaN").
        Assert.Matches(@"epoch 1 \([^)]+\): train loss [\d.]+, [\d.]+ s", workerLog);
        Assert.DoesNotContain("valid loss", workerLog);
        var report = System.Text.Json.JsonSerializer.Deserialize<ClusterReport>(File.ReadAllText(Path.Combine(output, "cluster.json")))!;
        // Every update either worker had acknowledged is held by the shards or counted lost. Held may exceed it by a push
        // applied whose answer timed out while the silo was being declared dead (retried, so applied twice): at most a few steps' rows.
        Assert.Equal(1, report.SilosHosting);
        Assert.True(report.UpdatesApplied > 0);
        Assert.InRange(report.UpdatesApplied + report.UpdatesLost - report.UpdatesAcknowledged, 0, 8 * 2 * 256 * 2);
        Assert.True(File.Exists(Path.Combine(output, "metrics.json")));
    }

    [Fact]
    public async Task A_worker_killed_mid_run_is_counted_lost_and_the_others_take_its_parts()
    {
        var (root, log) = LogIn("lost-worker");
        using var silos = LocalCluster.Start(2, Path.Combine(root, "state"));
        var run = "lost-" + Guid.NewGuid().ToString("N")[..8];
        string[] flags = ["--data", log, "--method", "ns", "--epochs", "4", "--batch-size", "256", "--dim", "4", "--threads", "1", "--seed", "5",
            // Long enough that a worker process starting slowly on a loaded machine is not lost before it joins; short enough to wait out.
            "--cluster", silos.AddressText, "--workers", "3", "--run", run, "--worker-timeout", "8"];
        var output = Path.Combine(root, "run");
        var coordinator = Task.Run(() => CliRunner.Run(["train", .. flags, "--out", output]));
        var workers = new[] { 1, 2 }.Select(index =>
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            string[] args = [typeof(LocalCluster).Assembly.Location, "train", .. flags, "--out", Path.Combine(root, $"unused-{index}"), "--worker", $"{index}"];
            foreach (var arg in args) start.ArgumentList.Add(arg);
            var process = new Process { StartInfo = start };
            var (stderr, joined) = (new System.Text.StringBuilder(), new TaskCompletionSource());
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                lock (stderr) stderr.AppendLine(e.Data);
                if (e.Data.Contains($"joined run {run}")) joined.TrySetResult();
            };
            process.Start();
            process.BeginErrorReadLine();
            _ = process.StandardOutput.ReadToEndAsync();
            return (Process: process, Stderr: stderr, Joined: joined.Task);
        }).ToArray();
        string StderrOf(int worker)
        {
            lock (workers[worker].Stderr) return workers[worker].Stderr.ToString();
        }
        try
        {
            // Once both workers have joined, they train: kill worker 2 inside the run. The wait bounds a hang (a CI run under load
            // 60 passed 2 minutes, and said only "timed out"): what the workers and the coordinator said is the failure's message.
            var joined = Task.WhenAll(workers.Select(w => w.Joined));
            if (await Task.WhenAny(joined, Task.Delay(TimeSpan.FromMinutes(5))) != joined)
                Assert.Fail($"the workers did not both join within 5 minutes (coordinator {(coordinator.IsCompleted ? $"ended: {(await coordinator).Error}" : "running")});\n" +
                    $"worker 1 said:\n{StderrOf(0)}\nworker 2 said:\n{StderrOf(1)}");
            Assert.False(coordinator.IsCompleted, "the run ended before a worker could be killed");
            workers[1].Process.Kill(entireProcessTree: true);
            var (code, _, error) = await coordinator.WaitAsync(TimeSpan.FromMinutes(5));
            Assert.True(code == 0, error);
            Assert.Contains("workers lost (their parts went to the others): 2 in epoch", error);
            await workers[0].Process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
            Assert.True(workers[0].Process.ExitCode == 0, StderrOf(0));
            Assert.Contains("worker 1 of run", StderrOf(0));
            var report = System.Text.Json.JsonSerializer.Deserialize<ClusterReport>(File.ReadAllText(Path.Combine(output, "cluster.json")))!;
            Assert.Equal([2], report.WorkersLost!.Keys);
            Assert.True(File.Exists(Path.Combine(output, "metrics.json")));
        }
        finally
        {
            foreach (var (process, _, _) in workers)
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                process.Dispose();
            }
        }
    }

    [Fact]
    public async Task A_worker_process_waiting_for_its_run_ends_on_sigterm_not_after_its_patience()
    {
        var (root, log) = LogIn("sigterm-worker");
        using var silos = new InProcessSilos();
        var run = "sigterm-" + Guid.NewGuid().ToString("N")[..8];
        using var worker = new CliChild("train", "--data", log, "--dim", "4", "--threads", "1", "--out", Path.Combine(root, "unused"),
            "--cluster", string.Join(",", silos.Address.Gateways), "--workers", "2", "--worker", "1", "--run", run);
        await worker.Said($"waiting for run {run}'s coordinator", TimeSpan.FromMinutes(2));

        await CliChild.Signal(worker.Process.Id, "TERM");

        // Its patience is 10 minutes: the limit only tells a process that ignored the signal from one that heeded it.
        await worker.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.DoesNotContain("   at ", worker.Stderr);
        // Ended by its command's cancellation (which lets it tell its run it leaves), not killed by the signal (143).
        Assert.Equal(130, worker.Process.ExitCode);
        Assert.Contains("cancelled", worker.Stderr);
    }

    [Fact]
    public async Task The_cluster_verb_stops_in_one_line_when_its_primary_silo_dies()
    {
        using var cluster = new CliChild("cluster", "--silos", "2", "--state", feed.Scratch("primary-dies"));
        await cluster.Said("silos up", TimeSpan.FromMinutes(3));
        var silos = CliChild.Children(cluster.Process.Id);
        Assert.Equal(2, silos.Count);

        var other = silos.Single(s => s.CommandLine.Contains("--primary-port")).Id;

        await CliChild.Signal(silos.Single(s => !s.CommandLine.Contains("--primary-port")).Id, "KILL");

        await cluster.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(1, cluster.Process.ExitCode);
        Assert.Matches(@"error: silo 0 \(ports \d+/\d+\) ended \(exit code 137\); it is the primary the others joined through", cluster.Stderr);
        // The silo left is stopped with its cluster, not left running.
        var waited = Stopwatch.StartNew();
        while (Directory.Exists($"/proc/{other}") && waited.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(100);
        Assert.False(Directory.Exists($"/proc/{other}"), $"silo process {other} outlived its cluster");
    }

    [Fact]
    public async Task A_silo_whose_primary_died_stops_in_one_line_instead_of_retrying_for_ever()
    {
        var state = feed.Scratch("orphan-silo");
        var (primaryPort, primaryGateway) = LocalCluster.FreePorts();
        using var primary = new CliChild("silo", "--state", state, "--port", $"{primaryPort}", "--gateway-port", $"{primaryGateway}", "--fast-failure-detection");
        await primary.Said("silo up", TimeSpan.FromMinutes(2));
        var (port, gateway) = LocalCluster.FreePorts();
        using var joined = new CliChild("silo", "--state", state, "--port", $"{port}", "--gateway-port", $"{gateway}", "--primary-port", $"{primaryPort}", "--fast-failure-detection");
        await joined.Said("silo up", TimeSpan.FromMinutes(2));

        await CliChild.Signal(primary.Process.Id, "KILL");

        await joined.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        Assert.Equal(1, joined.Process.ExitCode);
        Assert.Contains($"error: the primary silo at 127.0.0.1:{primaryPort} has not answered for 5 s", joined.Stderr);
        Assert.DoesNotContain("   at ", joined.Stderr);
    }

    [Fact]
    public void A_coordinator_of_workers_killed_between_epochs_resumes_with_fresh_workers_and_its_old_ones_end()
    {
        var (root, log) = LogIn("kill-coordinator-of-workers");
        using var silos = LocalCluster.Start(2, Path.Combine(root, "state"));
        var output = Path.Combine(root, "run");
        string[] flags = ["--data", log, "--method", "ns", "--epochs", "4", "--batch-size", "256", "--dim", "4", "--threads", "1", "--seed", "5",
            "--out", output, "--cluster", silos.AddressText, "--workers", "2", "--spawn-workers"];
        // The coordinator alone, as kill -9 does: the worker it started must notice and end by itself.
        KillOnceCheckpointed(["train", .. flags], Path.Combine(output, "last.checkpoint"), tree: false);
        Assert.False(File.Exists(Path.Combine(output, "metrics.json")));
        var (code, _, error) = CliRunner.Run(["train", .. flags, "--resume"]);
        Assert.True(code == 0, error);
        Assert.Matches(@"resuming .* after epoch [1-3]", error);
        Assert.Matches(@"worker 1 of run [\w-]+: [1-9][\d,]* steps", File.ReadAllText(Path.Combine(output, "worker-1.log")));
        Assert.True(File.Exists(Path.Combine(output, "metrics.json")));
        // The killed opening's shard snapshots and meeting point (a run of another name) were dropped by the resume, which
        // dropped its own at its end: --state keeps nothing of either (each was a full copy of the tables and optimizer state).
        Assert.DoesNotContain(Directory.GetFiles(Path.Combine(root, "state")), f => Path.GetFileName(f) is var name && (name.StartsWith("shard.") || name.StartsWith("run.")));
        // No worker of either opening is left running.
        Assert.DoesNotContain(Directory.GetDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)), d =>
        {
            try
            {
                var command = File.ReadAllText(Path.Combine(d, "cmdline")).Replace('\0', ' ');
                return command.Contains(output) && command.Contains("--worker ");
            }
            catch (IOException)
            {
                return false;
            }
        });
    }
}
