using Grpc.Core;
using InverseLearning.V1;

namespace InverseLearning.Serving.Tests;

public sealed class RankBatchTests
{
    private static readonly GmfModelFixture Model = GmfModelFixture.Random(users: 10, items: 40, dim: 6, seed: 5, version: "v1");

    private static RankRequest Request(long user, IEnumerable<long> candidates, int topK) =>
        new() { UserId = user, CandidateItemIds = { candidates }, TopK = topK };

    [Fact]
    public async Task Each_request_is_ranked_for_its_own_user_with_its_own_top_k_in_request_order()
    {
        await using var server = await ServerHarness.StartAsync(Model);
        // Different users over the same candidates (a batch scored with one user for all rows would rank them alike),
        // an unknown user, a repeated user with other candidates, and top_k above the candidate count.
        RankRequest[] requests =
        [
            Request(Model.UserIds[1], Model.ItemIds.Take(25), 5),
            Request(Model.UserIds[7], Model.ItemIds.Take(25), 5),
            Request(-9, Model.ItemIds.Skip(10).Take(12), 3),
            Request(Model.UserIds[1], Model.ItemIds.Skip(30), 4),
            Request(Model.UserIds[3], [Model.ItemIds[2], Model.ItemIds[8]], 10),
        ];

        var response = await server.Client.RankBatchAsync(new RankBatchRequest { Requests = { requests } });

        Assert.Equal(requests.Length, response.Responses.Count);
        for (var r = 0; r < requests.Length; r++)
        {
            var (user, candidates) = (requests[r].UserId, requests[r].CandidateItemIds);
            var expected = candidates.OrderByDescending(item => Model.Expected(user, item)).Take(requests[r].TopK).ToArray();
            var answer = response.Responses[r].Items;
            Assert.Equal(expected, answer.Select(i => i.ItemId));
            foreach (var item in answer) Assert.Equal(Model.Expected(user, item.ItemId), item.Score, 5);
        }
        Assert.NotEqual(response.Responses[0].Items.Select(i => i.ItemId), response.Responses[1].Items.Select(i => i.ItemId));
    }

    [Fact]
    public async Task A_batch_is_one_job_of_the_batcher_and_one_ORT_run()
    {
        await using var server = await ServerHarness.StartAsync(Model);
        var before = await server.MetricsAsync();
        RankRequest[] requests = [Request(Model.UserIds[0], Model.ItemIds.Take(7), 2), Request(Model.UserIds[2], Model.ItemIds.Take(9), 2), Request(Model.UserIds[4], Model.ItemIds.Take(4), 2)];

        await server.Client.RankBatchAsync(new RankBatchRequest { Requests = { requests } });

        var after = await server.MetricsAsync();
        double Added(string series) => PrometheusText.Value(after, series) - PrometheusText.Recorded(before, series);
        Assert.Equal(1, Added("ranking_batch_rows_count"));
        Assert.Equal(7 + 9 + 4, Added("ranking_batch_rows_sum"));
        Assert.Equal(1, Added("ranking_batch_requests_sum"));
        Assert.Equal(1, PrometheusText.Value(after, "rpc_server_call_duration_seconds_count{rpc_method=\"RankBatch\",rpc_grpc_status_code=\"0\"}"));
    }

    public static TheoryData<string, string> InvalidBatches => new()
    {
        { "empty", "requests is empty" },
        { "no-candidates", "requests[1].candidate_item_ids is empty" },
        { "too-many-in-one", "requests[2].candidate_item_ids has 21 items, more than the limit of 20" },
        { "top-k", "requests[1].top_k is 0" },
        { "too-many-in-all", "more than the limit of 20 candidates in all (passed at requests[2])" },
    };

