using System.Security.Cryptography;

namespace InverseLearning.Data;

/// <summary>
/// A write-only, forward-only stream over <paramref name="output"/> that hashes (SHA-256) every byte as it passes, so a file's
/// digest costs no second read. Refusing seeks is deliberate: a writer that went back to patch bytes would leave the digest
/// wrong, and fails loudly here instead. <paramref name="output"/> stays open: its owner flushes and closes it.
/// </summary>
internal sealed class HashingWriteStream(Stream output) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    private long _written;

    /// <summary>The SHA-256 of the bytes written so far, in lowercase hexadecimal; what is written after is not in it.</summary>
    public string Digest() => Convert.ToHexStringLower(_hash.GetCurrentHash());

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _written;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        output.Write(buffer);
        _hash.AppendData(buffer);
        _written += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await output.WriteAsync(buffer, cancellationToken);
        _hash.AppendData(buffer.Span);
        _written += buffer.Length;
    }

    public override void Flush() => output.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => output.FlushAsync(cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _hash.Dispose();
        base.Dispose(disposing);
    }
}
