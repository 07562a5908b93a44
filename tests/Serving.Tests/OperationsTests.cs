using System.Net;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using InverseLearning.V1;

namespace InverseLearning.Serving.Tests;

public sealed class OperationsTests
{
    private static readonly GmfModelFixture Model = GmfModelFixture.Random(users: 5, items: 20, dim: 4, seed: 6, version: "v7");

    [Theory]
    [InlineData("")]
    [InlineData("inverselearning.v1.Ranker")] // was NOT_FOUND: only the whole server's name was known
    public async Task The_standard_health_service_reports_serving_for_the_server_and_the_ranker(string service)
    {
        await using var server = await ServerHarness.StartAsync(Model);

        var health = await new Health.HealthClient(server.Channel).CheckAsync(new HealthCheckRequest { Service = service });

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task A_small_max_request_bytes_limits_the_ranker_not_the_health_service()
    {
        // The limit was gRPC's for every service: a health check of the Ranker (a 27-byte request) failed RESOURCE_EXHAUSTED.
        await using var server = await ServerHarness.StartAsync(Model, o => o.MaxRequestBytes = 10);

        var health = await new Health.HealthClient(server.Channel).CheckAsync(new HealthCheckRequest { Service = "inverselearning.v1.Ranker" });
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await server.Client.RankAsync(new RankRequest { UserId = 1, CandidateItemIds = { Model.ItemIds }, TopK = 2 }));

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
    }

    [Fact]
    public async Task Reflection_lists_the_ranker_and_describes_its_file()
    {
        await using var server = await ServerHarness.StartAsync(Model);
        using var call = new ServerReflection.ServerReflectionClient(server.Channel).ServerReflectionInfo();

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "inverselearning.v1.Ranker" });
        await call.RequestStream.CompleteAsync();
        var replies = await call.ResponseStream.ReadAllAsync().ToListAsync();

        Assert.Contains("inverselearning.v1.Ranker", replies[0].ListServicesResponse.Service.Select(s => s.Name));
        var file = Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(replies[1].FileDescriptorResponse.FileDescriptorProto[0]);
        Assert.Equal(["Score", "Rank", "Recommend", "GetModelInfo", "RankStream", "RankBatch"], file.Service.Single().Method.Select(m => m.Name));
    }

    [Fact]
    public async Task Metrics_count_requests_errors_by_status_latency_and_batches()
    {
        await using var server = await ServerHarness.StartAsync(Model);
        for (var i = 0; i < 3; i++)
            await server.Client.RankAsync(new RankRequest { UserId = 1, CandidateItemIds = { Model.ItemIds }, TopK = 2 });
        await Assert.ThrowsAsync<RpcException>(async () => await server.Client.RankAsync(new RankRequest { UserId = 1, TopK = 2 }));

        var text = await server.MetricsAsync();

        Assert.Equal(4, PrometheusText.Value(text, "rpc_server_call_duration_seconds_count{rpc_method=\"Rank\"}"));
        Assert.Equal(3, PrometheusText.Value(text, "rpc_server_call_duration_seconds_count{rpc_method=\"Rank\",rpc_grpc_status_code=\"0\"}"));
        Assert.Equal(1, PrometheusText.Value(text, "rpc_server_call_duration_seconds_count{rpc_method=\"Rank\",rpc_grpc_status_code=\"3\"}"));
        Assert.Equal(4, PrometheusText.Value(text, "rpc_server_call_duration_seconds_bucket{rpc_method=\"Rank\",le=\"+Inf\"}"));
        // Three calls of 20 rows each ran as three ORT runs; the load's probe is no call, and not counted.
        Assert.Equal(3, PrometheusText.Value(text, "ranking_batch_rows_count"));
        Assert.Equal(3 * 20, PrometheusText.Value(text, "ranking_batch_rows_sum"));
        Assert.Equal(1, PrometheusText.Value(text, "ranking_model_info{version=\"v7\"}"));
    }

    [Fact]
    public async Task A_model_loads_probe_is_no_traffic_on_start_nor_on_a_reload()
    {
        await using var server = await ServerHarness.StartAsync(Model, o => o.WatchModel = false);
        var started = await server.MetricsAsync();
        Assert.Equal(HttpStatusCode.OK, (await server.Http.PostAsync("/admin/reload", null)).StatusCode);
        var reloaded = await server.MetricsAsync();

        // A server that had answered nothing showed one batch of 16 rows, and one more per reload.
        Assert.Equal(1, PrometheusText.Value(reloaded, "ranking_model_reloads_total{result=\"ok\"}"));
        foreach (var scrape in new[] { started, reloaded })
            foreach (var series in new[] { "ranking_batch_requests_count", "ranking_batch_requests_sum", "ranking_batch_rows_count", "ranking_batch_rows_sum" })
                Assert.Equal(0, PrometheusText.Recorded(scrape, series));
    }

    [Fact]
    public async Task Every_gauge_is_scraped_at_zero_before_any_call()
    {
        await using var server = await ServerHarness.StartAsync(Model);

        var scrape = await server.MetricsAsync();

        // The stream messages in flight appeared only with the first RankStream: an alert over them read "no data" until then.
        foreach (var gauge in new[] { "ranking_calls_in_flight", "ranking_scoring_queue_depth", "ranking_stream_messages_in_flight" })
            Assert.True(PrometheusText.Find(scrape, gauge) == 0, $"{gauge} is not scraped at 0 before any call:\n{scrape}");
    }

    [Fact]
    public async Task Metrics_and_admin_are_not_served_on_the_grpc_port()
    {
        await using var server = await ServerHarness.StartAsync(Model);
        using var handler = new SocketsHttpHandler();
        using var http2 = new HttpClient(handler) { DefaultRequestVersion = System.Net.HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

        var reply = await http2.GetAsync($"http://127.0.0.1:{server.Server.Port}/metrics");
        // A request naming the admin port, sent down a connection to the gRPC port: the connection's own port says no, and why.
        using var misdirected = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancel) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                await socket.ConnectAsync(System.Net.IPAddress.Loopback, server.Server.Port, cancel);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            },
        };
        using var toGrpcPort = new HttpClient(misdirected) { DefaultRequestVersion = System.Net.HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        var answered = await toGrpcPort.GetAsync($"http://127.0.0.1:{server.Server.MetricsPort}/metrics");
        var health = await http2.GetAsync($"http://127.0.0.1:{server.Server.Port}/healthz");

        Assert.Equal(System.Net.HttpStatusCode.NotFound, reply.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, answered.StatusCode);
        Assert.Contains("served on the admin port", await answered.Content.ReadAsStringAsync());
        // The probes' /healthz is the admin port's as well, and the refusal names it among the paths served there.
        Assert.Equal(System.Net.HttpStatusCode.NotFound, health.StatusCode);
        Assert.Equal("not found: /metrics, /healthz and /admin/reload are served on the admin port (--metrics-port) only\n", await health.Content.ReadAsStringAsync());
    }
}
