namespace InverseLearning.Data.Import;

/// <summary>
/// Reads a text file line by line as UTF-8 byte spans over one reused buffer, so parsing a
/// line allocates nothing. Accepts \n and \r\n endings; the last line may lack one. A UTF-8 byte-order mark
/// (which Windows editors write) is not part of the first line.
/// </summary>
internal sealed class LineReader : IDisposable
{
    private readonly Stream _stream;
    private byte[] _buffer = new byte[1 << 20];
    private int _start, _end;
    private bool _endOfFile;

    public LineReader(string path) => _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);

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
        // A line longer than the buffer: grow it.
        if (pending == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
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
