using InverseLearning.V1;

namespace InverseLearning.Serving.Tests;

public sealed class RankTests
{
    private static readonly GmfModelFixture Model = GmfModelFixture.Random(users: 10, items: 40, dim: 6, seed: 2, version: "v1");

    [Fact]
    public async Task Rank_orders_candidates_best_first_and_cuts_at_top_k()
    {
        await using var server = await ServerHarness.StartAsync(Model);
        var user = Model.UserIds[4];
        var candidates = Model.ItemIds.Take(30).ToArray();
        var expected = candidates.OrderByDescending(item => Model.Expected(user, item)).Take(7).ToArray();

        var response = await server.Client.RankAsync(new RankRequest { UserId = user, CandidateItemIds = { candidates }, TopK = 7 });

        Assert.Equal(expected, response.Items.Select(i => i.ItemId));
        foreach (var item in response.Items) Assert.Equal(Model.Expected(user, item.ItemId), item.Score, 5);
    }

    [Fact]
    public async Task Equal_scores_keep_request_order()
    {
        await using var server = await ServerHarness.StartAsync(Model);
        var user = Model.UserIds[0];
        // Unknown ids all score on the reserved row, so they tie; a repeated id ties with itself.
        long[] candidates = [-3, Model.ItemIds[5], -1, -2, Model.ItemIds[5]];
        var reserved = Model.Expected(user, -1);
        var known = Model.Expected(user, Model.ItemIds[5]);
        long[] expected = known > reserved ? [Model.ItemIds[5], Model.ItemIds[5], -3, -1, -2] : [-3, -1, -2, Model.ItemIds[5], Model.ItemIds[5]];

        var response = await server.Client.RankAsync(new RankRequest { UserId = user, CandidateItemIds = { candidates }, TopK = 10 });

        Assert.Equal(expected, response.Items.Select(i => i.ItemId));
    }

    [Fact]
    public async Task Top_k_above_the_candidate_count_returns_every_candidate()
    {
        await using var server = await ServerHarness.StartAsync(Model);

        var response = await server.Client.RankAsync(new RankRequest { UserId = 1, CandidateItemIds = { Model.ItemIds[1], Model.ItemIds[2] }, TopK = 100 });

        Assert.Equal(2, response.Items.Count);
    }

    [Fact]
    public async Task Recommend_ranks_the_whole_catalogue()
    {
        await using var server = await ServerHarness.StartAsync(Model);
        var user = Model.UserIds[2];
        var expected = Model.ItemIds.OrderByDescending(item => Model.Expected(user, item)).Take(5);

        var response = await server.Client.RecommendAsync(new RecommendRequest { UserId = user, TopK = 5 });

        Assert.Equal(expected, response.Items.Select(i => i.ItemId));
    }

    [Fact]
    public async Task Recommend_with_exclude_seen_leaves_out_what_the_user_saw_in_training()
    {
        var user = Model.UserIds[2];
        var best = Model.ItemIds.OrderByDescending(item => Model.Expected(user, item)).ToArray();
        var other = Model.UserIds[4];
        var othersBest = Model.ItemIds.OrderByDescending(item => Model.Expected(other, item)).ToArray();
        (long, long)[] seen = [(user, best[0]), (user, best[2]), (Model.UserIds[3], best[1]), (other, othersBest[0])];
        await using var server = await ServerHarness.StartAsync(Model, seen: seen);

        var excluded = await server.Client.RecommendAsync(new RecommendRequest { UserId = user, TopK = 3, ExcludeSeen = true });
        var included = await server.Client.RecommendAsync(new RecommendRequest { UserId = user, TopK = 3, ExcludeSeen = false });

        Assert.Equal([best[1], best[3], best[4]], excluded.Items.Select(i => i.ItemId));
        Assert.Equal(best.Take(3), included.Items.Select(i => i.ItemId));
        // A user who saw one item, their best, has that one left out as well.
        var othersExcluded = await server.Client.RecommendAsync(new RecommendRequest { UserId = other, TopK = 3, ExcludeSeen = true });
        Assert.Equal(othersBest[1..4], othersExcluded.Items.Select(i => i.ItemId));
    }
}
