using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace InverseLearning.Data.Import;

/// <summary>
/// Reads explicit-rating files into an interaction log: MovieLens <c>user::item::rating[::timestamp]</c>,
/// or <c>user item rating [timestamp]</c> separated by tabs/spaces or commas; one header line may come first, whose
/// names place the columns in any order (<see cref="ColumnLayout"/>).
/// Several files may each be tagged with the split their rows belong to.
/// Streams the files; a bad line stops the import with one message naming file, line and what was expected.
/// </summary>
public static class RatingsImporter
{
    private const int ProgressEveryLines = 1 << 16;

    /// <summary>Reads the inputs and writes DIR/interactions.parquet atomically, its footer recording the rating range (later reads take it as theirs); returns the log.</summary>
    public static InteractionLog Import(IReadOnlyList<RatingsInput> inputs, string outDir, ImportOptions? options = null)
    {
        var output = Path.Combine(outDir, "interactions.parquet");
        if (inputs.FirstOrDefault(i => FileIdentity.Same(i.Path, output)) is { } overwritten)
            throw new DataException($"--input {overwritten.Path} is the file this import writes (--out {outDir}); write into another folder");
        options ??= new ImportOptions();
        var log = Read(inputs, options);
        InteractionLogParquet.Write(log, output, options.Cancel, RecordedRatingRange.Metadata(options.RatingMin, options.RatingMax));
        return log;
    }

    public static InteractionLog Read(IReadOnlyList<RatingsInput> inputs, ImportOptions? options = null)
    {
        options ??= new ImportOptions();
        options.Validate();
        if (inputs.Count == 0) throw new DataException("no ratings file given; expected at least one --input [SPLIT=]FILE.");
        var tagged = inputs.Count(i => i.Split != SplitTag.Unassigned);
        if (tagged != 0 && tagged != inputs.Count)
            throw new DataException($"either tag every input with its split (train=FILE, valid=FILE, test=FILE) or none; {tagged} of {inputs.Count} are tagged.");
        foreach (var input in inputs)
            InputFile.Require(input.Path, seekable: false); // read line by line: a pipe's writer feeds it
        // One file twice (by a link of either kind, too) would import its rows twice, or, tagged with two splits, put the same rows in training and test.
        foreach (var input in inputs)
            if (inputs.Count(other => FileIdentity.Same(input.Path, other.Path)) is > 1 and var times)
                throw new DataException($"--input {input.Path} is given {times} times; give each file once");

        var columns = new Columns(tagged > 0);
        var totalBytes = inputs.Sum(i => new FileInfo(i.Path).Length);
        long bytesBefore = 0;
        foreach (var input in inputs)
        {
            ReadFile(input, columns, options, totalBytes, bytesBefore);
            bytesBefore += new FileInfo(input.Path).Length;
        }
        options.Progress?.Report(1);
        try
        {
            return columns.ToLog();
        }
        catch (OutOfMemoryException)
        {
            throw OutOfMemory($"making the log of {columns.Count:N0} ratings");
        }
    }

    private static void ReadFile(RatingsInput input, Columns columns, ImportOptions options, long totalBytes, long bytesBefore)
    {
        using var reader = new LineReader(input.Path, options.Cancel);
        var rowsBefore = columns.Count;
        try
        {
            ReadLines(reader, input, columns, options, totalBytes, bytesBefore);
        }
        catch (OutOfMemoryException)
        {
            throw OutOfMemory($"{input.Path}, line {reader.LineNumber}");
        }
        if (columns.Count == rowsBefore)
            throw new DataException($"{input.Path}: no rating lines found; expected lines of user, item, rating and optionally a timestamp.");
    }

