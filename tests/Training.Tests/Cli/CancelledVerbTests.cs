using InverseLearning.Training.Cli;
using InverseLearning.Training.Cluster;
using InverseLearning.Training.Tests.Cluster;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>
/// Ctrl+C and SIGTERM cancel the verb's token. The verbs that only read and then write (eval, export, import-ratings) stop at
/// their checks with "cancelled" and exit 130, and write nothing: they ran to the end and exited 0 before.
/// </summary>
[Collection("Console")]
public class CancelledVerbTests(CliFixture files) : IClassFixture<CliFixture>
{
    [Theory]
    [InlineData("--repository")]
    [InlineData("--out")]
    public void A_cancelled_export_writes_nothing(string destination)
    {
        var folder = files.Scratch("cancelled-export" + destination);

        var (code, _, error) = CliRunner.Run(TimeSpan.Zero, "export", "--checkpoint", files.Checkpoint, "--data", files.Log, destination, folder);

        Assert.Equal(130, code);
        Assert.EndsWith("\ncancelled", "\n" + error.Trim());
        // No version published, no model written: a new --out, which held only its lock, is removed again; --repository is left empty.
        var left = Directory.Exists(folder) ? Directory.EnumerateFileSystemEntries(folder) : [];
        Assert.DoesNotContain(left, entry => !Path.GetFileName(entry).StartsWith('.'));
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("HUP")] // a closed SSH session: it ended the server on the spot, exit 129, no drain
    public async Task A_server_told_to_stop_while_it_starts_says_cancelled_not_a_stack_trace(string signal)
    {
        // Its file watcher starts with the host, just before the ports are bound: a SIGTERM then cancelled the bind, and the
        // host's start ended in a stack trace and exit 134. One a moment later finds the server serving: it drains, exit 0.
        using var server = new CliChild("serve", "--model", files.Model, "--port", "0", "--metrics-port", "-1");
        await server.Said("Watching", TimeSpan.FromSeconds(60));
        await CliChild.Signal(server.Process.Id, signal);
        await server.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.DoesNotContain("   at ", server.Stderr);
        var code = server.Process.ExitCode;
        Assert.True(code == 0 || code == 130 && server.Stderr.TrimEnd().EndsWith("cancelled"), $"exit code {code}, stderr:\n{server.Stderr}");
    }

