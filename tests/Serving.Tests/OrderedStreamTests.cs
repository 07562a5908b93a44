using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.Metrics;
using System.IO.Pipelines;
using Grpc.Core;
using InverseLearning.Serving.Operations;
using InverseLearning.Serving.Transport;
using Microsoft.Extensions.DependencyInjection;

namespace InverseLearning.Serving.Tests;

/// <summary>A stream's pipeline on its own, driven by fakes of gRPC's reader and writer: what a real call can do only by chance.</summary>
public sealed class OrderedStreamTests : IDisposable
{
    private const int Window = 8, AnswerBytes = 100;
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly Pipe _body = new();
    private int _started, _sized;

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task A_write_refused_because_the_call_is_complete_ends_the_stream_as_the_clients_going_away()
    {
        // gRPC completes a call the client reset, or whose deadline passed, before the cancellation that says so fires:
        // a write in between threw InvalidOperationException out of the service, logged as an error and counted UNKNOWN.
        await SendAsync(3, end: true);

        var end = await RunAsync(new CompletedCallWriter(), answerBudget: 1_000, CancellationToken.None);

        Assert.Equal(StreamEnd.CallEnded, end);
    }

    [Fact]
    public async Task A_stream_whose_answers_go_unread_starts_no_more_than_its_answer_budget_holds()
    {
        // The client keeps sending and never reads: the first answer's write never completes. The window of 8 would start
        // 8 requests; a budget of three and a half answers starts 3, and the stream reads no further.
        await SendAsync(20, end: false);
        using var cancel = new CancellationTokenSource();

        var running = RunAsync(new UnreadWriter(), answerBudget: 3 * AnswerBytes + AnswerBytes / 2, cancel.Token);
        for (var waited = 0; Volatile.Read(ref _started) < 3 && waited < 5_000; waited += 10) await Task.Delay(10);
        await Task.Delay(300); // time for any more to start

        Assert.Equal(3, Volatile.Read(ref _started));
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    [Fact]
    public async Task A_request_whose_answer_is_over_the_whole_budget_is_served_alone()
    {
        await SendAsync(5, end: true);
        var writer = new CountingWriter(() => Volatile.Read(ref _started));

        var end = await RunAsync(writer, answerBudget: AnswerBytes / 2, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)); // a budget never given back hangs it

        Assert.Equal(StreamEnd.ClientEnded, end);
        Assert.Equal(5, writer.Written);
        Assert.Equal(1, writer.MostUnwritten);
    }

    [Fact]
    public async Task A_request_read_and_waiting_for_the_budget_is_answered_when_the_server_stops()
    {
        // The budget holds one answer, whose write waits: the second request is read, and waits for the budget, as the server
        // stops. No more is read, but every request read is answered (the stream ends telling so), that one too.
        await SendAsync(3, end: false);
        using var stopping = new CancellationTokenSource();
        var writer = new GatedWriter();

        var running = RunAsync(writer, answerBudget: AnswerBytes, CancellationToken.None, stopping.Token);
        for (var waited = 0; Volatile.Read(ref _sized) < 2 && waited < 5_000; waited += 10) await Task.Delay(10);
        stopping.Cancel();
        writer.Open();

        Assert.Equal(StreamEnd.ServerStopping, await running.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(2, writer.Written);
    }

    private Task<StreamEnd> RunAsync(IServerStreamWriter<string> writer, long answerBudget, CancellationToken cancellationToken,
        CancellationToken stopReading = default) =>
        OrderedStream.RunAsync(new FramedReader(_body.Reader), writer, Window, answerBudget,
            _ =>
            {
                Interlocked.Increment(ref _sized); // read, and about to wait for the budget
                return AnswerBytes;
            },
            _body.Reader, maxRequestBytes: 1_000, TimeSpan.Zero,
            (_, _) =>
            {
                Interlocked.Increment(ref _started);
                return Task.FromResult("answer");
            },
            new ServingMetrics(_services.GetRequiredService<IMeterFactory>(), new CallGauge()), stopReading, cancellationToken);

    /// <summary>Writes <paramref name="messages"/> gRPC frames of one byte each to the body, and its end if <paramref name="end"/>.</summary>
    private async Task SendAsync(int messages, bool end)
    {
        for (var i = 0; i < messages; i++) await _body.Writer.WriteAsync(new byte[] { 0, 0, 0, 0, 1, (byte)i });
        if (end) await _body.Writer.CompleteAsync();
    }

    /// <summary>Reads the body's frames as gRPC's reader does, after the stream has peeked at each header.</summary>
    private sealed class FramedReader(PipeReader body) : IAsyncStreamReader<byte[]>
    {
        public byte[] Current { get; private set; } = [];

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            var header = await body.ReadAtLeastAsync(5, cancellationToken);
            if (header.Buffer.Length < 5)
            {
                body.AdvanceTo(header.Buffer.End);
                return false;
            }
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(header.Buffer.Slice(1, 4).ToArray());
            body.AdvanceTo(header.Buffer.Start);
            var frame = await body.ReadAtLeastAsync(5 + length, cancellationToken);
            Current = frame.Buffer.Slice(5, length).ToArray();
            body.AdvanceTo(frame.Buffer.GetPosition(5 + length));
            return true;
        }
    }

    /// <summary>gRPC's writer once its call is complete.</summary>
    private sealed class CompletedCallWriter : IServerStreamWriter<string>
    {
        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(string message) => WriteAsync(message, CancellationToken.None);

        public Task WriteAsync(string message, CancellationToken cancellationToken) =>
            Task.FromException(new InvalidOperationException("Can't write the message because the request is complete."));
    }

    /// <summary>A writer whose client never reads: no write completes until the call is cancelled.</summary>
    private sealed class UnreadWriter : IServerStreamWriter<string>
    {
        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(string message) => Task.Delay(Timeout.Infinite);

        public Task WriteAsync(string message, CancellationToken cancellationToken) => Task.Delay(Timeout.Infinite, cancellationToken);
    }

    /// <summary>A writer whose writes wait until the test opens it, then count.</summary>
    private sealed class GatedWriter : IServerStreamWriter<string>
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _written;

        public int Written => Volatile.Read(ref _written);

        public WriteOptions? WriteOptions { get; set; }

        public void Open() => _open.TrySetResult();

        public Task WriteAsync(string message) => WriteAsync(message, CancellationToken.None);

        public async Task WriteAsync(string message, CancellationToken cancellationToken)
        {
            await _open.Task.WaitAsync(cancellationToken);
            Interlocked.Increment(ref _written);
        }
    }

    /// <summary>A writer that counts its writes, and the most requests started and not yet written seen at a write.</summary>
    private sealed class CountingWriter(Func<int> started) : IServerStreamWriter<string>
    {
        public int Written { get; private set; }

        public int MostUnwritten { get; private set; }

        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(string message) => WriteAsync(message, CancellationToken.None);

        public async Task WriteAsync(string message, CancellationToken cancellationToken)
        {
            await Task.Delay(20); // time for the reader to start the next request, were it allowed to
            MostUnwritten = Math.Max(MostUnwritten, started() - Written);
            Written++;
        }
    }
}
