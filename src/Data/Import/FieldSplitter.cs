namespace InverseLearning.Data.Import;

/// <summary>How the fields of a ratings line are separated: MovieLens "::", commas, or runs of tabs/spaces.</summary>
internal enum FieldSeparator
{
    DoubleColon,
    Comma,
    Whitespace,
}

/// <summary>
/// Splits a line into field ranges without allocating. A field in double quotes is its text (<c>"1","2","5"</c>, as quoting
/// CSV writers put numbers: the quotes were read as part of the number, and the line refused), separators in it included.
/// </summary>
internal static class FieldSplitter
{
    public static FieldSeparator Detect(ReadOnlySpan<byte> line) =>
        line.IndexOf("::"u8) >= 0 ? FieldSeparator.DoubleColon
        : line.IndexOf((byte)',') >= 0 ? FieldSeparator.Comma
        : FieldSeparator.Whitespace;

    /// <summary>Fills <paramref name="fields"/> and returns how many fields the line has (counting past the span's length).</summary>
    public static int Split(ReadOnlySpan<byte> line, FieldSeparator separator, Span<Range> fields)
    {
        return separator == FieldSeparator.Whitespace ? SplitWhitespace(line, fields) : SplitOn(line, separator == FieldSeparator.Comma ? ","u8 : "::"u8, fields);
    }

    private static int SplitOn(ReadOnlySpan<byte> line, ReadOnlySpan<byte> separator, Span<Range> fields)
    {
        var count = 0;
        var start = 0;
        while (true)
        {
            // A field in double quotes may hold the separator (a review's text, "Great, really"): it ends after its closing quote.
            // One opened and never closed quotes nothing, and is split as it stands.
            var opening = start;
            while (opening < line.Length && IsBlank(line[opening])) opening++;
            var searchFrom = opening < line.Length && line[opening] == (byte)'"' && ClosingQuote(line, opening + 1) is var closing and >= 0 ? closing + 1 : start;
            var next = line[searchFrom..].IndexOf(separator);
            var end = next < 0 ? line.Length : searchFrom + next;
            if (count < fields.Length) fields[count] = Field(line, start, end);
            count++;
            if (next < 0) return count;
            start = end + separator.Length;
        }
    }

    private static int SplitWhitespace(ReadOnlySpan<byte> line, Span<Range> fields)
    {
        var count = 0;
        var i = 0;
        while (true)
        {
            while (i < line.Length && IsBlank(line[i])) i++;
            if (i == line.Length) return count;
            var start = i;
            while (i < line.Length && !IsBlank(line[i])) i++;
            if (count < fields.Length) fields[count] = Field(line, start, i);
            count++;
        }
    }

    /// <summary>Where the quote that closes one opened before <paramref name="from"/> is (a doubled quote is one of the text's), or -1.</summary>
    private static int ClosingQuote(ReadOnlySpan<byte> line, int from)
    {
        for (var i = from; i < line.Length; i++)
        {
            if (line[i] != (byte)'"') continue;
            if (i + 1 < line.Length && line[i + 1] == (byte)'"') i++;
            else return i;
        }
        return -1;
    }

    /// <summary>The field between start and end without the blanks around it, nor the double quotes around that.</summary>
    private static Range Field(ReadOnlySpan<byte> line, int start, int end)
    {
        while (start < end && IsBlank(line[start])) start++;
        while (end > start && IsBlank(line[end - 1])) end--;
        return end - start >= 2 && line[start] == (byte)'"' && line[end - 1] == (byte)'"' ? (start + 1)..(end - 1) : start..end;
    }

    public static bool IsBlank(byte b) => b is (byte)' ' or (byte)'\t';
}
