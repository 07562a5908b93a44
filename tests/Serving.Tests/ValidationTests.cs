using Grpc.Core;
using InverseLearning.V1;

namespace InverseLearning.Serving.Tests;

public sealed class ValidationTests
{
    private static readonly GmfModelFixture Model = GmfModelFixture.Random(users: 5, items: 30, dim: 4, seed: 3, version: "v1");

    public static TheoryData<string, string> InvalidCalls => new()
    {
        { "score-empty", "item_ids is empty" },
        { "rank-empty", "candidate_item_ids is empty" },
        { "rank-top-k-zero", "top_k is 0" },
        { "rank-top-k-negative", "top_k is -4" },
        { "recommend-top-k-zero", "top_k is 0" },
        { "score-too-many", "item_ids has 21 items, more than the limit of 20" },
        { "rank-too-many", "candidate_item_ids has 21 items, more than the limit of 20" },
        { "rank-too-large", "over the limit of 120 bytes" },
    };

    [Theory]
    [MemberData(nameof(InvalidCalls))]
    public async Task Invalid_requests_are_refused_with_invalid_argument_saying_what_and_why(string call, string message)
    {
        await using var server = await ServerHarness.StartAsync(Model, o => { o.MaxCandidates = 20; o.MaxRequestBytes = 120; });
        var client = server.Client;
        var many = Enumerable.Range(0, 21).Select(i => (long)i).ToArray();
        var large = Enumerable.Range(0, 15).Select(i => long.MaxValue - i).ToArray(); // 15 candidates of 9-10 bytes: over 120 bytes, under 20 items

        var error = await Assert.ThrowsAsync<RpcException>(async () => _ = call switch
        {
            "score-empty" => await client.ScoreAsync(new ScoreRequest { UserId = 1 }) as object,
            "rank-empty" => await client.RankAsync(new RankRequest { UserId = 1, TopK = 3 }),
            "rank-top-k-zero" => await client.RankAsync(new RankRequest { UserId = 1, CandidateItemIds = { 1, 2 }, TopK = 0 }),
            "rank-top-k-negative" => await client.RankAsync(new RankRequest { UserId = 1, CandidateItemIds = { 1, 2 }, TopK = -4 }),
            "recommend-top-k-zero" => await client.RecommendAsync(new RecommendRequest { UserId = 1, TopK = 0 }),
            "score-too-many" => await client.ScoreAsync(new ScoreRequest { UserId = 1, ItemIds = { many } }),
            "rank-too-many" => await client.RankAsync(new RankRequest { UserId = 1, CandidateItemIds = { many }, TopK = 1 }),
            "rank-too-large" => await client.RankAsync(new RankRequest { UserId = 1, CandidateItemIds = { large }, TopK = 1 }),
            _ => throw new ArgumentOutOfRangeException(nameof(call)),
        });

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(message, error.Status.Detail);
    }

    [Fact]
    public async Task Exclude_seen_without_a_seen_file_is_a_failed_precondition_naming_the_file_and_the_watcher_that_loads_one()
    {
        // It said a seen list copied beside the model is used only after POST /admin/reload or a restart: the watcher loads it by itself.
        await using var server = await ServerHarness.StartAsync(Model);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await server.Client.RecommendAsync(new RecommendRequest { UserId = 1, TopK = 2, ExcludeSeen = true }));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal($"exclude_seen needs seen.parquet beside the model ({server.ModelPath}), and model v1 was loaded without one: the seen list is read when "
            + "the model loads, and one copied beside it is loaded within seconds (the model is watched); or ask with exclude_seen = false", error.Status.Detail);
    }

    [Fact]
    public async Task Exclude_seen_after_a_seen_file_is_added_says_it_is_read_at_load_and_how_to_load_it()
    {
        // It said "needs seen.parquet beside the model, and model v1 has none" with the file there: the seen list is read when the model
        // loads. Not watched (--no-watch): a watched model would load the file within seconds.
        await using var server = await ServerHarness.StartAsync(Model, o => o.WatchModel = false);
        await GmfModelFixture.WriteSeenAsync(server.Folder, [(Model.UserIds[0], Model.ItemIds[0])]);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await server.Client.RecommendAsync(new RecommendRequest { UserId = 1, TopK = 2, ExcludeSeen = true }));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal($"exclude_seen needs seen.parquet beside the model ({server.ModelPath}), and model v1 was loaded without one: the seen list is read when "
            + "the model loads, so after adding it POST /admin/reload (or restart, or publish a version); or ask with exclude_seen = false", error.Status.Detail);
    }

    [Fact]
    public async Task A_call_whose_deadline_passes_while_it_queues_ends_with_deadline_exceeded()
    {
        // The batcher waits 1 s for company, far past the call's 300 ms deadline (long enough for the call to reach the queue on a loaded machine).
        await using var server = await ServerHarness.StartAsync(Model, o => o.MaxWaitMicroseconds = 1_000_000);
        await server.Client.GetModelInfoAsync(new GetModelInfoRequest()); // connect first: the deadline is the queue's, not the handshake's

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await server.Client.ScoreAsync(new ScoreRequest { UserId = 1, ItemIds = { 1 } }, deadline: DateTime.UtcNow.AddMilliseconds(300)));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        // The server, not just the client, gave up on the call: its queued job never ran. The server says
        // DEADLINE_EXCEEDED, or CANCELLED when the client's reset came before the server's own copy of the
        // deadline ran out (it starts when the headers arrive, later on a loaded machine).
        static double Ended(string metrics) =>
            (PrometheusText.Find(metrics, "rpc_server_call_duration_seconds_count{rpc_method=\"Score\",rpc_grpc_status_code=\"4\"}") ?? 0) +
            (PrometheusText.Find(metrics, "rpc_server_call_duration_seconds_count{rpc_method=\"Score\",rpc_grpc_status_code=\"1\"}") ?? 0);
        for (var attempt = 0; attempt < 200 && Ended(await server.MetricsAsync()) == 0; attempt++) await Task.Delay(50);
        await Task.Delay(1_200); // past the batcher's wait
        var metrics = await server.MetricsAsync();
        Assert.Equal(1, Ended(metrics));
        Assert.Equal(0, PrometheusText.Recorded(metrics, "ranking_batch_requests_count")); // the abandoned call never ran
    }
}
