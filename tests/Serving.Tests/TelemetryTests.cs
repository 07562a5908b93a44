using System.Net;
using System.Text;
using InverseLearning.V1;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace InverseLearning.Serving.Tests;

/// <summary>OpenTelemetry: metrics per host, traces over OTLP when configured.</summary>
public sealed class TelemetryTests
{
    private static readonly GmfModelFixture Model = GmfModelFixture.Random(users: 5, items: 20, dim: 4, seed: 31, version: "t1");

    [Fact]
    public async Task Each_server_exports_its_own_calls_only()
    {
        await using var busy = await ServerHarness.StartAsync(Model);
        await using var idle = await ServerHarness.StartAsync(Model);

        await busy.Client.RankAsync(new RankRequest { UserId = Model.UserIds[0], CandidateItemIds = { Model.ItemIds.Take(3) }, TopK = 1 });

        Assert.Equal(1, PrometheusText.Value(await busy.MetricsAsync(), "rpc_server_call_duration_seconds_count{rpc_method=\"Rank\",rpc_grpc_status_code=\"0\"}"));
        Assert.Null(PrometheusText.Find(await idle.MetricsAsync(), "rpc_server_call_duration_seconds_count"));
    }

    [Theory]
    [InlineData(null, null, "inverselearning-serve")] // was unknown_service:dotnet
    [InlineData("OTEL_SERVICE_NAME", "ranker-eu", "ranker-eu")]
    [InlineData("OTEL_RESOURCE_ATTRIBUTES", "service.name=ranker-us,deployment.environment=prod", "ranker-us")]
    public async Task The_service_is_named_in_its_telemetry_and_the_environment_names_it_over_the_default(string? variable, string? value, string expected)
    {
        // The variables as the host's configuration holds them (the environment's are read through it): a test's own, not the process's.
        var settings = variable is null ? new Dictionary<string, string?>() : new Dictionary<string, string?> { [variable] = value };
        await using var server = await ServerHarness.StartWithSettingsAsync(Model, settings);

        var scrape = await server.MetricsAsync();

        Assert.NotNull(PrometheusText.Find(scrape, $"target_info{{service_name=\"{expected}\"}}"));
        Assert.Contains("service_version=\"", scrape.Split('\n').Single(line => line.StartsWith("target_info{", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("", "/v1/traces")]
    [InlineData("/otlp", "/otlp/v1/traces")] // a gateway's prefix is kept (it was replaced: /v1/traces)
    [InlineData("/a/b/", "/a/b/v1/traces")]
    [InlineData("/otlp?token=abc", "/otlp/v1/traces?token=abc")] // the path goes before the query (it went after: /otlp?token=abc/v1/traces)
    public async Task With_an_otlp_endpoint_each_call_is_traced_there(string endpointPath, string expectedPath)
    {
        var (collector, port) = StartCollector();
        using var _ = collector;
        var received = ReceiveTraceAsync(collector);
        var folder = Directory.CreateTempSubdirectory("serving-tests-").FullName;
        try
        {
            var path = Model.WriteModel(folder);
            await using (var server = await RankingServer.StartAsync(["--model", path, "--port", "0", "--metrics-port", "-1", "--no-watch",
                             "--traces-otlp-endpoint", $"http://127.0.0.1:{port}{endpointPath}", "--traces-otlp-protocol", "http/protobuf"], builder => builder.Logging.ClearProviders()))
            {
                using var channel = Grpc.Net.Client.GrpcChannel.ForAddress($"http://127.0.0.1:{server.Port}");
                await new Ranker.RankerClient(channel).RankAsync(new RankRequest { UserId = Model.UserIds[0], CandidateItemIds = { Model.ItemIds.Take(3) }, TopK = 1 });
            } // Stopping flushes the spans still batched.

            var (tracePath, body) = await received.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(expectedPath, tracePath);
            Assert.Contains("inverselearning.v1.Ranker/Rank", Encoding.UTF8.GetString(body));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("grpc", null)]
    [InlineData("http/protobuf", null)]
    [InlineData("grpc", "00:00:03")]
    public async Task A_collector_that_never_answers_holds_the_stop_for_the_flush_timeout_only(string protocol, string? flushTimeout)
    {
        // Connections complete in the listener's backlog and are never answered: an export waits out the exporter's 10 s timeout.
        using var blackhole = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        blackhole.Start();
        var folder = Directory.CreateTempSubdirectory("serving-tests-").FullName;
        try
        {
            var path = Model.WriteModel(folder);
            var server = await RankingServer.StartAsync(["--model", path, "--port", "0", "--metrics-port", "-1", "--no-watch",
                "--traces-otlp-endpoint", $"http://127.0.0.1:{((IPEndPoint)blackhole.LocalEndpoint).Port}", "--traces-otlp-protocol", protocol], builder =>
            {
                builder.Logging.ClearProviders();
                if (flushTimeout is not null) builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Ranking:TracesFlushTimeout"] = flushTimeout });
            });
            using (var channel = Grpc.Net.Client.GrpcChannel.ForAddress($"http://127.0.0.1:{server.Port}"))
                await new Ranker.RankerClient(channel).RankAsync(new RankRequest { UserId = Model.UserIds[0], CandidateItemIds = { Model.ItemIds.Take(3) }, TopK = 1 });

            var stopping = System.Diagnostics.Stopwatch.StartNew();
            await server.DisposeAsync();

            // The span's export is stuck, so the stop waits the whole flush timeout (the one configured, not less) and little more;
            // it waited the provider's own 5 s before.
            var flush = flushTimeout is null ? new RankingOptions().TracesFlushTimeout : TimeSpan.Parse(flushTimeout, System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(stopping.Elapsed, flush, flush + TimeSpan.FromSeconds(2));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Where_traces_go_is_logged_on_start_and_a_collector_that_cannot_be_reached_is_logged_once_a_minute_at_most()
    {
        var port = FreePort(); // closed: every export is refused
        var logs = new CapturedLogs();
        var folder = Directory.CreateTempSubdirectory("serving-tests-").FullName;
        try
        {
            var path = Model.WriteModel(folder);
            await using var server = await RankingServer.StartAsync(["--model", path, "--port", "0", "--metrics-port", "-1", "--no-watch",
                "--traces-otlp-endpoint", $"http://127.0.0.1:{port}/otlp?token=secret", "--traces-otlp-protocol", "http/protobuf"], builder =>
            {
                builder.Logging.ClearProviders();
                builder.Logging.AddProvider(logs);
                // Each call's span exported on its own, in a tenth of a second, rather than batched for 5 s.
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["OTEL_BSP_SCHEDULE_DELAY"] = "100" });
            });
            Assert.Contains(logs.Lines, line => line.Level == LogLevel.Information &&
                line.Message == $"Tracing calls to http://127.0.0.1:{port}/otlp/v1/traces over OTLP http/protobuf, sampled by parentbased_always_on (the default)");

            using var channel = Grpc.Net.Client.GrpcChannel.ForAddress($"http://127.0.0.1:{server.Port}");
            var client = new Ranker.RankerClient(channel);
            for (var call = 0; call < 5; call++)
            {
                await client.RankAsync(new RankRequest { UserId = Model.UserIds[0], CandidateItemIds = { Model.ItemIds.Take(3) }, TopK = 1 });
                await Task.Delay(300);
            }
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!logs.Lines.Any(line => line.Level == LogLevel.Warning) && DateTime.UtcNow < deadline) await Task.Delay(100);

            // Five exports failed (nothing was said of them before); the first is told, in one line, and the rest wait out the minute.
            var warning = Assert.Single(logs.Lines, line => line.Level == LogLevel.Warning);
            Assert.StartsWith("Traces not exported: ", warning.Message);
            Assert.True(warning.Message.Contains($"127.0.0.1:{port}", StringComparison.Ordinal), warning.Message);
            Assert.DoesNotContain("secret", string.Join("\n", logs.Lines.Select(line => line.Message))); // a gateway's token, in the endpoint's query
            Assert.DoesNotContain('\n', warning.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The first OTLP export the collector receives, answered with an empty success.</summary>
    private static async Task<(string Path, byte[] Body)> ReceiveTraceAsync(HttpListener collector)
    {
        var context = await collector.GetContextAsync();
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/x-protobuf";
        context.Response.Close();
        return (context.Request.Url!.PathAndQuery, body.ToArray());
    }

    /// <summary>
    /// A collector on a port probed free. HttpListener cannot bind a port of 0, and another socket of the machine (a parallel
    /// test's client) can take the probed port before it binds: another one is probed then.
    /// </summary>
    private static (HttpListener Collector, int Port) StartCollector()
    {
        for (var attempt = 1; ; attempt++)
        {
            var collector = new HttpListener();
            var port = FreePort();
            collector.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                collector.Start();
                return (collector, port);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                collector.Close();
            }
        }
    }

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
