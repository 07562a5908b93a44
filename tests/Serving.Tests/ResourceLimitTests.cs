using System.Buffers.Binary;
using Google.Protobuf;
using Grpc.Core;
using InverseLearning.Serving.Scoring;
using InverseLearning.Serving.Transport;
using InverseLearning.V1;
using Microsoft.Extensions.Logging;

namespace InverseLearning.Serving.Tests;

public sealed class ResourceLimitTests
{
    private static readonly GmfModelFixture Model = GmfModelFixture.Random(users: 5, items: 40, dim: 4, seed: 12, version: "b1");

    [Fact]
    public async Task Recommend_over_the_top_k_cap_is_invalid_argument_naming_the_cap()
    {
        await using var server = await ServerHarness.StartAsync(Model, o => o.MaxTopK = 10);

        var ok = await server.Client.RecommendAsync(new RecommendRequest { UserId = 1, TopK = 10 });
        var error = await Assert.ThrowsAsync<RpcException>(async () => await server.Client.RecommendAsync(new RecommendRequest { UserId = 1, TopK = 11 }));

        Assert.Equal(10, ok.Items.Count);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("top_k is 11, more than the limit of 10", error.Status.Detail);
    }

    [Fact]
    public async Task A_call_over_the_concurrent_call_limit_is_resource_exhausted_with_a_retry_hint()
    {
        // The first call waits 1 s in the batcher for company, holding the only slot. Connected first, and the
        // second call sent only once the server has the first: on a loaded machine a fixed pause was not enough.
        await using var server = await ServerHarness.StartAsync(Model, o => { o.MaxConcurrentCalls = 1; o.MaxWaitMicroseconds = 1_000_000; o.RetryAfterMilliseconds = 75; });
        await server.Client.GetModelInfoAsync(new GetModelInfoRequest());
        var first = server.Client.ScoreAsync(new ScoreRequest { UserId = 1, ItemIds = { Model.ItemIds[0] } }).ResponseAsync;
        for (var attempt = 0; attempt < 200 && PrometheusText.Find(await server.MetricsAsync(), "ranking_calls_in_flight") is not 1; attempt++)
            await Task.Delay(10);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await server.Client.ScoreAsync(new ScoreRequest { UserId = 1, ItemIds = { Model.ItemIds[1] } }));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains("limit of 1 concurrent calls", error.Status.Detail);
        Assert.Equal("75", error.Trailers.GetValue(Backpressure.RetryAfterTrailer));
        Assert.Single((await first).Scores);
        // The slot is free again once the first call is done.
        Assert.Single((await server.Client.ScoreAsync(new ScoreRequest { UserId = 1, ItemIds = { Model.ItemIds[1] } })).Scores);
        Assert.Equal(1, PrometheusText.Value(await server.MetricsAsync(), "rpc_server_call_duration_seconds_count{rpc_method=\"Score\",rpc_grpc_status_code=\"8\"}"));
    }

    [Fact]
    public async Task A_full_scoring_queue_refuses_calls_with_resource_exhausted_and_serves_the_rest()
    {
        // A queue of one request, and a burst of large calls each scored alone: some find it full.
        var big = GmfModelFixture.Random(users: 3, items: 5_000, dim: 16, seed: 13, version: "big");
        await using var server = await ServerHarness.StartAsync(big, o => { o.MaxQueuedRequests = 1; o.MaxBatchRows = 5_000; o.MaxCandidates = 5_000; });
        var calls = Enumerable.Range(0, 64).Select(async _ =>
        {
            try
            {
                var response = await server.Client.ScoreAsync(new ScoreRequest { UserId = big.UserIds[0], ItemIds = { big.ItemIds } });
                Assert.Equal(big.ItemIds.Length, response.Scores.Count);
                return StatusCode.OK;
            }
            catch (RpcException e)
            {
                Assert.Contains("scoring queue is full", e.Status.Detail);
                Assert.NotNull(e.Trailers.GetValue(Backpressure.RetryAfterTrailer));
                return e.StatusCode;
            }
        }).ToArray();

        var codes = await Task.WhenAll(calls);

        Assert.Contains(StatusCode.ResourceExhausted, codes);
        Assert.Contains(StatusCode.OK, codes);
        Assert.All(codes, c => Assert.True(c is StatusCode.OK or StatusCode.ResourceExhausted, c.ToString()));
    }

    [Theory]
    [InlineData(1, "the scoring queue is full (1 request waiting, its --max-queued-requests limit); retry after 50 ms")]
    [InlineData(3, "the scoring queue is full (3 requests waiting, its --max-queued-requests limit); retry after 50 ms")]
    public void A_full_scoring_queue_says_when_to_retry_once(int limit, string detail)
    {
        // It said "(1 requests waiting); retry shortly; retry after 50 ms": the refusal's own hint, then the one RESOURCE_EXHAUSTED adds.
        Assert.Equal(detail, Backpressure.Detail(new ScoringQueueFullException(limit).Message, 50));
    }

    [Fact]
    public async Task A_stream_limit_not_below_the_call_limit_is_one_warning_at_start()
    {
        // Each open RankStream holds a call slot too: with as many stream slots as call slots, streams can lock unary calls out.
        await using var server = await ServerHarness.StartAsync(Model, o => { o.MaxConcurrentCalls = 4; o.MaxConcurrentStreams = 4; });

        var warning = Assert.Single(server.Logs.Lines, l => l.Level >= LogLevel.Warning);
        Assert.Equal("--max-concurrent-streams 4 is not below --max-concurrent-calls 4: open RankStreams can take every call slot, "
            + "and unary calls are then refused with RESOURCE_EXHAUSTED", warning.Message);
    }

    [Fact]
    public async Task A_stream_in_flight_limit_over_the_queue_limit_warns_nothing()
    {
        // A stream's requests wait for room in a full queue (backpressure) instead of ending it: no longer a setting to warn of.
        await using var server = await ServerHarness.StartAsync(Model, o => { o.MaxQueuedRequests = 4; o.MaxStreamInFlight = 5; });

        Assert.DoesNotContain(server.Logs.Lines, l => l.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task The_default_stream_and_call_limits_warn_nothing()
    {
        await using var server = await ServerHarness.StartAsync(Model);

        Assert.DoesNotContain(server.Logs.Lines, l => l.Level >= LogLevel.Warning);
    }

    [Theory]
    [InlineData("--max-concurrent-streams", "0", "--max-concurrent-streams (Ranking:MaxConcurrentStreams) must be from 1 to 100,000 (got 0)")]
    [InlineData("--stream-idle-timeout-ms", "-1", "--stream-idle-timeout-ms (Ranking:StreamIdleTimeout) must be from 0 to 3,600,000 ms (got -1 ms)")]
    public async Task A_stream_limit_out_of_range_is_refused_on_start_naming_its_flag(string flag, string value, string expected)
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => ServerHarness.StartWithFlagsAsync(Model, flag, value));

        Assert.Equal(expected, error.Failures.Single());
    }

    [Fact]
    public async Task A_connection_over_the_connection_limit_is_refused_while_the_first_keeps_working()
    {
        await using var server = await ServerHarness.StartAsync(Model, o => o.MaxConnections = 1);
        Assert.Single((await server.Client.ScoreAsync(new ScoreRequest { UserId = 1, ItemIds = { Model.ItemIds[0] } })).Scores);

        using var second = Grpc.Net.Client.GrpcChannel.ForAddress($"http://127.0.0.1:{server.Server.Port}");
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await new Ranker.RankerClient(second).ScoreAsync(new ScoreRequest { UserId = 1, ItemIds = { Model.ItemIds[0] } }));

        // Kestrel closes the connection unanswered; the client reports that as UNAVAILABLE or INTERNAL depending on when it notices.
        Assert.True(error.StatusCode is StatusCode.Unavailable or StatusCode.Internal, error.Status.ToString());
        Assert.Single((await server.Client.ScoreAsync(new ScoreRequest { UserId = 1, ItemIds = { Model.ItemIds[1] } })).Scores);
    }

    [Fact]
    public async Task Connections_refused_at_the_limit_are_counted_on_metrics_and_logged_once_a_minute_not_once_each()
    {
        await using var server = await ServerHarness.StartAsync(Model, o => o.MaxConnections = 1);
        Assert.Single((await server.Client.ScoreAsync(new ScoreRequest { UserId = 1, ItemIds = { Model.ItemIds[0] } })).Scores); // the one connection, held

        const int refused = 5;
        for (var attempt = 0; attempt < refused; attempt++) await RefusedAsync(server.Server.Port);
        var counted = await RefusalsCountedAsync(server, refused);

        // They were 5 of Kestrel's warnings, one per connection, and no metric at all.
        Assert.Equal(refused, counted);
        Assert.DoesNotContain(server.Logs.Lines, line => line.Message.Contains("maximum number of concurrent connections", StringComparison.Ordinal));
        var warning = Assert.Single(server.Logs.Lines, line => line.Message.StartsWith("Connection refused", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal($"Connection refused on port {server.Server.Port}: --max-connections 1 reached (each refusal is counted in " +
            "kestrel_rejected_connections_total, and logged once a minute at most per port)", warning.Message);
        // Of Kestrel's meter, its refusals alone: its connection counts and durations by address were asked for by no one.
        Assert.DoesNotContain((await server.MetricsAsync()).Split('\n'), line => line.StartsWith("kestrel_", StringComparison.Ordinal) &&
            !line.StartsWith("kestrel_rejected_connections_total", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Connections_refused_on_the_grpc_and_admin_ports_are_each_told_naming_their_port()
    {
        // Each port has --max-connections of its own: a flood on one held back the other's line for a minute, when one throttle served both.
        await using var server = await ServerHarness.StartAsync(Model, o => o.MaxConnections = 1);
        await using var other = await ServerHarness.StartAsync(Model); // another host in the process, whose meter has the same name
        Assert.Single((await server.Client.ScoreAsync(new ScoreRequest { UserId = 1, ItemIds = { Model.ItemIds[0] } })).Scores); // the gRPC port's one connection
        await server.MetricsAsync(); // the admin port's, held by the harness's client

        await RefusedAsync(server.Server.Port);
        await RefusedAsync(server.Server.MetricsPort!.Value);
        Assert.Equal(2, await RefusalsCountedAsync(server, 2));

        var told = server.Logs.Lines.Where(line => line.Message.StartsWith("Connection refused", StringComparison.Ordinal)).Select(line => line.Message).ToList();
        Assert.Equal(2, told.Count);
        Assert.Contains(told, line => line.StartsWith($"Connection refused on port {server.Server.Port}: ", StringComparison.Ordinal));
        Assert.Contains(told, line => line.StartsWith($"Connection refused on port {server.Server.MetricsPort!.Value}: ", StringComparison.Ordinal));
        Assert.DoesNotContain(other.Logs.Lines, line => line.Message.StartsWith("Connection refused", StringComparison.Ordinal));
    }

    /// <summary>Opens a connection to <paramref name="port"/>, which the server refuses, and waits until it is closed.</summary>
    private static async Task RefusedAsync(int port)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(System.Net.IPAddress.Loopback, port);
        try
        {
            // Kestrel closes a connection it refuses, unanswered.
            Assert.Equal(0, await tcp.GetStream().ReadAsync(new byte[1]).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        }
        catch (IOException)
        {
            // or resets it
        }
    }

    /// <summary>The refusals /metrics counts, once they reach <paramref name="expected"/> (Kestrel counts a refusal as it closes the connection) or 30 s have passed.</summary>
    private static async Task<double?> RefusalsCountedAsync(ServerHarness server, int expected)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var counted = PrometheusText.Find(await server.MetricsAsync(), "kestrel_rejected_connections_total");
            if (counted >= expected || waited.Elapsed > TimeSpan.FromSeconds(30)) return counted;
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task The_server_advertises_its_streams_per_connection_limit_and_flow_control_windows_to_a_new_connection()
    {
        await using var server = await ServerHarness.StartAsync(Model, o =>
        {
            o.MaxStreamsPerConnection = 7;
            o.Http2StreamWindowBytes = 70_000;
            o.Http2ConnectionWindowBytes = 200_000;
        });
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(System.Net.IPAddress.Loopback, server.Server.Port);
        var stream = tcp.GetStream();
        // Client preface, then an empty SETTINGS frame (length 0, type 4, flags 0, stream 0).
        await stream.WriteAsync("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray().Concat(new byte[] { 0, 0, 0, 4, 0, 0, 0, 0, 0 }).ToArray());

        var (type, _, payload) = await ReadFrameAsync(stream);
        Assert.Equal(4, type); // the server's first frame is its SETTINGS
        var settings = Enumerable.Range(0, payload.Length / 6).ToDictionary(
            i => (payload[6 * i] << 8) | payload[6 * i + 1],
            i => BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(6 * i + 2, 4)));
        Assert.Equal(7u, settings[0x3]); // SETTINGS_MAX_CONCURRENT_STREAMS
        Assert.Equal(70_000u, settings[0x4]); // SETTINGS_INITIAL_WINDOW_SIZE: each stream's

        // The connection's window starts at the protocol's 65,535 bytes; a WINDOW_UPDATE on stream 0 widens it.
        var (updateType, updateStream, update) = await ReadFrameAsync(stream);
        Assert.Equal((8, 0), (updateType, updateStream)); // WINDOW_UPDATE, the connection's
        Assert.Equal(200_000u - 65_535u, BinaryPrimitives.ReadUInt32BigEndian(update) & 0x7FFF_FFFF);
    }

    [Theory]
    [InlineData(65_534, 1 << 20, "--http2-stream-window-bytes (Ranking:Http2StreamWindowBytes) must be from 65,535 to 16,777,216 (got 65,534)")]
    [InlineData(64 << 10, (16 << 20) + 1, "--http2-connection-window-bytes (Ranking:Http2ConnectionWindowBytes) must be from 65,535 to 16,777,216 (got 16,777,217)")]
    public async Task A_flow_control_window_outside_what_http2_and_kestrel_allow_is_refused_on_start_naming_its_flag(int streamWindow, int connectionWindow, string expected)
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => ServerHarness.StartAsync(Model, o =>
        {
            o.Http2StreamWindowBytes = streamWindow;
            o.Http2ConnectionWindowBytes = connectionWindow;
        }));

        Assert.Equal(expected, error.Failures.Single());
    }

    [Fact]
    public async Task A_request_larger_than_the_smallest_stream_window_is_still_answered()
    {
        await using var server = await ServerHarness.StartAsync(Model, o =>
        {
            o.Http2StreamWindowBytes = RankingOptions.Http2WindowFloor;
            o.Http2ConnectionWindowBytes = RankingOptions.Http2WindowFloor;
            o.MaxCandidates = 20_000;
        });
        // 20,000 candidates of 5-byte ids: about 100 KB, so the client must wait for the server to read and reopen both windows.
        var candidates = Enumerable.Range(0, 20_000).Select(i => i % 50 == 0 ? Model.ItemIds[i % Model.ItemIds.Length] : 1_000_000_000L + i).ToArray();
        var request = new RankRequest { UserId = Model.UserIds[0], CandidateItemIds = { candidates }, TopK = 3 };
        Assert.True(request.CalculateSize() > 1.5 * RankingOptions.Http2WindowFloor);

        var response = await server.Client.RankAsync(request, deadline: DateTime.UtcNow.AddSeconds(30));

        Assert.Equal(3, response.Items.Count);
        Assert.All(response.Items, item => Assert.Contains(item.ItemId, candidates));
    }

    private static async Task<(int Type, int Stream, byte[] Payload)> ReadFrameAsync(System.Net.Sockets.NetworkStream stream)
    {
        var header = new byte[9];
        await stream.ReadExactlyAsync(header);
        var payload = new byte[(header[0] << 16) | (header[1] << 8) | header[2]];
        await stream.ReadExactlyAsync(payload);
        return (header[3], (int)(BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(5)) & 0x7FFF_FFFF), payload);
    }
}
