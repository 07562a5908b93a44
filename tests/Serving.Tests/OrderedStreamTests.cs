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
    private const int Window = 8;
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly Pipe _body = new();

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task A_write_refused_because_the_call_is_complete_ends_the_stream_as_the_clients_going_away()
    {
        // gRPC completes a call the client reset, or whose deadline passed, before the cancellation that says so fires:
        // a write in between threw InvalidOperationException out of the service, logged as an error and counted UNKNOWN.
        await SendAsync(3, end: true);

        var end = await RunAsync(new CompletedCallWriter(), CancellationToken.None);

        Assert.Equal(StreamEnd.CallEnded, end);
    }

    private Task<StreamEnd> RunAsync(IServerStreamWriter<string> writer, CancellationToken cancellationToken) =>
        OrderedStream.RunAsync(new FramedReader(_body.Reader), writer, Window, _body.Reader, maxRequestBytes: 1_000, TimeSpan.Zero,
            (_, _) => Task.FromResult("answer"),
            new ServingMetrics(_services.GetRequiredService<IMeterFactory>(), new CallGauge()), CancellationToken.None, cancellationToken);

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
}
