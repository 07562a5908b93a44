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
        var calls = Enumerable.Range(0, 12).Select(async r =>
        {
            var user = Model.UserIds[r];
            var items = Enumerable.Range(0, 1 + r).Select(i => Model.ItemIds[(i * 7 + r) % Model.ItemIds.Length]).ToArray();
            var response = await server.Client.ScoreAsync(new ScoreRequest { UserId = user, ItemIds = { items } });
            return (user, items, response);
        }).ToList();

        foreach (var (user, items, response) in await Task.WhenAll(calls))
        {
            Assert.Equal(items.Length, response.Scores.Count);
            for (var i = 0; i < items.Length; i++) Assert.Equal(Model.Expected(user, items[i]), response.Scores[i], 5);
        }
        var metrics = await server.MetricsAsync();
        var batches = PrometheusText.Value(metrics, "ranking_batch_requests_count");
        Assert.InRange(batches, 2, 11); // the probe's run, then at least one run that coalesced several calls
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
