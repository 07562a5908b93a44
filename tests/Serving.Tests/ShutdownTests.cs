using Grpc.Core;
using Grpc.Health.V1;
using InverseLearning.Serving.Operations;
using InverseLearning.Serving.Transport;
using InverseLearning.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace InverseLearning.Serving.Tests;

/// <summary>
/// What a stopping server tells its clients while it drains: each held by a RankStream whose client sends and never reads, its
/// answers held by HTTP/2 flow control, which keeps the drain's hold (and the listener) open for as long as the test needs (up
/// to the cut, a second before the harness's drain timeout). A stream whose client has read its end holds it only for the read
/// grace, too short to count on under load: .NET's gRPC client resets its stream once its caller has read the status, and
/// one that keeps its side open is given up a second after it.
/// </summary>
public sealed class ShutdownTests
{
    private static readonly GmfModelFixture Model = GmfModelFixture.Random(users: 8, items: 20, dim: 4, seed: 41, version: "d1");
    private static readonly RankRequest Request = new() { UserId = Model.UserIds[0], CandidateItemIds = { Model.ItemIds.Take(4) }, TopK = 2 };

    /// <summary>Opens a stream whose client stops reading, waits until its answers stall, and stops the server, which it holds until <see cref="ReleaseAsync"/>.</summary>
    private static async Task<(AsyncDuplexStreamingCall<RankRequest, RankResponse> Held, Task Sending, Task Stopping)> StopHeldAsync(ServerHarness server)
    {
        var held = server.Client.RankStream();
        // Each answer the whole catalog: far more answers than the client's stream window and Kestrel's response buffer hold.
        var large = new RankRequest { UserId = Model.UserIds[1], CandidateItemIds = { Model.ItemIds }, TopK = Model.ItemIds.Length };
        var sending = Task.Run(async () =>
        {
            for (var sent = 0; sent < 2_000; sent++) await held.RequestStream.WriteAsync(large);
        });
        await server.StreamStalledAsync(leastInFlight: 1);
        return (held, sending, server.Server.StopAsync());
    }

    /// <summary>Resets the held stream (its client's reset ends it at once) and waits for the stop it held.</summary>
    private static async Task ReleaseAsync(AsyncDuplexStreamingCall<RankRequest, RankResponse> held, Task sending, Task stopping)
    {
        held.Dispose();
        await Record.ExceptionAsync(() => sending); // its writes fail once the stream is reset
        await stopping;
    }

