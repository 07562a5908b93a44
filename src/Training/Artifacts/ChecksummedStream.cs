namespace InverseLearning.Training.Artifacts;

/// <summary>
/// A pass-through over another stream that feeds every byte read or written into a
/// <see cref="Crc32"/>: whatever a checkpoint's payload holds is covered by its checksum,
/// sections added later included. The inner stream stays open.
/// </summary>
public sealed class ChecksummedStream(Stream inner) : Stream
{
    public Crc32 Checksum { get; } = new();

    public override bool CanRead => inner.CanRead;
    public override bool CanWrite => inner.CanWrite;
    public override bool CanSeek => false;
    public override long Length => inner.Length;
    public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        Checksum.Append(buffer[..read]);
        return read;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Checksum.Append(buffer);
        inner.Write(buffer);
    }

    public override void Flush() => inner.Flush();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
