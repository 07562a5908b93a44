using InverseLearning.V1;
using Microsoft.Extensions.Logging;

namespace InverseLearning.Serving.Tests;

public sealed class ModelSwapTests
{
    private static readonly GmfModelFixture First = GmfModelFixture.Random(users: 10, items: 30, dim: 6, seed: 4, version: "v1");
    private static readonly GmfModelFixture Second = GmfModelFixture.Random(users: 10, items: 30, dim: 6, seed: 5, version: "v2");

    [Fact]
    public async Task Replacing_the_model_file_swaps_under_concurrent_calls_with_no_failed_call()
    {
        await using var server = await ServerHarness.StartAsync(First);
        await using var load = ConcurrentLoad.Start(server.Client, First.UserIds[1], First.ItemIds);

        await Task.Delay(200);
        Second.WriteModel(server.Folder);
        await server.WaitForVersionAsync("v2");
        await Task.Delay(200);
        var calls = await load.StopAsync();

        Assert.True(calls > 10, $"only {calls} calls ran during the swap");
        var user = First.UserIds[1];
        var scored = await server.Client.ScoreAsync(new ScoreRequest { UserId = user, ItemIds = { First.ItemIds[3] } });
        Assert.Equal(Second.Expected(user, First.ItemIds[3]), scored.Scores[0], 5);
        Assert.NotEqual(First.Expected(user, First.ItemIds[3]), scored.Scores[0], 3);
    }

    [Fact]
    public async Task A_deleted_model_file_is_a_warning_once_and_the_model_keeps_serving()
    {
        await using var server = await ServerHarness.StartAsync(First);

        File.Delete(server.ModelPath);
        await WaitUntilAsync(() => server.Logs.Lines.Any(l => l.Level == LogLevel.Warning));
        await Task.Delay(600); // three more polls of the harness's 200 ms
        // A reload asked for meanwhile fails, saying why, and does not set the warning off again.
        Assert.False((await server.Http.PostAsync("/admin/reload", null)).IsSuccessStatusCode);
        await Task.Delay(600);

        var warning = Assert.Single(server.Logs.Lines, l => l.Level == LogLevel.Warning).Message;
        Assert.Equal($"{server.ModelPath} holds no model any more; model v1 keeps serving from memory, and a restart would find none to load", warning);
        Assert.Single((await server.Client.ScoreAsync(new ScoreRequest { UserId = First.UserIds[0], ItemIds = { First.ItemIds[0] } })).Scores);
        // A model put back is loaded as any new one.
        Second.WriteModel(server.Folder);
        await server.WaitForVersionAsync("v2");
    }

    [Fact]
    public async Task A_seen_list_put_beside_the_model_is_seen_by_the_watcher_between_polls()
    {
        // The watcher listened for the model file's name alone: the seen list a refused reload asked for, put in place, waited
        // for a poll that looks at it (here, an hour away).
        await using var server = await ServerHarness.StartAsync(First, options => options.ModelPollInterval = TimeSpan.FromHours(1), [(First.UserIds[0], First.ItemIds[0])]);
        // The watcher starts beside the server, not before it is up: a change made before it listens is left to the poll.
        await WaitUntilAsync(() => server.Logs.Lines.Any(l => l.Message.StartsWith("Watching ", StringComparison.Ordinal)));
        Second.WriteModel(server.Folder, exportStamp: "export-b");
        await WaitUntilAsync(() => server.Logs.Lines.Any(l => l.Message.StartsWith("Model reload refused", StringComparison.Ordinal)));

        var written = Directory.CreateTempSubdirectory("seen-").FullName;
        await GmfModelFixture.WriteSeenAsync(written, [(Second.UserIds[0], Second.ItemIds[0])], exportStamp: "export-b");
        File.Move(Path.Combine(written, "seen.parquet"), Path.Combine(server.Folder, "seen.parquet"), overwrite: true);
        Directory.Delete(written);

        await server.WaitForVersionAsync("v2");
    }

    [Theory]
    [InlineData("corrupt")]
    [InlineData("truncated")]
    [InlineData("incompatible")]
    public async Task A_bad_model_file_leaves_the_old_model_serving_and_is_logged(string damage)
    {
        await using var server = await ServerHarness.StartAsync(First);
        await using var load = ConcurrentLoad.Start(server.Client, First.UserIds[1], First.ItemIds);

        var bytes = damage switch
        {
            "corrupt" => Enumerable.Range(0, 4096).Select(i => (byte)(i * 31 + 7)).ToArray(),
            "truncated" => Second.ToModelBytes()[..600],
            _ => Second.ToModelBytes(dropOutput: "catalog"),
        };
        GmfModelFixture.WriteAtomically(server.ModelPath, bytes);
        await WaitUntilAsync(() => server.Logs.Lines.Any(l => l.Level == LogLevel.Error && l.Message.Contains("reload refused")));
        var calls = await load.StopAsync();

        Assert.True(calls > 0);
        Assert.Equal("v1", (await server.Client.GetModelInfoAsync(new GetModelInfoRequest())).Version);
        var error = server.Logs.Lines.Single(l => l.Level == LogLevel.Error).Message;
        Assert.Contains(server.ModelPath, error);
        if (damage == "incompatible") Assert.Contains("output 'catalog' is missing", error);
        Assert.Equal(1, PrometheusText.Value(await server.MetricsAsync(), "ranking_model_reloads_total{result=\"failed\"}"));
        // The broken file is tried once, not again at every poll (200 ms here) while it stays.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(1, PrometheusText.Value(await server.MetricsAsync(), "ranking_model_reloads_total{result=\"failed\"}"));

        // A good file afterwards is still picked up.
        Second.WriteModel(server.Folder);
        await server.WaitForVersionAsync("v2");
    }

    [Fact]
    public async Task The_admin_endpoint_reloads_on_demand()
    {
        await using var server = await ServerHarness.StartAsync(First, o => o.WatchModel = false);
        Second.WriteModel(server.Folder);

        var reply = await server.Http.PostAsync("/admin/reload", null);

        Assert.True(reply.IsSuccessStatusCode);
        Assert.Contains("now serving v2", await reply.Content.ReadAsStringAsync());
        Assert.Equal("v2", (await server.Client.GetModelInfoAsync(new GetModelInfoRequest())).Version);
    }

    [Fact]
    public async Task Shutdown_lets_an_in_flight_call_finish()
    {
        // The batcher holds the call 500 ms waiting for company, so the stop lands while it is in flight.
        var server = await ServerHarness.StartAsync(First, o => o.MaxWaitMicroseconds = 500_000);
        await server.Client.GetModelInfoAsync(new GetModelInfoRequest()); // connected before the stop, however loaded the machine
        var call = server.Client.ScoreAsync(new ScoreRequest { UserId = First.UserIds[0], ItemIds = { First.ItemIds[0] } }).ResponseAsync;
        // Stopped once the server has the call (a fixed pause could stop it before the call arrived, on a loaded machine).
        for (var attempt = 0; attempt < 200 && PrometheusText.Find(await server.MetricsAsync(), "ranking_calls_in_flight") is not 1; attempt++)
            await Task.Delay(10);

        await server.Server.StopAsync();

        var response = await call;
        Assert.Equal(First.Expected(First.UserIds[0], First.ItemIds[0]), response.Scores[0], 5);
        await server.DisposeAsync();
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var attempt = 0; attempt < 100 && !condition(); attempt++) await Task.Delay(50);
        Assert.True(condition(), "the expected event never happened");
    }
}
