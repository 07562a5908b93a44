namespace InverseLearning.Serving.Transport;

/// <summary>
/// A read-only stream over another that shows each read's bytes to <see cref="Seen"/> and each failed read to
/// <see cref="ReadFailed"/>: the frame the request body's checks (the inflater's refusals, the trailer's bytes) hook into.
/// </summary>
internal abstract class ReadThroughStream(Stream inner) : Stream
{
    /// <summary>The bytes a read gave (none at the end of the stream); returns how many the reader gets, or throws.</summary>
    protected abstract int Seen(ReadOnlySpan<byte> bytes);

    /// <summary>A read of the inner stream failed with <paramref name="error"/>: throw another in its place, or return to let it go on.</summary>
    protected abstract void ReadFailed(Exception error);

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty) return 0;
        int read;
        try
        {
            read = inner.Read(buffer);
        }
        catch (Exception e)
        {
            ReadFailed(e);
            throw;
        }
        return Seen(buffer[..read]);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty) return 0;
        int read;
        try
        {
            read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            ReadFailed(e);
            throw;
        }
        return Seen(buffer.Span[..read]);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