    private static void ReadLines(LineReader reader, RatingsInput input, Columns columns, ImportOptions options, long totalBytes, long bytesBefore)
    {
        // One past the most a header may name, so that a line of more fields is counted as one too many.
        Span<Range> fields = stackalloc Range[ColumnLayout.MaxHeaderFields + 1];
        FieldSeparator? separator = null;
        var separatorFrom = "";
        (int Count, long Line)? headerFields = null;
        var layout = ColumnLayout.Documented;
        while (reader.TryReadLine(out var line))
        {
            if (TextEncodingCheck.Problem(line, first: reader.LineNumber == 1) is { } encoding)
                throw new DataException($"{input.Path}, line {reader.LineNumber}: {encoding}.");
            if (line.TrimStart(" \t"u8).IsEmpty) continue;
            if (separator is null)
            {
                separator = FieldSplitter.Detect(line);
                var header = IsHeader(line, separator.Value, fields);
                // Every line is split as the first is: a line of too few fields then says where its separator came from.
                separatorFrom = separator == FieldSeparator.Whitespace && line.Trim(" \t"u8).IndexOfAny(" \t"u8) < 0
                    ? $"the first line (line {reader.LineNumber}) holds none of the separators: '::', ',', tabs or spaces"
                    : $"split at {Describe(separator.Value)}, the separator of {(header ? "the header" : "the first line")} (line {reader.LineNumber})";
                if (header)
                {
                    headerFields = (FieldSplitter.Split(line, separator.Value, fields), reader.LineNumber);
                    layout = HeaderLayout(line, fields, headerFields.Value.Count, input, reader.LineNumber);
                    AgreeOnTimestamps(columns, layout.Timestamp >= 0, input, reader.LineNumber, line);
                    if (layout.NotRead.Count > 0)
                        options.Note?.Invoke($"note: {input.Path}: {Counted.Of(layout.NotRead.Count, "column")} not read: {NamesOf(layout.NotRead)} (import reads the user, item, rating and timestamp)");
                    continue;
                }
            }
            var count = FieldSplitter.Split(line, separator.Value, fields);
            bool withTimestamp;
            if (headerFields is { } named)
            {
                // A header names how many fields each row has: rows of three under a header naming a timestamp imported as
                // "no timestamps" without a word.
                if (count != named.Count)
                    throw Bad(input, reader.LineNumber, $"{named.Count} fields like the header (line {named.Line})", $"{Counted.Of(count, "field")} in '{Show(line)}' ({separatorFrom})");
                withTimestamp = layout.Timestamp >= 0;
            }
            else
            {
                if (count is < 3 or > 4)
                    throw Bad(input, reader.LineNumber, "3 or 4 fields (user, item, rating and optionally a timestamp)", $"{Counted.Of(count, "field")} in '{Show(line)}' ({separatorFrom})");
                withTimestamp = count == 4;
                columns.HasTimestamp ??= withTimestamp;
                if (columns.HasTimestamp != withTimestamp)
                    throw Bad(input, reader.LineNumber, FieldsLike(columns.HasTimestamp.Value ? 4 : 3, "the lines before"), $"{count} fields in '{Show(line)}'");
            }
            // Files joined with their headers (`cat a.csv b.csv`): a later header was told as a bad user id.
            if (line[fields[layout.User]] is [>= (byte)'A', ..] && IsHeader(line, separator.Value, fields))
                throw Bad(input, reader.LineNumber, "a rating line", $"a header, '{Show(line)}', in the middle of the file: were files joined with their headers? Keep the first header only");
            ParseLine(line, fields, withTimestamp, layout, input, reader.LineNumber, columns, options);
            if (reader.LineNumber % ProgressEveryLines == 0)
            {
                options.Cancel.ThrowIfCancellationRequested();
                options.Progress?.Report((bytesBefore + reader.BytesRead) / (double)Math.Max(1, totalBytes));
            }
        }
    }

    /// <summary>
    /// Running out of memory at <paramref name="where"/>, in words that say what to do (the runtime's own say only that it happened):
    /// the file's size does not bound its ratings well enough to refuse it up front (a line is 6 bytes or 60, and a pipe has no size).
    /// </summary>
    private static InsufficientMemoryException OutOfMemory(string where) =>
        new($"{where}: out of memory: the import holds every rating in memory (up to about 90 bytes each) until it " +
            "writes the log; give it more memory, or split the input and import each piece into a folder of its own under one parent folder, " +
            "which train reads as one log (--data PARENT)");

