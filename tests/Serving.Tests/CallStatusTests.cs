using Grpc.AspNetCore.Server;
using Grpc.Core;
using InverseLearning.Serving.Transport;
using Microsoft.AspNetCore.Http;

namespace InverseLearning.Serving.Tests;

/// <summary>The status a call is counted as when it ended without one written: its client went away, at its deadline or before.</summary>
public sealed class CallStatusTests
{
    [Theory]
    [InlineData(-1_000, StatusCode.DeadlineExceeded)]
    [InlineData(20, StatusCode.DeadlineExceeded)] // the client's clock started first: it gives up a little before ours runs out
    [InlineData(10_000, StatusCode.Cancelled)]
    public void An_aborted_call_with_no_status_written_is_counted_by_its_deadline(int deadlineInMilliseconds, StatusCode expected)
    {
        // Counted CANCELLED whatever the deadline: a call whose client gave up at it was DEADLINE_EXCEEDED to the client,
        // and to the service's own answer (RankerService), but CANCELLED in the metrics.
        var context = new DefaultHttpContext { RequestAborted = new CancellationToken(canceled: true) };
        context.Features.Set<IServerCallContextFeature>(new CallFeature(DateTime.UtcNow.AddMilliseconds(deadlineInMilliseconds)));

        Assert.Equal(expected, CallStatus.Final(context));
    }

    [Theory]
    [InlineData("1000m", 200, StatusCode.DeadlineExceeded)] // a quarter of 1 s: a fresh channel's setup came out of the client's budget
    [InlineData("1000m", 400, StatusCode.Cancelled)]
    [InlineData("100m", 40, StatusCode.DeadlineExceeded)] // never under 50 ms
    [InlineData("100m", 80, StatusCode.Cancelled)]
    [InlineData("1M", 900, StatusCode.DeadlineExceeded)] // at most 1 s, however long the timeout
    [InlineData("1M", 2_000, StatusCode.Cancelled)]
    [InlineData("800000u", 180, StatusCode.DeadlineExceeded)] // 0.8 s in microseconds, 0.2 s of slack
    [InlineData("99999999m", 900, StatusCode.DeadlineExceeded)] // the longest the spec writes (8 digits) is read too: 1 s of slack
    [InlineData("bogus", 200, StatusCode.Cancelled)] // a timeout gRPC reads some other way: the 50 ms alone
    public void An_aborted_call_near_its_deadline_is_counted_by_a_slack_in_proportion_to_its_timeout(string timeout, int deadlineInMilliseconds, StatusCode expected)
    {
        // A client's deadline clock starts before its channel connects; on a fresh channel the server's deadline lagged the
        // client's by more than a fixed 50 ms, and a call ended at its deadline (300 ms to 1.5 s) was counted CANCELLED.
        var context = new DefaultHttpContext { RequestAborted = new CancellationToken(canceled: true) };
        context.Request.Headers["grpc-timeout"] = timeout;
        context.Features.Set<IServerCallContextFeature>(new CallFeature(DateTime.UtcNow.AddMilliseconds(deadlineInMilliseconds)));

        Assert.Equal(expected, CallStatus.Final(context));
    }

    [Fact]
    public void An_aborted_call_gRPC_never_took_up_is_cancelled()
    {
        var context = new DefaultHttpContext { RequestAborted = new CancellationToken(canceled: true) };

        Assert.Equal(StatusCode.Cancelled, CallStatus.Final(context));
    }

    [Fact]
    public void An_aborted_call_that_sent_grpc_timeout_twice_is_given_the_least_slack()
    {
        // Two timeouts are no one timeout to scale the slack by (gRPC's own reading of the deadline decides): neither is taken.
        var context = new DefaultHttpContext { RequestAborted = new CancellationToken(canceled: true) };
        context.Request.Headers["grpc-timeout"] = new Microsoft.Extensions.Primitives.StringValues(["100m", "1000m"]);
        context.Features.Set<IServerCallContextFeature>(new CallFeature(DateTime.UtcNow.AddMilliseconds(200)));

        Assert.Equal(StatusCode.Cancelled, CallStatus.Final(context));
    }

    [Fact]
    public void A_call_that_ended_with_no_status_written_while_its_client_stayed_is_unknown_even_past_its_deadline()
    {
        // Only a client that went away makes a missing status its deadline's or its cancel's: a call whose client stayed ended
        // some way the server did not say, and its deadline having passed does not make it the client's.
        var context = new DefaultHttpContext();
        context.Request.Headers["grpc-timeout"] = "100m";
        context.Features.Set<IServerCallContextFeature>(new CallFeature(DateTime.UtcNow.AddSeconds(-1)));

        Assert.Equal(StatusCode.Unknown, CallStatus.Final(context));
    }

    private sealed class CallFeature(DateTime deadline) : IServerCallContextFeature
    {
        public ServerCallContext ServerCallContext { get; } = new Call(deadline);
    }

    /// <summary>A call known by its deadline alone.</summary>
    private sealed class Call(DateTime deadline) : ServerCallContext
    {
        protected override string MethodCore => "/inverselearning.v1.Ranker/Rank";
        protected override string HostCore => "localhost";
        protected override string PeerCore => "ipv4:127.0.0.1:1";
        protected override DateTime DeadlineCore => deadline;
        protected override Metadata RequestHeadersCore => [];
        protected override CancellationToken CancellationTokenCore => new(canceled: true);
        protected override Metadata ResponseTrailersCore => [];
        protected override Status StatusCore { get; set; }
        protected override WriteOptions? WriteOptionsCore { get; set; }
        protected override AuthContext AuthContextCore => new(null, []);
        protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();
        protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
    }
}
