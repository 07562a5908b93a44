using System.Buffers.Binary;

namespace InverseLearning.Serving.Transport;

/// <summary>
/// The check a compressed message's trailer makes of its inflated bytes: gzip's last four bytes are the inflated length
/// (mod 2³², little-endian), zlib's (gRPC's "deflate") the Adler-32 of the inflated bytes (big-endian). The inflaters
/// check them when they are there and say nothing when the body ends before them; this tells the two apart.
/// </summary>
public sealed class CompressedTrailer(string encoding)
{
    private const int TrailerBytes = 4;
    private const uint AdlerModulus = 65521;
    private const int AdlerRun = 5552; // the most bytes whose sums cannot overflow a uint before the modulus is taken

    private readonly byte[] _tail = new byte[TrailerBytes];
    private int _tailLength;
    private long _inflatedLength;
    private uint _adlerA = 1, _adlerB;

    /// <summary>Whether reading the compressed body itself failed (the client went away): not the data's fault.</summary>
    public bool BodyReadFailed { get; private set; }

    /// <summary>The compressed body, read through: its last bytes are kept for <see cref="Matches"/>.</summary>
    public Stream Watch(Stream compressed) => new Watching(compressed, this);

    public void Inflated(ReadOnlySpan<byte> bytes)
    {
        _inflatedLength += bytes.Length;
        if (encoding != "deflate") return;
        while (!bytes.IsEmpty)
        {
            var run = bytes[..Math.Min(bytes.Length, AdlerRun)];
            foreach (var b in run)
            {
                _adlerA += b;
                _adlerB += _adlerA;
            }
            _adlerA %= AdlerModulus;
            _adlerB %= AdlerModulus;
            bytes = bytes[run.Length..];
        }
    }

    /// <summary>
    /// Whether the body ended with the trailer of the bytes inflated from it. An empty message may come as no bytes at all
    /// (.NET's compressors write none for it): nothing inflated from nothing has no trailer to check.
    /// </summary>
    public bool Matches() => _tailLength == 0 ? _inflatedLength == 0 : _tailLength == TrailerBytes && encoding switch
    {
        "gzip" => BinaryPrimitives.ReadUInt32LittleEndian(_tail) == (uint)_inflatedLength,
        "deflate" => BinaryPrimitives.ReadUInt32BigEndian(_tail) == (_adlerB << 16 | _adlerA),
        _ => true,
    };

    private void Compressed(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= TrailerBytes)
        {
            bytes[^TrailerBytes..].CopyTo(_tail);
            _tailLength = TrailerBytes;
            return;
        }
        var keep = Math.Min(_tailLength, TrailerBytes - bytes.Length);
        _tail.AsSpan(_tailLength - keep, keep).CopyTo(_tail);
        bytes.CopyTo(_tail.AsSpan(keep));
        _tailLength = keep + bytes.Length;
    }

    /// <summary>A read-only pass-through that shows each read's bytes to the trailer.</summary>
    private sealed class Watching(Stream inner, CompressedTrailer trailer) : ReadThroughStream(inner)
    {
        protected override int Seen(ReadOnlySpan<byte> bytes)
        {
            trailer.Compressed(bytes);
            return bytes.Length;
        }

        protected override void ReadFailed(Exception error) => trailer.BodyReadFailed = true;
    }
}