    /// <summary>The columns' names, the first <see cref="NamesShown"/> of a wide header's only (KuaiRand's has dozens), so that its note stays a line.</summary>
    private static string NamesOf(IReadOnlyList<string> names)
    {
        var shown = string.Join(", ", names.Take(NamesShown));
        return names.Count > NamesShown ? $"{shown} and {names.Count - NamesShown:N0} more" : shown;
    }

    private const int NamesShown = 8;

    private static string Describe(FieldSeparator separator) => separator switch
    {
        FieldSeparator.DoubleColon => "'::'",
        FieldSeparator.Comma => "','",
        _ => "tabs/spaces",
    };

    /// <summary>
    /// A first line of names, not values (e.g. "userId,movieId,rating,timestamp"): its first field is a word, and so is its
    /// third (whatever the names, which then place the columns). A line with a word first and a number third is a bad row,
    /// told as one, not taken as a header.
    /// </summary>
    private static bool IsHeader(ReadOnlySpan<byte> line, FieldSeparator separator, Span<Range> fields)
    {
        var count = FieldSplitter.Split(line, separator, fields);
        // An unnamed first column (pandas' index, written ",userId,movieId,rating") is passed over: the names follow it.
        var from = count > 1 && line[fields[0]].IsEmpty ? 1 : 0;
        if (count - from < 3) return false;
        static bool IsWord(ReadOnlySpan<byte> field) => !Utf8Parser.TryParse(field, out double _, out var used) || used != field.Length;
        var first = line[fields[from]];
        return IsWord(first) && first.IndexOfAnyInRange((byte)'A', (byte)'z') >= 0 && IsWord(line[fields[from + 2]]);
    }

    /// <summary>Where the header's names put each column; a header naming one column twice, or none of the three, is refused.</summary>
    private static ColumnLayout HeaderLayout(ReadOnlySpan<byte> line, Span<Range> fields, int count, RatingsInput input, long lineNumber)
    {
        if (count > ColumnLayout.MaxHeaderFields)
            throw Bad(input, lineNumber, $"a header of at most {ColumnLayout.MaxHeaderFields} columns", $"{count:N0} in '{Show(line)}'");
        var names = new List<string>();
        for (var field = 0; field < count; field++) names.Add(Encoding.UTF8.GetString(line[fields[field]]));
        return ColumnLayout.FromHeader(names, out var problem) ?? throw Bad(input, lineNumber, ColumnLayout.Expected, $"{problem}, in the header '{Show(line)}'");
    }

    /// <summary>
    /// Refuses a header that names a timestamp where the files before had none, or none where they had them: the log has one
    /// timestamp column or none.
    /// </summary>
    private static void AgreeOnTimestamps(Columns columns, bool withTimestamp, RatingsInput input, long lineNumber, ReadOnlySpan<byte> header)
    {
        columns.HasTimestamp ??= withTimestamp;
        if (columns.HasTimestamp != withTimestamp)
            throw Bad(input, lineNumber, columns.HasTimestamp.Value ? "a header naming a timestamp column, as the lines before had timestamps"
                : "a header naming no timestamp column, as the lines before had none", $"'{Show(header)}'");
    }

    private static void ParseLine(ReadOnlySpan<byte> line, Span<Range> fields, bool withTimestamp, ColumnLayout layout, RatingsInput input, long lineNumber, Columns columns,
        ImportOptions options)
    {
        var user = ParseId(line[fields[layout.User]], input, lineNumber, "user id");
        var item = ParseId(line[fields[layout.Item]], input, lineNumber, "item id");
        var ratingText = line[fields[layout.Rating]];
        if (!Utf8Parser.TryParse(ratingText, out float rating, out var used) || used != ratingText.Length || !float.IsFinite(rating))
            throw Bad(input, lineNumber, $"a number as the rating ({layout.Describe(layout.Rating)})", $"'{Show(ratingText)}'");
        if (rating < options.RatingMin || rating > options.RatingMax)
            throw Bad(input, lineNumber, $"a rating from {options.RatingMin} to {options.RatingMax} (--rating-min, --rating-max)", $"{Show(ratingText)}");
        long timestampMs = 0;
        if (withTimestamp)
        {
            var text = line[fields[layout.Timestamp]];
            var seconds = options.TimestampUnit == TimestampUnit.Seconds;
            // What train's --split time accepts (RowDays.TimestampDay): a day in years 1–9999, before the epoch too.
            var inYears = $"a timestamp in years 1–9999 ({(seconds ? "seconds" : "milliseconds")} since the Unix epoch, --timestamp-unit)";
            // A number past what milliseconds hold (digits past 64 bits, too) is past year 9999: told so, not as "expected a number".
            if (!TimestampText.TryReadMs(text, options.TimestampUnit, out timestampMs))
                throw Bad(input, lineNumber, $"a number as the timestamp ({layout.Describe(layout.Timestamp)})", $"'{Show(text)}'");
            if (!UtcDay.IsNamed(UtcDay.Of(timestampMs))) throw Bad(input, lineNumber, inYears, $"'{Show(text)}'");
        }
        columns.Add(user, item, rating, timestampMs, input.Split);
    }

