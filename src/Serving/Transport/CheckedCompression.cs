using System.IO.Compression;
using Grpc.Core;
using Grpc.Net.Compression;

namespace InverseLearning.Serving.Transport;

/// <summary>
/// One of gRPC's own compressions (gzip, deflate), except that a message that does not inflate is the client's error
/// (INVALID_ARGUMENT) rather than the handler's (UNKNOWN, and the decompressor's stack trace logged at error level,
/// as often as a client cares to send one). gRPC inflates a message while it reads it, before any parser or interceptor.
/// A body cut short is refused too: .NET's inflaters end quietly where the bytes end, so a message cut inside its data
/// would be parsed from what came before the cut. Its trailer (gzip's length, zlib's Adler-32) is checked at the end.
/// </summary>
public sealed class CheckedCompression(ICompressionProvider inner) : ICompressionProvider
{
    /// <summary>The encodings gRPC serves by default, each checked.</summary>
    public static List<ICompressionProvider> Defaults() =>
        [new CheckedCompression(new GzipCompressionProvider(CompressionLevel.Fastest)), new CheckedCompression(new DeflateCompressionProvider(CompressionLevel.Fastest))];

    public string EncodingName => inner.EncodingName;

    public Stream CreateCompressionStream(Stream stream, CompressionLevel? compressionLevel) => inner.CreateCompressionStream(stream, compressionLevel);

    public Stream CreateDecompressionStream(Stream stream)
    {
        var trailer = new CompressedTrailer(inner.EncodingName);
        return new Inflating(inner.CreateDecompressionStream(trailer.Watch(stream)), inner.EncodingName, trailer);
    }

    /// <summary>The inflating stream, read only, its data errors and a missing trailer turned into the call's INVALID_ARGUMENT.</summary>
    private sealed class Inflating(Stream inner, string encoding, CompressedTrailer trailer) : ReadThroughStream(inner)
    {
        /// <summary>
        /// The data's fault, not the transport's: what the inflater refuses, and an IOException that is not the body's own read
        /// failing (ZLibException, internal to .NET: a zlib stream asking for a preset dictionary).
        /// </summary>
        protected override void ReadFailed(Exception error)
        {
            if (error is InvalidDataException || error is IOException && !trailer.BodyReadFailed) throw Refused(encoding);
        }

        /// <summary>Feeds the inflated bytes to the trailer's check; at the end (none), refuses a body whose trailer does not match them.</summary>
        protected override int Seen(ReadOnlySpan<byte> inflated)
        {
            if (inflated.Length > 0) trailer.Inflated(inflated);
            else if (!trailer.Matches()) throw TrailerRefused(encoding);
            return inflated.Length;
        }

        private static RpcException Refused(string encoding) =>
            // Not the decompressor's words: for damaged data they can say "an unsupported compression method".
            new(new Status(StatusCode.InvalidArgument, $"the request body does not decompress as {encoding}: it is damaged, or not {encoding} data"));

        // gzip's trailer holds its own member's length alone: a body of several members (valid gzip, which no gRPC client sends) fails it too.
        private static RpcException TrailerRefused(string encoding) =>
            new(new Status(StatusCode.InvalidArgument, $"the request body does not decompress as {encoding}: it ends without its trailer, or the trailer does not match (cut short, or damaged)" +
                (encoding == "gzip" ? "; a body of several gzip members is refused too: send one" : "")));
    }
}
