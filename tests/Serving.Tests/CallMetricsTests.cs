using System.Net;
using InverseLearning.V1;

namespace InverseLearning.Serving.Tests;

/// <summary>What the call metrics count as a Ranker call, and what they do not.</summary>
public sealed class CallMetricsTests
{
    private static readonly GmfModelFixture Model = GmfModelFixture.Random(users: 5, items: 20, dim: 4, seed: 11, version: "m1");

    [Theory]
    [InlineData("PUT", "RankStream", "application/grpc")]   // HTTP 404: gRPC's routes take POST only
    [InlineData("GET", "Rank", "application/grpc")]
    [InlineData("POST", "Rank", "application/json")]        // HTTP 415 (with grpc-status 13): a client's mistake, not the server's
    [InlineData("POST", "Rank", null)]
    public async Task A_request_that_is_no_grpc_call_is_not_counted_as_a_call(string httpMethod, string method, string? contentType)
    {
        await using var server = await ServerHarness.StartAsync(Model, o => o.WatchModel = false);
        using var http2 = new HttpClient();
        using var request = new HttpRequestMessage(new HttpMethod(httpMethod), $"http://127.0.0.1:{server.Server.Port}/inverselearning.v1.Ranker/{method}")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        if (contentType is not null)
        {
            request.Content = new ByteArrayContent([0, 0, 0, 0, 0]);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        }

        var reply = await http2.SendAsync(request);
        // A real call after it: counted once it has ended, so the scrape then holds whatever the request above was counted as.
        await server.Client.GetModelInfoAsync(new GetModelInfoRequest());

        Assert.False(reply.IsSuccessStatusCode);
        var counted = await server.MetricsOnceCountedAsync("rpc_server_call_duration_seconds_count{rpc_method=\"GetModelInfo\"}", 1);
        Assert.Equal(1, PrometheusText.Value(counted, "rpc_server_call_duration_seconds_count"));
    }

    [Theory]
    [InlineData("application/grpc;charset=utf-8")] // gRPC's own test takes a parameter after ';' ...
    [InlineData("application/grpc+proto")]         // ... or a codec after '+'
    [InlineData("Application/GRPC")]               // ... in any case
    public async Task A_grpc_call_of_a_content_type_grpc_itself_takes_is_counted(string contentType)
    {
        // The admission's test of what is a call must be gRPC's: a call gRPC serves and the admission let by uncounted is a call
        // missing from every rate and latency the metrics give.
        await using var server = await ServerHarness.StartAsync(Model, o => o.WatchModel = false);
        using var http2 = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{server.Server.Port}/inverselearning.v1.Ranker/GetModelInfo")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent([0, 0, 0, 0, 0]), // an empty GetModelInfoRequest, uncompressed
        };
        Assert.True(request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType));
        request.Headers.Add("te", "trailers");

        using var reply = await http2.SendAsync(request);
        await reply.Content.ReadAsByteArrayAsync();

        Assert.Equal("0", reply.TrailingHeaders.TryGetValues("grpc-status", out var status) ? status.Single() : reply.Headers.GetValues("grpc-status").Single());
        var counted = await server.MetricsOnceCountedAsync("rpc_server_call_duration_seconds_count{rpc_method=\"GetModelInfo\"}", 1);
        Assert.Equal(1, PrometheusText.Value(counted, "rpc_server_call_duration_seconds_count"));
    }
}