    [Theory]
    [MemberData(nameof(InvalidBatches))]
    public async Task A_bad_request_fails_the_call_with_invalid_argument_naming_it(string batch, string message)
    {
        await using var server = await ServerHarness.StartAsync(Model, o => o.MaxCandidates = 20);
        var good = Request(Model.UserIds[0], Model.ItemIds.Take(8), 3);
        RankRequest[] requests = batch switch
        {
            "empty" => [],
            "no-candidates" => [good, Request(1, [], 3)],
            "too-many-in-one" => [good, good, Request(1, Model.ItemIds.Take(21), 3)],
            "top-k" => [good, Request(1, Model.ItemIds.Take(2), 0)],
            "too-many-in-all" => [good, good, good],
            _ => throw new ArgumentOutOfRangeException(nameof(batch)),
        };

        var error = await Assert.ThrowsAsync<RpcException>(async () => await server.Client.RankBatchAsync(new RankBatchRequest { Requests = { requests } }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(message, error.Status.Detail);
    }

    [Fact]
    public async Task A_batch_one_candidate_over_the_limit_in_all_is_refused_naming_the_request_that_passed_it()
    {
        await using var server = await ServerHarness.StartAsync(Model, o => o.MaxCandidates = 20);
        var batch = new RankBatchRequest { Requests = { Request(Model.UserIds[0], Model.ItemIds.Take(12), 1), Request(Model.UserIds[1], Model.ItemIds.Take(9), 1) } };

        var error = await Assert.ThrowsAsync<RpcException>(async () => await server.Client.RankBatchAsync(batch));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("requests hold more than the limit of 20 candidates in all (passed at requests[1]); split the batch", error.Status.Detail);
    }

    [Fact]
    public async Task A_batch_holding_the_limit_exactly_is_ranked()
    {
        await using var server = await ServerHarness.StartAsync(Model, o => o.MaxCandidates = 20);

        var response = await server.Client.RankBatchAsync(new RankBatchRequest
        {
            Requests = { Request(Model.UserIds[0], Model.ItemIds.Take(12), 1), Request(Model.UserIds[1], Model.ItemIds.Take(8), 1) },
        });

        Assert.Equal(2, response.Responses.Count);
    }

    [Fact]
    public async Task More_requests_than_candidates_allowed_are_refused_from_their_bytes_before_they_are_parsed()
    {
        await using var server = await ServerHarness.StartAsync(Model, o => o.MaxCandidates = 20);
        // 21 empty requests: 2 bytes each on the wire. Parsed, the first would be refused for being empty instead.
        var batch = new RankBatchRequest { Requests = { Enumerable.Range(0, 21).Select(_ => new RankRequest()) } };

        var error = await Assert.ThrowsAsync<RpcException>(async () => await server.Client.RankBatchAsync(batch));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("the batch has more than 20 requests", error.Status.Detail);
        Assert.Single((await server.Client.RankBatchAsync(new RankBatchRequest { Requests = { Request(Model.UserIds[0], Model.ItemIds.Take(3), 1) } })).Responses);
    }

    [Fact]
    public async Task A_batch_near_the_byte_limit_is_read_whole_and_answered()
    {
        // About 920 KB: more than one HTTP/2 stream window, so the count above must not hold the message up.
        await using var server = await ServerHarness.StartAsync(Model, o => { o.MaxCandidates = 300_000; o.MaxRequestBytes = 1 << 20; });
        var candidates = Enumerable.Range(0, 100).Select(i => (long)(1 << 22) + i).ToArray(); // unknown ids of 4 varint bytes
        var batch = new RankBatchRequest { Requests = { Enumerable.Range(0, 2_300).Select(u => Request(u, candidates, 2)) } };
        Assert.InRange(batch.CalculateSize(), 900_000, 1 << 20);

        var response = await server.Client.RankBatchAsync(batch, deadline: DateTime.UtcNow.AddSeconds(60));

        Assert.Equal(2_300, response.Responses.Count);
        Assert.All(response.Responses, r => Assert.Equal(2, r.Items.Count));
    }
}
