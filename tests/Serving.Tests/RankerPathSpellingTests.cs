using Google.Protobuf;
using Grpc.Core;
using InverseLearning.V1;

namespace InverseLearning.Serving.Tests;

/// <summary>
/// Paths that routing sends to a Ranker method though they are not its exact name (another case, a trailing slash): gRPC serves
/// them, so the admission's limits and counts must hold for them as for the exact path.
/// </summary>
public sealed class RankerPathSpellingTests
{
    private static readonly GmfModelFixture Model = GmfModelFixture.Random(users: 5, items: 40, dim: 4, seed: 13, version: "p1");

    private static readonly Marshaller<RankRequest> RankRequests = Marshallers.Create(request => request.ToByteArray(), RankRequest.Parser.ParseFrom);
    private static readonly Marshaller<RankResponse> RankResponses = Marshallers.Create(response => response.ToByteArray(), RankResponse.Parser.ParseFrom);

    [Theory]
    [InlineData("inverselearning.v1.ranker", "rank")]
    [InlineData("INVERSELEARNING.V1.RANKER", "RANK")]
    [InlineData("inverselearning.v1.Ranker", "Rank/")]
    public async Task A_rank_on_a_path_routing_sends_to_rank_is_refused_at_the_call_limit_and_counted_as_rank(string service, string method)
    {
        // The first call waits 1 s in the batcher for company, holding the only slot (as in ResourceLimitTests).
        await using var server = await ServerHarness.StartAsync(Model, o => { o.MaxConcurrentCalls = 1; o.MaxWaitMicroseconds = 1_000_000; o.WatchModel = false; });
        await server.Client.GetModelInfoAsync(new GetModelInfoRequest());
        var first = server.Client.ScoreAsync(new ScoreRequest { UserId = 1, ItemIds = { Model.ItemIds[0] } }).ResponseAsync;
        for (var attempt = 0; attempt < 200 && PrometheusText.Find(await server.MetricsAsync(), "ranking_calls_in_flight") is not 1; attempt++)
            await Task.Delay(10);
        var spelled = new Method<RankRequest, RankResponse>(MethodType.Unary, service, method, RankRequests, RankResponses);
        var request = new RankRequest { UserId = Model.UserIds[0], CandidateItemIds = { Model.ItemIds.Take(3) }, TopK = 2 };

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await server.Channel.CreateCallInvoker().AsyncUnaryCall(spelled, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(30)), request));

        Assert.True(error.StatusCode == StatusCode.ResourceExhausted, $"expected RESOURCE_EXHAUSTED, got {error.Status}");
        Assert.Contains("limit of 1 concurrent calls", error.Status.Detail);
        Assert.Single((await first).Scores);
        // Once the slot is free, the same path is served, and both calls are counted under Rank, the method's own name.
        Assert.Equal(2, (await server.Channel.CreateCallInvoker().AsyncUnaryCall(spelled, null, new CallOptions(), request)).Items.Count);
        var metrics = await server.MetricsOnceCountedAsync("rpc_server_call_duration_seconds_count{rpc_method=\"Rank\",rpc_grpc_status_code=\"0\"}", 1);
        Assert.Equal(1, PrometheusText.Value(metrics, "rpc_server_call_duration_seconds_count{rpc_method=\"Rank\",rpc_grpc_status_code=\"8\"}"));
        Assert.Equal(1, PrometheusText.Value(metrics, "rpc_server_call_duration_seconds_count{rpc_method=\"Rank\",rpc_grpc_status_code=\"0\"}"));
    }

    [Fact]
    public async Task A_rank_stream_on_a_lowercase_path_is_refused_at_the_stream_limit_and_counted_as_rank_stream()
    {
        await using var server = await ServerHarness.StartAsync(Model, o => { o.MaxConcurrentCalls = 3; o.MaxConcurrentStreams = 1; o.WatchModel = false; });
        var request = new RankRequest { UserId = Model.UserIds[0], CandidateItemIds = { Model.ItemIds.Take(3) }, TopK = 2 };
        using var open = server.Client.RankStream();
        await open.RequestStream.WriteAsync(request);
        Assert.True(await open.ResponseStream.MoveNext(CancellationToken.None));
        var spelled = new Method<RankRequest, RankResponse>(MethodType.DuplexStreaming, "inverselearning.v1.ranker", "rankstream", RankRequests, RankResponses);

        // A deadline bounds the stream an admission that missed the path let in, which would wait for messages.
        using var second = server.Channel.CreateCallInvoker().AsyncDuplexStreamingCall(spelled, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(30)));
        var error = await Assert.ThrowsAsync<RpcException>(() => second.ResponseStream.MoveNext(CancellationToken.None));

        Assert.True(error.StatusCode == StatusCode.ResourceExhausted, $"expected RESOURCE_EXHAUSTED, got {error.Status}");
        Assert.Contains("limit of 1 open RankStreams", error.Status.Detail);
        var metrics = await server.MetricsOnceCountedAsync("rpc_server_call_duration_seconds_count{rpc_method=\"RankStream\",rpc_grpc_status_code=\"8\"}", 1);
        Assert.Equal(1, PrometheusText.Value(metrics, "rpc_server_call_duration_seconds_count{rpc_method=\"RankStream\",rpc_grpc_status_code=\"8\"}"));
        await open.RequestStream.CompleteAsync();
        Assert.False(await open.ResponseStream.MoveNext(CancellationToken.None));
    }
}
