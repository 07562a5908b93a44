namespace InverseLearning.Data.Import;

/// <summary>
/// Reads a text file line by line as UTF-8 byte spans over one reused buffer, so parsing a
/// line allocates nothing. Accepts \n and \r\n endings; the last line may lack one. A UTF-8 byte-order mark
/// (which Windows editors write) is not part of the first line.
/// </summary>
internal sealed class LineReader : IDisposable
{
    /// <summary>The longest line read: a rating line is four numbers, so a longer one is not a ratings file, and is not held whole.</summary>
    public const int MaxLineBytes = 1 << 20;

    private readonly string _path;
    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[MaxLineBytes];
    private int _start, _end;
    private bool _endOfFile;

    public LineReader(string path, CancellationToken cancel = default)
    {
        _path = path;
        // Opening a named pipe waits in the kernel for its writer, where no cancellation reaches: waited for beside it, so that a signal
        // ends the import at once (and its --out, holding only its lock, is removed) while the open is left behind on its own thread.
        _stream = Task.Run(() => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan))
            .WaitAsync(cancel).GetAwaiter().GetResult();
    }

    /// <summary>1-based number of the line last returned.</summary>
    public long LineNumber { get; private set; }

    public long BytesRead { get; private set; }

    public long Length => _stream.Length;

    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = Line(_buffer.AsSpan(_start, newline));
                _start += newline + 1;
                return true;
            }
            if (_endOfFile)
            {
                if (_start == _end)
                {
                    line = default;
                    return false;
                }
                line = Line(_buffer.AsSpan(_start, _end - _start));
                _start = _end;
                return true;
            }
            Refill();
        }
    }

    private void Refill()
    {
        var pending = _end - _start;
        if (pending == _buffer.Length)
            throw new DataException($"{_path}, line {LineNumber + 1}: longer than {ByteSize.Format(MaxLineBytes)}; expected lines of user, item, rating and optionally a timestamp");
        Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
        _start = 0;
        _end = pending;
        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0) _endOfFile = true;
        _end += read;
        BytesRead += read;
    }

    /// <summary>The next line, counted, without its carriage return, nor the first line's byte-order mark.</summary>
    private ReadOnlySpan<byte> Line(ReadOnlySpan<byte> line)
    {
        if (++LineNumber == 1 && line.StartsWith("\uFEFF"u8)) line = line[3..];
        return line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;
    }

    public void Dispose() => _stream.Dispose();
}