    /// <summary>What a line of <paramref name="count"/> fields (3 or 4, without a header) holds, as a line is expected to be like <paramref name="from"/>.</summary>
    private static string FieldsLike(int count, string from) => (count == 4 ? "4 fields (user, item, rating, timestamp)" : "3 fields (user, item, rating)") + $" like {from}";

    private static long ParseId(ReadOnlySpan<byte> text, RatingsInput input, long lineNumber, string what)
    {
        if (Utf8Parser.TryParse(text, out long id, out var used) && used == text.Length) return id;
        // Digits alone fail only by their size: "expected an integer" of 99999999999999999999999 named no fault.
        if (IsWholeNumber(text))
            throw Bad(input, lineNumber, $"an integer {what} in the 64-bit range ({long.MinValue.ToString("N0", CultureInfo.InvariantCulture)} to " +
                $"{long.MaxValue.ToString("N0", CultureInfo.InvariantCulture)})", $"'{Show(text)}', outside it");
        throw Bad(input, lineNumber, $"an integer {what}", $"'{Show(text)}'");
    }

    /// <summary>Digits, after a minus sign or not: a whole number, whatever its size.</summary>
    private static bool IsWholeNumber(ReadOnlySpan<byte> text)
    {
        var digits = text is [(byte)'-', .. var unsigned] ? unsigned : text;
        return !digits.IsEmpty && digits.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0;
    }

    private static DataException Bad(RatingsInput input, long lineNumber, string expected, string found) =>
        new($"{input.Path}, line {lineNumber}: expected {expected}, found {found}.");

    /// <summary>A line's text as an error quotes it: cut at 60 bytes, safe for a terminal.</summary>
    private static string Show(ReadOnlySpan<byte> text)
    {
        const int longest = 60;
        var shown = TerminalText.Safe(Encoding.UTF8.GetString(text[..Math.Min(text.Length, longest)]));
        return text.Length > longest ? shown + "…" : shown;
    }

    /// <summary>The log being built, one growable array per column.</summary>
    private sealed class Columns(bool withSplit)
    {
        private readonly GrowableColumn<long> _user = new(), _item = new(), _timestamp = new();
        private readonly GrowableColumn<float> _rating = new();
        private readonly GrowableColumn<SplitTag>? _split = withSplit ? new() : null;

        public int Count => _user.Count;

        /// <summary>Decided by the first data line: every line must then agree.</summary>
        public bool? HasTimestamp { get; set; }

        public void Add(long user, long item, float rating, long timestampMs, SplitTag split)
        {
            _user.Add(user);
            _item.Add(item);
            _rating.Add(rating);
            if (HasTimestamp == true) _timestamp.Add(timestampMs);
            _split?.Add(split);
        }

        public InteractionLog ToLog()
        {
            var count = _user.Count;
            var log = new InteractionLog(count);
            _user.CopyTo(log.UserId);
            _item.CopyTo(log.ItemId);
            var hasValue = new bool[count];
            Array.Fill(hasValue, true);
            log.Rating = new NullableColumn<float>(_rating.ToArray(), hasValue);
            if (HasTimestamp == true) log.TimestampMs = _timestamp.ToArray();
            log.Split = _split?.ToArray();
            return log;
        }
    }
}
