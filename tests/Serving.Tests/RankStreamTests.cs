using Google.Protobuf;
using Grpc.Core;
using InverseLearning.V1;
using Microsoft.Extensions.Options;

namespace InverseLearning.Serving.Tests;

public sealed class RankStreamTests
{
    private static readonly GmfModelFixture Model = GmfModelFixture.Random(users: 10, items: 60, dim: 6, seed: 21, version: "s1");

    /// <summary>The in-flight bound of the test that never reads.</summary>
    private const int Window = 4;

    /// <summary>RankStream, but with each request given as raw bytes.</summary>
    private static readonly Method<byte[], RankResponse> RawRankStream = new(MethodType.DuplexStreaming, "inverselearning.v1.Ranker", "RankStream",
        Marshallers.Create(bytes => bytes, bytes => bytes), Marshallers.Create(r => r.ToByteArray(), RankResponse.Parser.ParseFrom));

    [Fact]
    public async Task Answers_come_in_request_order_and_equal_unary_rank()
    {
        await using var server = await ServerHarness.StartAsync(Model, o => o.MaxStreamInFlight = 4);
        var random = new Random(3);
        var requests = Enumerable.Range(0, 60).Select(_ => new RankRequest
        {
            UserId = random.Next(4) == 0 ? -5 : Model.UserIds[random.Next(Model.UserIds.Length)],
            CandidateItemIds = { Model.ItemIds.OrderBy(_ => random.Next()).Take(random.Next(1, 40)) },
            TopK = random.Next(1, 12),
        }).ToArray();
        var unary = new List<RankResponse>();
        foreach (var request in requests) unary.Add(await server.Client.RankAsync(request));

        using var call = server.Client.RankStream();
        var sending = SendAllAsync(call.RequestStream, requests);
        var streamed = await ReadAllAsync(call.ResponseStream);
        await sending;

        // Same items in the same order; scores equal up to float rounding (a batch's size changes ORT's summation order).
        Assert.Equal(unary.Select(r => r.Items.Select(i => i.ItemId)), streamed.Select(r => r.Items.Select(i => i.ItemId)));
        Assert.All(unary.Zip(streamed).SelectMany(p => p.First.Items.Zip(p.Second.Items)), p => Assert.Equal(p.First.Score, p.Second.Score, 1e-6f));
        var metrics = await server.MetricsAsync();
        Assert.Equal(requests.Length, PrometheusText.Value(metrics, "ranking_stream_message_duration_seconds_count"));
        Assert.Equal(1, PrometheusText.Value(metrics, "rpc_server_call_duration_seconds_count{rpc_method=\"RankStream\",rpc_grpc_status_code=\"0\"}"));
        Assert.Equal(0, PrometheusText.Value(metrics, "ranking_stream_messages_in_flight"));
    }

