using InverseLearning.V1;

namespace InverseLearning.Serving.Tests;

public sealed class ScoreTests
{
    private static readonly GmfModelFixture Model = GmfModelFixture.Random(users: 20, items: 50, dim: 8, seed: 1, version: "v1");

    [Fact]
    public async Task Scores_equal_the_independent_dot_product_and_sigmoid_in_request_order()
    {
        await using var server = await ServerHarness.StartAsync(Model);
        var user = Model.UserIds[3];
        long[] items = [Model.ItemIds[7], Model.ItemIds[0], Model.ItemIds[49], Model.ItemIds[7], Model.ItemIds[21]];

        var response = await server.Client.ScoreAsync(new ScoreRequest { UserId = user, ItemIds = { items } });

        Assert.True(response.KnownUser);
        Assert.Equal(items.Length, response.Scores.Count);
        for (var i = 0; i < items.Length; i++)
        {
            Assert.Equal(Model.Expected(user, items[i]), response.Scores[i], 5);
            Assert.True(response.KnownItems[i]);
        }
        Assert.NotEqual(response.Scores[0], response.Scores[1]);
    }

    [Fact]
    public async Task Unknown_user_and_items_are_scored_on_the_reserved_row_and_flagged_not_refused()
    {
        await using var server = await ServerHarness.StartAsync(Model);
        const long unknownUser = 999_999, unknownItem = -5;
        long[] items = [unknownItem, Model.ItemIds[2]];

        var response = await server.Client.ScoreAsync(new ScoreRequest { UserId = unknownUser, ItemIds = { items } });

        Assert.False(response.KnownUser);
        Assert.Equal([false, true], response.KnownItems);
        Assert.Equal(Model.Expected(unknownUser, unknownItem), response.Scores[0], 5);
        Assert.Equal(Model.Expected(unknownUser, items[1]), response.Scores[1], 5);
    }

    [Fact]
    public async Task Concurrent_requests_of_different_users_batched_together_each_get_their_own_scores()
    {
        // A long max wait makes the server coalesce these calls into few ORT runs.
        await using var server = await ServerHarness.StartAsync(Model, o => o.MaxWaitMicroseconds = 50_000);
        // Every third user is unknown and every fifth call asks for an unknown item too: each call's flags are its own, not its run's first call's.
        var calls = Enumerable.Range(0, 12).Select(async r =>
        {
            var user = r % 3 == 1 ? 1_000_000 + r : Model.UserIds[r];
            var items = Enumerable.Range(0, 1 + r).Select(i => Model.ItemIds[(i * 7 + r) % Model.ItemIds.Length]).ToArray();
            if (r % 5 == 2) items[^1] = -1 - r;
            var response = await server.Client.ScoreAsync(new ScoreRequest { UserId = user, ItemIds = { items } });
            return (user, items, response);
        }).ToList();

        foreach (var (user, items, response) in await Task.WhenAll(calls))
        {
            Assert.Equal(items.Length, response.Scores.Count);
            Assert.Equal(Model.UserIds.Contains(user), response.KnownUser);
            Assert.Equal(items.Select(Model.ItemIds.Contains), response.KnownItems);
            for (var i = 0; i < items.Length; i++) Assert.Equal(Model.Expected(user, items[i]), response.Scores[i], 5);
        }
        var metrics = await server.MetricsAsync();
        var batches = PrometheusText.Value(metrics, "ranking_batch_requests_count");
        Assert.InRange(batches, 1, 10); // at least one run coalesced several calls (the load's probe is not counted)
    }

    [Fact]
    public async Task A_run_is_filled_up_to_its_row_limit_and_a_call_that_would_pass_it_waits_for_the_next_run()
    {
        // Runs of at most 10 rows, each waiting up to 1 s for more: three calls of 5 items make one full run of two
        // calls at once, then a run of the third once its wait is over.
        await using var server = await ServerHarness.StartAsync(Model, o => { o.MaxBatchRows = 10; o.MaxWaitMicroseconds = 1_000_000; });
        var before = await server.MetricsAsync();

        await Task.WhenAll(Enumerable.Range(0, 3).Select(r =>
            server.Client.ScoreAsync(new ScoreRequest { UserId = Model.UserIds[r], ItemIds = { Model.ItemIds.Skip(5 * r).Take(5) } }).ResponseAsync));

        var after = await server.MetricsAsync();
        double Added(string series) => PrometheusText.Value(after, series) - PrometheusText.Recorded(before, series);
        Assert.Equal(2, Added("ranking_batch_rows_count"));
        Assert.Equal(15, Added("ranking_batch_rows_sum"));
        Assert.Equal(3, Added("ranking_batch_requests_sum"));
        Assert.Equal(1, Added("ranking_batch_requests_bucket{le=\"1\"}"));
    }

    [Fact]
    public async Task Model_info_reports_the_metadata_of_the_model_serving()
    {
        await using var server = await ServerHarness.StartAsync(Model);

        var info = await server.Client.GetModelInfoAsync(new GetModelInfoRequest());

        Assert.Equal("gmf", info.Model);
        Assert.Equal("idl", info.Method);
        Assert.Equal("v1", info.Version);
        Assert.Equal(20, info.Users);
        Assert.Equal(50, info.Items);
        Assert.Equal("{\"auc\":0.75}", info.MetricsJson);
    }
}