    [Fact]
    public async Task Streams_refused_while_stopping_do_not_make_the_connection_refuse_unary_calls_with_enhance_your_calm()
    {
        // Kestrel keeps a stream it reset, its client still sending, among the connection's streams for 5 s, and refuses every
        // new stream (ENHANCE_YOUR_CALM, read as RESOURCE_EXHAUSTED) once it keeps twice the streams a connection may have:
        // 200 here. Clients reopening their streams at shutdown, each refused, passed that within a second.
        await using var server = await ServerHarness.StartAsync(Model);
        var (held, sending, stopping) = await StopHeldAsync(server);

        var statuses = new List<StatusCode>();
        for (var wave = 0; wave < 6; wave++)
            statuses.AddRange(await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
            {
                using var reopened = server.Client.RankStream();
                return (await Assert.ThrowsAsync<RpcException>(() => reopened.ResponseStream.MoveNext(CancellationToken.None))).StatusCode;
            })));
        var unary = await Record.ExceptionAsync(() => server.Client.RankAsync(Request).ResponseAsync);

        Assert.All(statuses, status => Assert.Equal(StatusCode.Unavailable, status));
        // Answered, or refused as the stop refuses: never RESOURCE_EXHAUSTED, which tells a client to back off from a server that is fine.
        Assert.True(unary is null or RpcException { StatusCode: StatusCode.Unavailable }, $"the unary call failed: {unary?.Message}");
        await ReleaseAsync(held, sending, stopping);
    }

    [Fact]
    public async Task Health_says_not_serving_as_soon_as_the_stop_begins_and_logs_no_failure()
    {
        await using var server = await ServerHarness.StartAsync(Model);
        var (held, sending, stopping) = await StopHeldAsync(server);

        var health = await new Health.HealthClient(server.Channel).CheckAsync(new HealthCheckRequest());

        // The listener is still open (the drain holds it): a load balancer that checks now moves its calls elsewhere.
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, health.Status);
        // NOT_SERVING is what a stop means: it was logged as a failed health check ("fail: ... with status Unhealthy") at every probe.
        Assert.DoesNotContain(server.Logs.Lines, line => line.Level >= LogLevel.Error);
        await ReleaseAsync(held, sending, stopping);
    }

    [Fact]
    public async Task Without_a_rank_stream_open_a_stop_closes_the_admin_port_at_once_and_the_unary_call_in_flight_finishes()
    {
        // README said /healthz answers 503 once a stop begins: without a RankStream to drain, the listeners close as the stop
        // begins, and a probe finds the port closed. A load balancer is told before the signal (the Deployment's preStop pause).
        await using var server = await ServerHarness.StartAsync(Model, o => o.MaxWaitMicroseconds = 1_000_000);
        await server.Client.GetModelInfoAsync(new GetModelInfoRequest()); // connected before the stop
        var call = server.Client.ScoreAsync(new ScoreRequest { UserId = Model.UserIds[0], ItemIds = { Model.ItemIds[0] } }).ResponseAsync;
        for (var attempt = 0; attempt < 200 && PrometheusText.Find(await server.MetricsAsync(), "ranking_calls_in_flight") is not 1; attempt++)
            await Task.Delay(10);

        var stopping = server.Server.StopAsync();
        var refused = false;
        for (var attempt = 0; attempt < 100 && !refused; attempt++)
        {
            using var probe = new System.Net.Sockets.TcpClient();
            try
            {
                await probe.ConnectAsync(System.Net.IPAddress.Loopback, server.Server.MetricsPort!.Value);
                await Task.Delay(20);
            }
            catch (System.Net.Sockets.SocketException)
            {
                refused = true;
            }
        }

        Assert.True(refused, "the admin port still took connections during the stop");
        Assert.Single((await call).Scores);
        await stopping;
    }

    [Fact]
    public async Task An_admin_reload_during_the_drain_is_refused_with_503_and_loads_nothing()
    {
        await using var server = await ServerHarness.StartAsync(Model);
        var (held, sending, stopping) = await StopHeldAsync(server);

        using var response = await server.Http.PostAsync("/admin/reload", null);

        // It loaded the model afresh and answered 200 "swapped", spending CPU on a model that would serve nothing.
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("refused: the server is shutting down (draining its calls); no model is loaded now\n", await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain(server.Logs.Lines, line => line.Message.StartsWith("Swapped model", StringComparison.Ordinal) || line.Message.StartsWith("Model reload", StringComparison.Ordinal));
        await ReleaseAsync(held, sending, stopping);
    }

    [Fact]
    public async Task A_first_signal_stops_with_a_drain_and_a_second_ends_the_process_at_once()
    {
        var lifetime = new StoppableLifetime();
        var drain = lifetime.Drain();
        var neverEnds = new TaskCompletionSource();
        var stream = drain.ServeAsync(new Microsoft.AspNetCore.Http.DefaultHttpContext(), _ => neverEnds.Task);
        var exits = new List<int>();
        using var starting = new CancellationTokenSource();
        using var signals = new StopSignals(starting, exits.Add);
        signals.Listening(lifetime, drain, TimeSpan.FromMinutes(10), NullLogger.Instance);

        signals.Handle(new System.Runtime.InteropServices.PosixSignalContext(System.Runtime.InteropServices.PosixSignal.SIGTERM));
        Assert.True(lifetime.ApplicationStopping.IsCancellationRequested);
        Assert.Empty(exits); // the drain goes on, its stream still open

        signals.Handle(new System.Runtime.InteropServices.PosixSignalContext(System.Runtime.InteropServices.PosixSignal.SIGINT));
        Assert.Equal([StopSignals.CutShortExitCode], exits);
        neverEnds.SetResult();
        await stream;
    }

    /// <summary>A clock that moves only when the test moves it.</summary>
    private sealed class ManualTime : TimeProvider
    {
        public long Now { get; set; }
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => Now;
    }

    [Fact]
    public async Task The_same_signal_again_at_once_is_the_first_s_copy_and_a_second_s_line_says_what_the_first_started()
    {
        var lifetime = new StoppableLifetime();
        var drain = lifetime.Drain();
        var neverEnds = new TaskCompletionSource();
        var stream = drain.ServeAsync(new Microsoft.AspNetCore.Http.DefaultHttpContext(), _ => neverEnds.Task);
        var exits = new List<int>();
        var time = new ManualTime();
        using var starting = new CancellationTokenSource();
        using var signals = new StopSignals(starting, exits.Add, time);
        signals.Listening(lifetime, drain, TimeSpan.FromMinutes(10), NullLogger.Instance);
        var stderr = new StringWriter();
        var original = Console.Error;
        Console.SetError(stderr);
        try
        {
            // GNU timeout's SIGTERM to the server and its copy to the process group: one stop, drained.
            signals.Handle(new System.Runtime.InteropServices.PosixSignalContext(System.Runtime.InteropServices.PosixSignal.SIGTERM));
            time.Now += TimeSpan.FromMilliseconds(1).Ticks;
            signals.Handle(new System.Runtime.InteropServices.PosixSignalContext(System.Runtime.InteropServices.PosixSignal.SIGTERM));
            Assert.True(lifetime.ApplicationStopping.IsCancellationRequested);
            Assert.Empty(exits);

            // The same signal once the window is over is a second: the drain is cut short.
            time.Now += StopSignals.SameRequestWindow.Ticks;
            signals.Handle(new System.Runtime.InteropServices.PosixSignalContext(System.Runtime.InteropServices.PosixSignal.SIGTERM));
            Assert.Equal([StopSignals.CutShortExitCode], exits);
        }
        finally
        {
            Console.SetError(original);
        }
        // The first signal's log line may still be queued at an exit at once: the last line says what that signal began.
        Assert.Contains("cancelled: SIGTERM started a drain, and a second signal (SIGTERM) ended it with 1 RankStreams still open", stderr.ToString());
        neverEnds.SetResult();
        await stream;
    }

    [Fact]
    public void Another_signal_at_once_is_a_second_not_a_copy()
    {
        var exits = new List<int>();
        using var starting = new CancellationTokenSource();
        using var signals = new StopSignals(starting, exits.Add, new ManualTime());

        signals.Handle(new System.Runtime.InteropServices.PosixSignalContext(System.Runtime.InteropServices.PosixSignal.SIGTERM));
        signals.Handle(new System.Runtime.InteropServices.PosixSignalContext(System.Runtime.InteropServices.PosixSignal.SIGINT));
        Assert.Equal([StopSignals.CutShortExitCode], exits);
    }

    [Fact]
    public void A_first_signal_during_the_start_cancels_it_and_a_second_ends_the_process_at_once()
    {
        // A second signal while the model loaded only cancelled the start again, and the process went on to exit 0.
        var exits = new List<int>();
        var time = new ManualTime();
        using var starting = new CancellationTokenSource();
        using var signals = new StopSignals(starting, exits.Add, time);

        signals.Handle(new System.Runtime.InteropServices.PosixSignalContext(System.Runtime.InteropServices.PosixSignal.SIGTERM));
        Assert.True(starting.IsCancellationRequested);
        Assert.Empty(exits); // the start ends as a clean stop

        time.Now += TimeSpan.FromSeconds(1).Ticks;
        signals.Handle(new System.Runtime.InteropServices.PosixSignalContext(System.Runtime.InteropServices.PosixSignal.SIGTERM));
        Assert.Equal([StopSignals.CutShortExitCode], exits);
    }

    [Fact]
    public async Task A_stop_during_the_start_is_a_clean_stop()
    {
        var folder = Directory.CreateTempSubdirectory("serving-tests-").FullName;
        try
        {
            using var stopped = new CancellationTokenSource();
            await stopped.CancelAsync();

            var code = await RankingServer.RunAsync(["--model", Model.WriteModel(folder), "--port", "0", "--metrics-port", "-1", "--no-watch"],
                builder => builder.Logging.ClearProviders(), stopped.Token);

            // A rolling update's SIGTERM to a server still loading its model: a stop as asked, not a cancelled run (130).
            Assert.Equal(0, code);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