    [Fact]
    public async Task A_bad_message_mid_stream_ends_it_with_invalid_argument_naming_the_field_and_its_index()
    {
        // Each run waits 300 ms for more requests, so the answers before the bad message are still pending while the late
        // messages arrive: a reader that went on past the bad message would start them, and they would join that run.
        await using var server = await ServerHarness.StartAsync(Model, o => o.MaxWaitMicroseconds = 300_000);
        var before = await server.MetricsAsync();
        var good = new RankRequest { UserId = Model.UserIds[0], CandidateItemIds = { Model.ItemIds.Take(5) }, TopK = 3 };
        using var call = server.Client.RankStream();

        await call.RequestStream.WriteAsync(good);
        await call.RequestStream.WriteAsync(good);
        await call.RequestStream.WriteAsync(new RankRequest { UserId = Model.UserIds[0], TopK = 3 });
        // Good messages after the bad one are never read, so never scored nor answered. The server may have ended the
        // call before they are written (a loaded machine shows it): then a write fails as cancelled, and the status read
        // below is still the bad message's.
        for (var late = 0; late < 3; late++)
        {
            var failed = await Record.ExceptionAsync(() => call.RequestStream.WriteAsync(good));
            Assert.True(failed is null or RpcException { StatusCode: StatusCode.Cancelled } or InvalidOperationException, $"the late write failed with {failed}");
            if (failed is not null) break;
        }
        var answered = new List<RankResponse>();
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var response in call.ResponseStream.ReadAllAsync()) answered.Add(response);
        });

        Assert.Equal(2, answered.Count);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("message 2: candidate_item_ids is empty; give at least one item", error.Status.Detail);
        await Task.Delay(200); // a late message started by mistake would have been scored by now
        var added = PrometheusText.Value(await server.MetricsAsync(), "ranking_batch_requests_sum") - PrometheusText.Recorded(before, "ranking_batch_requests_sum");
        Assert.Equal(2, added);
    }

    [Fact]
    public async Task A_message_that_is_not_protobuf_ends_the_stream_with_invalid_argument_naming_its_index()
    {
        await using var server = await ServerHarness.StartAsync(Model);
        var good = new RankRequest { UserId = Model.UserIds[0], CandidateItemIds = { Model.ItemIds.Take(5) }, TopK = 1 }.ToByteArray();
        using var call = server.Channel.CreateCallInvoker().AsyncDuplexStreamingCall(RawRankStream, null, new CallOptions());

        await call.RequestStream.WriteAsync(good);
        await call.RequestStream.WriteAsync([0x08, 0xFF, 0xFF, 0xFF]);
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("message 1: the request body is not a valid RankRequest message", error.Status.Detail);
    }

    [Fact]
    public async Task A_message_over_the_size_limit_mid_stream_is_invalid_argument_naming_its_index()
    {
        await using var server = await ServerHarness.StartAsync(Model, o => { o.MaxRequestBytes = 2_000; o.MaxCandidates = 100_000; });
        var small = new RankRequest { UserId = Model.UserIds[0], CandidateItemIds = { Model.ItemIds.Take(5) }, TopK = 1 };
        var large = new RankRequest { UserId = Model.UserIds[0], CandidateItemIds = { Enumerable.Range(0, 1_000).Select(i => Model.ItemIds[i % Model.ItemIds.Length]) }, TopK = 1 };
        using var call = server.Client.RankStream();

        await call.RequestStream.WriteAsync(small);
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await call.RequestStream.WriteAsync(large);
            await call.ResponseStream.MoveNext(CancellationToken.None);
        });

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("message 1: ", error.Status.Detail);
        Assert.Contains("limit of 2000 bytes", error.Status.Detail);
    }

    [Fact]
    public async Task A_message_of_megabytes_mid_stream_is_read_past_so_the_client_gets_the_answers_before_it_and_why()
    {
        await using var server = await ServerHarness.StartAsync(Model);
        var small = new RankRequest { UserId = Model.UserIds[0], CandidateItemIds = { Model.ItemIds.Take(5) }, TopK = 1 };
        var huge = new RankRequest { UserId = Model.UserIds[0], CandidateItemIds = { Enumerable.Repeat(long.MaxValue, 600_000) }, TopK = 1 };
        using var call = server.Client.RankStream();

        await call.RequestStream.WriteAsync(small);
        // Were the stream reset while this is being sent, the write would fail with a bare CANCELLED.
        await call.RequestStream.WriteAsync(huge);
        var answered = new List<RankResponse>();
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var response in call.ResponseStream.ReadAllAsync()) answered.Add(response);
        });

        Assert.Single(answered);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal($"message 1: request is {huge.CalculateSize()} bytes, over the limit of {new RankingOptions().MaxRequestBytes} bytes; split it into smaller requests",
            error.Status.Detail);
    }

    [Fact]
    public async Task A_stream_carries_more_than_the_request_size_limit_in_all()
    {
        await using var server = await ServerHarness.StartAsync(Model, o => o.MaxRequestBytes = 1_000);
        var request = new RankRequest { UserId = Model.UserIds[0], CandidateItemIds = { Model.ItemIds.Take(40) }, TopK = 1 };
        var requests = Enumerable.Repeat(request, 20 * (1_000 + 4_096) / request.CalculateSize()).ToArray();
        using var call = server.Client.RankStream();

        var sending = SendAllAsync(call.RequestStream, requests);
        var responses = await ReadAllAsync(call.ResponseStream);
        await sending;

        Assert.Equal(requests.Length, responses.Count);
    }

    [Fact]
    public async Task An_in_flight_bound_below_one_is_refused_naming_it()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => ServerHarness.StartAsync(Model, o => o.MaxStreamInFlight = 0));

        Assert.Equal("--max-stream-in-flight (Ranking:MaxStreamInFlight) must be from 1 to 1,000 (got 0)", error.Failures.Single());
    }

    [Fact]
    public async Task A_client_that_never_reads_stalls_its_stream_with_no_more_than_the_bound_in_flight()
    {
        const int sent = 3_000;
        await using var server = await ServerHarness.StartAsync(Model, o => o.MaxStreamInFlight = Window);
        var request = new RankRequest { UserId = Model.UserIds[1], CandidateItemIds = { Model.ItemIds.Take(50) }, TopK = 50 };
        using var call = server.Client.RankStream();
        var sending = SendAllAsync(call.RequestStream, Enumerable.Repeat(request, sent));

        // The server answers until the client's HTTP/2 window and its own output buffer are full, then stops.
        var (inFlight, answered) = await server.StreamStalledAsync(Window);

        Assert.Equal(Window, inFlight);
        Assert.InRange(answered, 1, sent / 2);
        // It was backpressure, not a failure: reading now gets every answer.
        var responses = await ReadAllAsync(call.ResponseStream);
        await sending;
        Assert.Equal(sent, responses.Count);
        Assert.Equal(0, PrometheusText.Value(await server.MetricsAsync(), "ranking_stream_messages_in_flight"));
    }

    [Theory]
    // 1,000 items an answer, each counted at 64 bytes (64,000): 3 fit the budget, where the in-flight bound let 8 wait, and
    // 10,000-item answers made 8 × 10,000 items of server memory per stream whose client stopped reading.
    [InlineData(1_000, 1_000, 200_000)]
    // A top_k over the candidates answers with all of them: 500 items, counted at 32,000 bytes, 3 in a budget of exactly 3.
    [InlineData(500, 1_000, 96_000)]
    public async Task A_client_that_never_reads_large_answers_stalls_its_stream_at_its_answer_budget(int items, int topK, int budget)
    {
        const int sent = 200;
        await using var server = await ServerHarness.StartAsync(Model, o => { o.MaxStreamInFlight = 8; o.MaxStreamAnswerBytes = budget; });
        var request = new RankRequest { UserId = Model.UserIds[1], CandidateItemIds = { Enumerable.Range(0, items).Select(i => Model.ItemIds[i % Model.ItemIds.Length]) }, TopK = topK };
        using var call = server.Client.RankStream();
        var sending = SendAllAsync(call.RequestStream, Enumerable.Repeat(request, sent));

        var (inFlight, _) = await server.StreamStalledAsync(leastInFlight: 1);

        // A number, not one worked out from RankerService.RankedItemBytes: the 64 bytes an item is counted at (README, --help) are held too.
        Assert.Equal(3, inFlight);
        var responses = await ReadAllAsync(call.ResponseStream);
        await sending;
        Assert.Equal(sent, responses.Count);
    }

    [Fact]
    public async Task An_answer_budget_below_one_byte_is_refused_naming_it()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => ServerHarness.StartAsync(Model, o => o.MaxStreamAnswerBytes = 0));

        Assert.Equal("--max-stream-answer-bytes (Ranking:MaxStreamAnswerBytes) must be from 1 to 1,073,741,824 (got 0)", error.Failures.Single());
    }

    [Fact]
    public async Task Cancelling_the_stream_ends_the_server_side_and_its_queued_scoring()
    {
        // A lone request waits up to 1 s in the batcher for company; the cancel comes first.
        await using var server = await ServerHarness.StartAsync(Model, o => o.MaxWaitMicroseconds = 1_000_000);
        var batchesBefore = PrometheusText.Recorded(await server.MetricsAsync(), "ranking_batch_rows_count");
        using var cancel = new CancellationTokenSource();
        using var call = server.Client.RankStream(cancellationToken: cancel.Token);
        await call.RequestStream.WriteAsync(new RankRequest { UserId = Model.UserIds[0], CandidateItemIds = { Model.ItemIds[0] }, TopK = 1 });
        await WaitForAsync(server, "ranking_stream_messages_in_flight", 1);

        cancel.Cancel();

        await WaitForAsync(server, "rpc_server_call_duration_seconds_count{rpc_method=\"RankStream\",rpc_grpc_status_code=\"1\"}", 1);
        Assert.Equal(0, PrometheusText.Value(await server.MetricsAsync(), "ranking_stream_messages_in_flight"));
        await Task.Delay(1_200); // past the batch's wait: its cancelled request must not have run
        Assert.Equal(batchesBefore, PrometheusText.Recorded(await server.MetricsAsync(), "ranking_batch_rows_count"));
    }

    [Fact]
    public async Task A_stream_past_its_deadline_ends_with_deadline_exceeded()
    {
        await using var server = await ServerHarness.StartAsync(Model, o => o.MaxWaitMicroseconds = 1_000_000);
        await server.Client.GetModelInfoAsync(new GetModelInfoRequest()); // connect first: the deadline is the stream's, not the handshake's
        // Its message waits out the batch's 1 s, so it is in flight at the deadline; 900 ms (not less) leaves a loaded machine
        // time to send the call's headers at all, or the server never sees the call.
        using var call = server.Client.RankStream(deadline: DateTime.UtcNow.AddMilliseconds(900));

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await call.RequestStream.WriteAsync(new RankRequest { UserId = Model.UserIds[0], CandidateItemIds = { Model.ItemIds[0] }, TopK = 1 });
            await call.ResponseStream.MoveNext(CancellationToken.None);
        });

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        // The server side ended too. It says DEADLINE_EXCEEDED, or CANCELLED when the client's reset came
        // well before the server's own copy of the deadline (it starts when the headers arrive).
        await WaitForAsync(server, metrics =>
            PrometheusText.Find(metrics, "rpc_server_call_duration_seconds_count{rpc_method=\"RankStream\",rpc_grpc_status_code=\"4\"}") is 1 ||
            PrometheusText.Find(metrics, "rpc_server_call_duration_seconds_count{rpc_method=\"RankStream\",rpc_grpc_status_code=\"1\"}") is 1, "the stream's end");
        Assert.Equal(0, PrometheusText.Value(await server.MetricsAsync(), "ranking_stream_messages_in_flight"));
    }

    [Fact]
    public async Task Shutdown_ends_an_idle_stream_with_unavailable_after_answering_what_it_read()
    {
        await using var server = await ServerHarness.StartAsync(Model);
        using var call = server.Client.RankStream();
        await call.RequestStream.WriteAsync(new RankRequest { UserId = Model.UserIds[0], CandidateItemIds = { Model.ItemIds.Take(4) }, TopK = 2 });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var stopping = server.Server.StopAsync();
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
        await stopping;

        // The stream ended itself: shutdown did not wait out the harness's 5 s drain timeout for it.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"shutdown took {clock.Elapsed}");
        // Its status is UNAVAILABLE, never the connection's close (INTERNAL: the test below).
        Assert.True(error.StatusCode == StatusCode.Unavailable, $"expected UNAVAILABLE, got {error.Status}");
        Assert.Contains("the server is shutting down", error.Status.Detail);
    }

    [Fact]
    public async Task Shutdown_ends_a_stream_that_has_sent_nothing_yet_with_unavailable()
    {
        await using var server = await ServerHarness.StartAsync(Model, o => o.DrainTimeout = TimeSpan.FromSeconds(30));
        using var call = server.Client.RankStream();
        var reading = call.ResponseStream.MoveNext(CancellationToken.None);
        for (var attempt = 0; attempt < 100 && PrometheusText.Find(await server.MetricsAsync(), "ranking_calls_in_flight") != 1; attempt++) await Task.Delay(50);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var stopping = server.Server.StopAsync();
        var error = await Assert.ThrowsAsync<RpcException>(() => reading);
        await stopping;

        // The stream's handler ended it: shutdown did not wait out the 30-s drain timeout for a first message.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"shutdown took {clock.Elapsed}");
        Assert.True(error.StatusCode == StatusCode.Unavailable, $"expected UNAVAILABLE, got {error.Status}");
        Assert.Contains("the server is shutting down", error.Status.Detail);
    }

    [Fact]
    public async Task Shutdown_closes_the_connection_only_once_the_client_has_read_its_streams_end()
    {
        await using var server = await ServerHarness.StartAsync(Model);
        using var call = server.Client.RankStream();
        var request = new RankRequest { UserId = Model.UserIds[0], CandidateItemIds = { Model.ItemIds.Take(4) }, TopK = 2 };
        await call.RequestStream.WriteAsync(request);
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        await call.RequestStream.WriteAsync(request);
        await WaitForAsync(server, "ranking_stream_message_duration_seconds_count", 2); // its answer is written, and not read yet

        var stopping = server.Server.StopAsync();
        // The client, its half of the stream open, reads nothing for a while, as a busy one may: the race forced one way.
        // The server closed the connection a few milliseconds after the stream's status, and .NET's client, which keeps such
        // a stream until its caller has read the status, then failed it, the answer and the status unread, with the close's
        // HTTP/2 NO_ERROR: INTERNAL. Now the connection stays open RankStreamDrain.ReadGrace (1 s) after the stream's end:
        // the client reads once the unfixed server would have stopped (connections closed), well inside that grace.
        await Task.WhenAny(stopping, Task.Delay(600));
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None), "the answer written before the shutdown was lost");
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
        await stopping;

        Assert.True(error.StatusCode == StatusCode.Unavailable, $"expected UNAVAILABLE, got {error.Status}");
        Assert.Contains("the server is shutting down", error.Status.Detail);
    }

    [Fact]
    public async Task Shutdown_cuts_a_stream_whose_client_never_reads_before_the_drain_timeout_and_says_so()
    {
        await using var server = await ServerHarness.StartAsync(Model, o => { o.MaxStreamInFlight = Window; o.DrainTimeout = TimeSpan.FromSeconds(3); });
        var request = new RankRequest { UserId = Model.UserIds[1], CandidateItemIds = { Model.ItemIds.Take(50) }, TopK = 50 };
        using var call = server.Client.RankStream();
        var sending = SendAllAsync(call.RequestStream, Enumerable.Repeat(request, 3_000));
        await WaitForAsync(server, metrics => PrometheusText.Find(metrics, "ranking_stream_message_duration_seconds_count") > 0, "a first answer");
        await server.StreamStalledAsync(Window); // its answers wait on flow control: it cannot end by itself

        await server.Server.StopAsync();

        // The stop was left to the host's timeout, Kestrel aborting the stream then, and nothing said so.
        var warning = Assert.Single(server.Logs.Lines, line => line.Level == Microsoft.Extensions.Logging.LogLevel.Warning && line.Message.StartsWith("Drain timeout", StringComparison.Ordinal));
        Assert.StartsWith("Drain timeout of 3 s: cutting 1 RankStreams that had not ended", warning.Message);
        // The stream is over: reading what was buffered ends in the reset.
        await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(call.ResponseStream));
        await Record.ExceptionAsync(() => sending);
    }

    [Fact]
    public async Task An_open_stream_holds_a_concurrent_call_slot()
    {
        await using var server = await ServerHarness.StartAsync(Model, o => o.MaxConcurrentCalls = 1);
        var request = new RankRequest { UserId = Model.UserIds[2], CandidateItemIds = { Model.ItemIds.Take(3) }, TopK = 2 };
        using var first = server.Client.RankStream();
        await first.RequestStream.WriteAsync(request);
        Assert.True(await first.ResponseStream.MoveNext(CancellationToken.None));

        var unary = await Assert.ThrowsAsync<RpcException>(async () => await server.Client.RankAsync(request));
        using var second = server.Client.RankStream();
        // Refused on its headers, before any message: nothing is written, since a write racing the refusal
        // could see the stream reset (CANCELLED) instead of the status.
        var streamed = await Assert.ThrowsAsync<RpcException>(async () => await second.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.ResourceExhausted, unary.StatusCode);
        Assert.Equal(StatusCode.ResourceExhausted, streamed.StatusCode);
        Assert.Contains("limit of 1 concurrent calls", streamed.Status.Detail);
        // Once the stream is closed its slot is free again.
        await first.RequestStream.CompleteAsync();
        Assert.False(await first.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(2, (await server.Client.RankAsync(request)).Items.Count);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_idle_stream_ends_with_unavailable_at_its_idle_timeout_and_gives_its_call_slot_back(bool sendsFirst)
    {
        // One call slot: the idle stream held it for ever, and every unary call was refused.
        await using var server = await ServerHarness.StartAsync(Model, o => { o.MaxConcurrentCalls = 1; o.StreamIdleTimeout = TimeSpan.FromMilliseconds(300); });
        var request = new RankRequest { UserId = Model.UserIds[2], CandidateItemIds = { Model.ItemIds.Take(3) }, TopK = 2 };
        // The deadline bounds a stream that never ends (the failure), far past the idle timeout: no measure of speed.
        using var idle = server.Client.RankStream(deadline: DateTime.UtcNow.AddSeconds(30));
        if (sendsFirst)
        {
            await idle.RequestStream.WriteAsync(request);
            Assert.True(await idle.ResponseStream.MoveNext(CancellationToken.None));
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => idle.ResponseStream.MoveNext(CancellationToken.None));

        Assert.True(error.StatusCode == StatusCode.Unavailable, $"expected UNAVAILABLE, got {error.Status}");
        Assert.Equal("the stream sent no message for 300 ms (--stream-idle-timeout-ms) and was closed; every request read was answered; open a new stream to go on",
            error.Status.Detail);
        Assert.Equal(2, (await server.Client.RankAsync(request)).Items.Count);
    }

    [Fact]
    public async Task A_stream_that_keeps_sending_is_not_idle()
    {
        await using var server = await ServerHarness.StartAsync(Model, o => o.StreamIdleTimeout = TimeSpan.FromSeconds(2));
        var request = new RankRequest { UserId = Model.UserIds[2], CandidateItemIds = { Model.ItemIds.Take(3) }, TopK = 2 };
        using var call = server.Client.RankStream();

        // Each message comes well inside the idle timeout of the one before (the pauses are an eighth of it, so that a loaded
        // machine's hiccup does not reach it), and the stream lasts longer than the timeout: it is timed from each message.
        for (var message = 0; message < 12; message++)
        {
            await call.RequestStream.WriteAsync(request);
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            await Task.Delay(250);
        }
        await call.RequestStream.CompleteAsync();

        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
    }

    [Fact]
    public async Task An_idle_timeout_of_zero_waits_for_the_next_message_for_ever()
    {
        // Zero is no timeout (--stream-idle-timeout-ms 0): a timer of zero would end the stream at the first wait for a message.
        await using var server = await ServerHarness.StartAsync(Model, o => o.StreamIdleTimeout = TimeSpan.Zero);
        var request = new RankRequest { UserId = Model.UserIds[2], CandidateItemIds = { Model.ItemIds.Take(3) }, TopK = 2 };
        using var call = server.Client.RankStream(deadline: DateTime.UtcNow.AddSeconds(30));

        for (var message = 0; message < 3; message++)
        {
            await Task.Delay(200);
            await call.RequestStream.WriteAsync(request);
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        }
        await call.RequestStream.CompleteAsync();

        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
    }

    [Fact]
    public async Task Streams_over_the_stream_limit_are_refused_and_leave_call_slots_to_unary_calls()
    {
        // Three call slots, two for streams: open streams (idle ones too) took every slot, and unary calls were refused.
        await using var server = await ServerHarness.StartAsync(Model, o => { o.MaxConcurrentCalls = 3; o.MaxConcurrentStreams = 2; o.RetryAfterMilliseconds = 70; });
        var request = new RankRequest { UserId = Model.UserIds[2], CandidateItemIds = { Model.ItemIds.Take(3) }, TopK = 2 };
        using var first = server.Client.RankStream();
        using var second = server.Client.RankStream();
        foreach (var open in new[] { first, second })
        {
            await open.RequestStream.WriteAsync(request);
            Assert.True(await open.ResponseStream.MoveNext(CancellationToken.None));
        }

        // A deadline bounds the stream the unfixed server let in (the failure), which would wait for messages.
        using var third = server.Client.RankStream(deadline: DateTime.UtcNow.AddSeconds(30));
        var refused = await Assert.ThrowsAsync<RpcException>(() => third.ResponseStream.MoveNext(CancellationToken.None));

        Assert.True(refused.StatusCode == StatusCode.ResourceExhausted, $"expected RESOURCE_EXHAUSTED, got {refused.Status}");
        Assert.Equal("the server is at its limit of 2 open RankStreams (--max-concurrent-streams; the other call slots are kept for unary calls); retry after 70 ms",
            refused.Status.Detail);
        Assert.Equal("70", refused.Trailers.GetValue(Transport.Backpressure.RetryAfterTrailer));
        Assert.Equal(2, (await server.Client.RankAsync(request)).Items.Count);
        // A stream that ends gives its stream slot back.
        await first.RequestStream.CompleteAsync();
        Assert.False(await first.ResponseStream.MoveNext(CancellationToken.None));
        using var fourth = server.Client.RankStream();
        await fourth.RequestStream.WriteAsync(request);
        Assert.True(await fourth.ResponseStream.MoveNext(CancellationToken.None));
    }

    [Fact]
    public async Task Busy_streams_that_fill_the_scoring_queue_wait_for_room_and_are_all_answered()
    {
        // A queue of one request and runs of one request each: 12 streams with 8 requests in flight each keep finding it full.
        // Each stream whose request found it so was ended with RESOURCE_EXHAUSTED, losing its session.
        var big = GmfModelFixture.Random(users: 3, items: 2_000, dim: 16, seed: 23, version: "big");
        await using var server = await ServerHarness.StartAsync(big, o => { o.MaxQueuedRequests = 1; o.MaxBatchRows = 2_000; o.MaxCandidates = 2_000; o.MaxStreamInFlight = 8; });
        var request = new RankRequest { UserId = big.UserIds[0], CandidateItemIds = { big.ItemIds }, TopK = 5 };
        const int messages = 30;

        var answered = await Task.WhenAll(Enumerable.Range(0, 12).Select(async _ =>
        {
            using var call = server.Client.RankStream();
            var sending = SendAllAsync(call.RequestStream, Enumerable.Repeat(request, messages));
            var responses = await ReadAllAsync(call.ResponseStream);
            await sending;
            return responses.Count;
        }));

        Assert.All(answered, count => Assert.Equal(messages, count));
        var metrics = await server.MetricsAsync();
        Assert.Equal(12, PrometheusText.Value(metrics, "rpc_server_call_duration_seconds_count{rpc_method=\"RankStream\",rpc_grpc_status_code=\"0\"}"));
        Assert.Equal(0, PrometheusText.Value(metrics, "ranking_stream_messages_in_flight"));
    }

    [Fact]
    public async Task A_message_over_the_candidate_limit_is_refused_from_its_bytes_before_it_is_parsed()
    {
        await using var server = await ServerHarness.StartAsync(Model, o => o.MaxCandidates = 20);
        // 20 candidates, then a 21st that does not parse (a packed id 11 bytes long, which the count walks): parsed first, the
        // message was refused as not protobuf; counted first, it is refused for its candidates, its list never made.
        var request = new RankRequest { UserId = Model.UserIds[0], CandidateItemIds = { Enumerable.Range(0, 20).Select(i => (long)i) }, TopK = 1 }.ToByteArray();
        using var call = server.Channel.CreateCallInvoker().AsyncDuplexStreamingCall(RawRankStream, null, new CallOptions());

        await call.RequestStream.WriteAsync([.. request, 0x12, 0x0B, .. Enumerable.Repeat<byte>(0x80, 10), 0x01]);
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("message 0: candidate_item_ids has 21 items, more than the limit of 20 per request", error.Status.Detail);
    }

    private static async Task SendAllAsync(IClientStreamWriter<RankRequest> stream, IEnumerable<RankRequest> requests)
    {
        foreach (var request in requests) await stream.WriteAsync(request);
        await stream.CompleteAsync();
    }

    private static async Task<List<RankResponse>> ReadAllAsync(IAsyncStreamReader<RankResponse> stream)
    {
        var responses = new List<RankResponse>();
        await foreach (var response in stream.ReadAllAsync()) responses.Add(response);
        return responses;
    }

    private static Task WaitForAsync(ServerHarness server, string series, double value) =>
        WaitForAsync(server, metrics => PrometheusText.Find(metrics, series) == value, $"{series} = {value}");

    private static async Task WaitForAsync(ServerHarness server, Func<string, bool> done, string what)
    {
        var metrics = "";
        for (var attempt = 0; attempt < 250; attempt++)
        {
            if (done(metrics = await server.MetricsAsync())) return;
            await Task.Delay(20);
        }
        // The stream's own series as last scraped: a rare failure says which status the call did end with, if any.
        var streamSeries = metrics.Split('\n').Where(line => line.Contains("RankStream", StringComparison.Ordinal) || line.StartsWith("ranking_stream", StringComparison.Ordinal) || line.StartsWith("ranking_calls_in_flight", StringComparison.Ordinal) || line.StartsWith("ranking_batch_requests_count", StringComparison.Ordinal));
        Assert.Fail($"the metrics never showed {what}; last scraped:\n{string.Join('\n', streamSeries)}");
    }
}