    [Fact]
    public async Task A_served_stream_held_open_keeps_serves_drain_going_past_two_seconds_after_sigterm()
    {
        var port = LocalCluster.FreePort();
        using var server = new CliChild("serve", "--model", files.Model, "--port", $"{port}", "--metrics-port", "-1");
        // Not "Watching": its file watcher starts just before the ports are bound.
        await server.Said("Ranker listening on", TimeSpan.FromSeconds(60));
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        // Held by a client that sends and never reads: its answers wait on HTTP/2 flow control, which holds the drain until its cut,
        // a second before the drain timeout (10 s). One that reads its answers is given up a second after its end is sent.
        var held = new InverseLearning.V1.Ranker.RankerClient(channel).RankStream();
        var log = InverseLearning.Data.InteractionLogParquet.Read(files.Log);
        var items = log.ItemId.Distinct().Take(100).ToList();
        var large = new InverseLearning.V1.RankRequest { UserId = log.UserId[0], CandidateItemIds = { items }, TopK = items.Count };
        var sent = 0;
        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < 100_000; i++)
            {
                await held.RequestStream.WriteAsync(large);
                Interlocked.Increment(ref sent);
            }
        });
        await StalledAsync(() => Volatile.Read(ref sent));
        var draining = server.Said("waiting for 1 open RankStreams", TimeSpan.FromSeconds(30));

        await CliChild.Signal(server.Process.Id, "TERM");
        await draining;

        // The command line's own SIGTERM handler ended the process 2 s after the signal (exit 143), in the middle of the drain.
        await Assert.ThrowsAsync<TimeoutException>(() => server.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5)));
        held.Dispose();
        await Record.ExceptionAsync(() => sending); // its writes fail once the stream is reset
        await server.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, server.Process.ExitCode);
    }

    // Until the client's writes have not moved for half a second: the server stopped reading, its answers unread.
    private static async Task StalledAsync(Func<int> sent)
    {
        var last = -1;
        for (var attempt = 0; attempt < 120; attempt++)
        {
            await Task.Delay(500);
            if (sent() > 0 && sent() == last) return;
            last = sent();
        }
        Assert.Fail("the stream never stalled");
    }

    [Fact]
    public async Task A_hung_up_train_is_cancelled_as_on_sigterm_and_lets_go_of_its_out()
    {
        var output = files.Scratch("hung-up-train");
        using var train = new CliChild("train", "--data", files.Log, "--epochs", "10000", "--batch-size", "64", "--out", output);
        await train.Said("training ", TimeSpan.FromMinutes(1));

        await CliChild.Signal(train.Process.Id, "HUP");

        await train.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        // Not ended by the signal (129), which left --out locked and said nothing.
        Assert.Equal(130, train.Process.ExitCode);
        Assert.EndsWith("\ncancelled", "\n" + train.Stderr.Trim());
        Assert.False(File.Exists(Path.Combine(output, OutputFolder.LockFileName)));
    }

    [Fact]
    public async Task A_hung_up_silo_stops_as_on_sigterm()
    {
        var (port, gateway) = LocalCluster.FreePorts();
        using var silo = new CliChild("silo", "--state", files.Scratch("hung-up-silo"), "--port", $"{port}", "--gateway-port", $"{gateway}");
        await silo.Said("silo up", TimeSpan.FromMinutes(1));

        await CliChild.Signal(silo.Process.Id, "HUP");

        await silo.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        // Stopped by its host (its shards' last snapshots), not ended by the signal (129).
        Assert.Equal(0, silo.Process.ExitCode);
    }

    [Fact]
    public void A_cancelled_datagen_leaves_no_folder_it_made()
    {
        // It said "left as it was" and left a new, empty --out (with the folder above it): so did a full disk.
        var made = files.Scratch("cancelled-datagen");
        var (code, _, error) = CliRunner.Run(TimeSpan.Zero, "datagen", "--preset", "tiny", "--out", Path.Combine(made, "sim"));

        Assert.Equal(130, code);
        Assert.EndsWith("\ncancelled", "\n" + error.Trim());
        Assert.False(Directory.Exists(made));
    }

    [Fact]
    public void A_cancelled_triton_export_leaves_no_folder_it_made()
    {
        var triton = files.Scratch("cancelled-triton");
        var (code, _, error) = CliRunner.Run(TimeSpan.Zero, "export", "--checkpoint", files.Checkpoint, "--data", files.Log, "--triton", triton);

        Assert.Equal(130, code);
        Assert.EndsWith("\ncancelled", "\n" + error.Trim());
        Assert.False(Directory.Exists(triton));
    }

    [Fact]
    public void A_cancelled_eval_prints_no_metrics()
    {
        var (code, output, error) = CliRunner.Run(TimeSpan.Zero, "eval", "--checkpoint", files.Checkpoint, "--data", files.Log);

        Assert.Equal(130, code);
        Assert.EndsWith("\ncancelled", "\n" + error.Trim());
        Assert.DoesNotContain("AUC", output);
    }

    [Fact]
    public void A_cancelled_import_writes_no_log()
    {
        var folder = files.Scratch("cancelled-import");

        var (code, _, error) = CliRunner.Run(TimeSpan.Zero, "import-ratings", "--input", files.Ratings, "--out", folder);

        Assert.Equal(130, code);
        Assert.EndsWith("\ncancelled", "\n" + error.Trim());
        Assert.False(File.Exists(Path.Combine(folder, "interactions.parquet")));
    }
}
