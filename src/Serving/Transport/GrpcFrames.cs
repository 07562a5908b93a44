using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;

namespace InverseLearning.Serving.Transport;

/// <summary>
/// The request body's gRPC frames (1 byte compressed flag, 4 bytes big-endian length, the
/// message), looked at before gRPC reads them: a size can be checked from the header alone,
/// and a message too large can be read past without ever being buffered whole.
/// </summary>
internal static class GrpcFrames
{
    public const int HeaderLength = 5;

    public const string MoreThanOneMessage = "the request body holds more than one message; a unary call takes one";

    /// <summary>Grpc.AspNetCore's INTERNAL detail for a body that ended inside a message (a test pins it).</summary>
    public const string GrpcIncompleteMessage = "Incomplete message.";

    /// <summary>What the client is told instead: its framing, not the server's fault.</summary>
    public const string EndedInsideMessage = "the request body ended inside a message, short of the length its header declared";

    /// <summary>A frame's header, with what the body held when it was read: its bytes so far, and whether it had ended.</summary>
    public readonly record struct Header(bool Compressed, long Length, long Received, bool BodyEnded)
    {
        /// <summary>The body holds more after this frame, or ended with it cut short: bytes a unary call cannot take.</summary>
        public string? UnaryBodyProblem =>
            Received > HeaderLength + Length ? MoreThanOneMessage
            : BodyEnded && Received < HeaderLength + Length ? $"the request body ended {Received - HeaderLength} bytes into a message it declared {Length} bytes long"
            : null;
    }

    /// <summary>The next frame's header, peeked and left unread for gRPC; null when the body ends before a whole header.</summary>
    public static async Task<Header?> PeekHeaderAsync(PipeReader body, CancellationToken cancellationToken)
    {
        var result = await body.ReadAtLeastAsync(HeaderLength, cancellationToken).ConfigureAwait(false);
        var buffer = result.Buffer;
        Header? header = null;
        if (buffer.Length >= HeaderLength)
        {
            Span<byte> bytes = stackalloc byte[HeaderLength];
            buffer.Slice(0, HeaderLength).CopyTo(bytes);
            header = new Header(bytes[0] != 0, BinaryPrimitives.ReadUInt32BigEndian(bytes[1..]), buffer.Length, result.IsCompleted);
        }
        body.AdvanceTo(buffer.Start);
        return header;
    }

    /// <summary>
    /// Whether <paramref name="bytes"/> bytes of body, or its end, are here already, so that a wait for them needs no timer;
    /// looked at without reading them.
    /// </summary>
    public static bool Arrived(PipeReader body, int bytes)
    {
        if (!body.TryRead(out var result)) return false;
        var here = result.IsCompleted || result.IsCanceled || result.Buffer.Length >= bytes;
        body.AdvanceTo(result.Buffer.Start);
        return here;
    }

    /// <summary>Consumes the next frame, header and <paramref name="length"/> bytes of message, chunk by chunk as they arrive.</summary>
    public static async Task SkipAsync(PipeReader body, long length, CancellationToken cancellationToken)
    {
        for (var left = HeaderLength + length; left > 0;)
        {
            var result = await body.ReadAsync(cancellationToken).ConfigureAwait(false);
            var take = Math.Min(left, result.Buffer.Length);
            body.AdvanceTo(result.Buffer.GetPosition(take));
            left -= take;
            if (left > 0 && result.IsCompleted) throw new IOException($"the request body ended {left} bytes into a message it declared {length} bytes long");
        }
    }

    /// <summary>What a client is told of a message over the request-size limit.</summary>
    public static string TooLarge(long length, int maxRequestBytes) =>
        $"request is {length} bytes, over the limit of {maxRequestBytes} bytes; split it into smaller requests";
}
