using System.IO.Compression;
using InverseLearning.Serving.Transport;

namespace InverseLearning.Serving.Tests;

/// <summary>The trailer's check on its own, the compressed body read a few bytes at a time as a network may give it.</summary>
public class CompressedTrailerTests
{
    private static byte[] Compressed(string encoding, byte[] message)
    {
        var compressed = new MemoryStream();
        using (Stream deflating = encoding == "gzip" ? new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true) : new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            deflating.Write(message);
        return compressed.ToArray();
    }

    /// <summary>Inflates <paramref name="body"/> read <paramref name="chunk"/> bytes at a time, and says whether the trailer matched.</summary>
    private static bool Matches(string encoding, byte[] body, int chunk)
    {
        var trailer = new CompressedTrailer(encoding);
        using var watched = trailer.Watch(new ChunkedStream(body, chunk));
        using Stream inflating = encoding == "gzip" ? new GZipStream(watched, CompressionMode.Decompress) : new ZLibStream(watched, CompressionMode.Decompress);
        var buffer = new byte[chunk];
        int read;
        while ((read = inflating.Read(buffer)) > 0) trailer.Inflated(buffer.AsSpan(0, read));
        return trailer.Matches();
    }

    [Theory]
    [InlineData("gzip", 1)]
    [InlineData("gzip", 3)]
    [InlineData("gzip", 4096)]
    [InlineData("deflate", 1)]
    [InlineData("deflate", 3)]
    [InlineData("deflate", 4096)]
    public void A_whole_body_matches_its_trailer_and_a_cut_one_does_not(string encoding, int chunk)
    {
        // Over 5,552 bytes, Adler-32's sums are reduced more than once; random bytes so the body has no short form.
        var message = new byte[20_000];
        new Random(7).NextBytes(message);
        var body = Compressed(encoding, message);

        Assert.True(Matches(encoding, body, chunk));
        foreach (var cut in new[] { 1, 2, 4, 8, 100 })
            Assert.False(Matches(encoding, body[..^cut], chunk), $"cut {cut}");
    }

    [Fact]
    public void An_empty_message_matches_as_no_bytes_or_as_a_stream_with_its_trailer()
    {
        Assert.Empty(Compressed("gzip", [])); // .NET writes nothing for nothing
        Assert.True(Matches("gzip", [], 2));
        Assert.True(Matches("deflate", [], 2));
        // As zlib itself writes an empty stream: header, an empty final block, then the trailer (gzip: CRC 0 and length 0; zlib: Adler-32 1).
        Assert.True(Matches("gzip", Convert.FromHexString("1F8B08000000000000FF03000000000000000000"), 2));
        Assert.True(Matches("deflate", Convert.FromHexString("789C030000000001"), 2));
        Assert.False(Matches("deflate", Convert.FromHexString("789C0300000000"), 2));
    }

    [Theory]
    [InlineData(5_552)]
    [InlineData(5_553)]
    [InlineData(100_000)]
    public void Inflated_bytes_given_in_one_span_longer_than_an_adler_run_match_zlibs_trailer(int length)
    {
        // All 0xFF: the worst case for Adler-32's sums, which overflow a uint past 5,552 bytes unless reduced on the way.
        // (The inflater in the tests above hands over at most a buffer's worth; gRPC's may hand over a whole message.)
        var message = Enumerable.Repeat((byte)0xFF, length).ToArray();
        var body = Compressed("deflate", message);
        var trailer = new CompressedTrailer("deflate");
        trailer.Watch(new MemoryStream(body)).CopyTo(Stream.Null);

        trailer.Inflated(message);

        Assert.True(trailer.Matches());
        var other = new CompressedTrailer("deflate");
        other.Watch(new MemoryStream(body)).CopyTo(Stream.Null);
        other.Inflated(message.AsSpan(1));
        Assert.False(other.Matches());
    }

    /// <summary>Gives at most <paramref name="chunk"/> bytes a read.</summary>
    private sealed class ChunkedStream(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));
    }
}
