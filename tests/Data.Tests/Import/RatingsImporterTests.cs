using InverseLearning.Data.Import;

namespace InverseLearning.Data.Tests.Import;

public class RatingsImporterTests
{
    private static RatingsInput Write(TempFolder folder, string name, string text, SplitTag split = SplitTag.Unassigned)
    {
        var path = folder.File(name);
        File.WriteAllText(path, text);
        return new RatingsInput(path, split);
    }

    [Fact]
    public void Reads_movielens_double_colon_lines_with_seconds_as_milliseconds()
    {
        using var folder = new TempFolder();
        var input = Write(folder, "ratings.dat", "1::1193::5::978300760\n1::661::3::978302109\r\n6040::1097::4::956715518");
        var log = RatingsImporter.Read([input]);

        Assert.Equal([1L, 1, 6040], log.UserId);
        Assert.Equal([1193L, 661, 1097], log.ItemId);
        Assert.Equal([5f, 3f, 4f], log.Rating!.Values);
        Assert.All(log.Rating.HasValue, Assert.True);
        Assert.Equal([978_300_760_000L, 978_302_109_000, 956_715_518_000], log.TimestampMs!);
        Assert.Null(log.Split);
        Assert.Null(log.PlayTimeMs);
    }

    [Theory]
    [InlineData("1::1193::5\n2::661::3\n")]
    [InlineData("userId,movieId,rating\n1,1193,5\n2,661,3\n")]    // the header is still found behind the mark
    public void A_byte_order_mark_before_the_first_line_is_not_read_as_part_of_it(string text)
    {
        using var folder = new TempFolder();
        var path = folder.File("bom.dat");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes(text)]);

        var log = RatingsImporter.Read([new RatingsInput(path, SplitTag.Unassigned)]);

        Assert.Equal([1L, 2], log.UserId);
        Assert.Equal([1193L, 661], log.ItemId);
    }

    [Fact]
    public void Reads_tab_and_space_separated_lines_without_timestamps()
    {
        using var folder = new TempFolder();
        var input = Write(folder, "u.tsv", "10\t20\t4.5\n\n  11   21  1\n12\t 22\t2e0\n");
        var log = RatingsImporter.Read([input]);

        Assert.Equal([10L, 11, 12], log.UserId);
        Assert.Equal([20L, 21, 22], log.ItemId);
        Assert.Equal([4.5f, 1f, 2f], log.Rating!.Values);
        Assert.Null(log.TimestampMs);
    }

    [Fact]
    public void Reads_csv_with_a_header_line_and_millisecond_timestamps()
    {
        using var folder = new TempFolder();
        var input = Write(folder, "ratings.csv", "userId,movieId,rating,timestamp\n1, 31, 2.5, 1260759144000\n");
        var log = RatingsImporter.Read([input], new ImportOptions(TimestampUnit.Milliseconds));

        Assert.Equal([1L], log.UserId);
        Assert.Equal([31L], log.ItemId);
        Assert.Equal([2.5f], log.Rating!.Values);
        Assert.Equal([1_260_759_144_000L], log.TimestampMs!);
    }

    [Fact]
    public void Tagged_files_give_each_row_its_split_in_input_order()
    {
        using var folder = new TempFolder();
        var train = Write(folder, "a.tsv", "1 1 5 100\n1 2 4 101\n", SplitTag.Train);
        var valid = Write(folder, "b.tsv", "2 1 1 102\n", SplitTag.Valid);
        var test = Write(folder, "c.dat", "3::2::3::103\n", SplitTag.Test);
        var log = RatingsImporter.Read([train, valid, test]);

        Assert.Equal([SplitTag.Train, SplitTag.Train, SplitTag.Valid, SplitTag.Test], log.Split);
        Assert.Equal([1L, 1, 2, 3], log.UserId);
    }

    [Fact]
    public void Import_writes_a_log_that_reads_back_with_its_split_column()
    {
        using var folder = new TempFolder();
        var train = Write(folder, "a.tsv", "1 1 5 100\n1 2 4 101\n", SplitTag.Train);
        var test = Write(folder, "b.tsv", "2 1 1 102\n", SplitTag.Test);
        var outDir = Path.Combine(folder.Path, "out");
        RatingsImporter.Import([train, test], outDir);

        var log = InteractionLogParquet.Read(Path.Combine(outDir, "interactions.parquet"));
        Assert.Equal([1L, 1, 2], log.UserId);
        Assert.Equal([5f, 4f, 1f], log.Rating!.Values);
        Assert.Equal([SplitTag.Train, SplitTag.Train, SplitTag.Test], log.Split);
        Assert.Equal([100_000L, 101_000, 102_000], log.TimestampMs!);
    }

    [Theory]
    [InlineData("1::2::5::100\nx::2::5::100\n", 2, "integer user id", "'x'")]
    [InlineData("1\t2\t5\n1\tnine\t5\n", 2, "integer item id", "'nine'")]
    [InlineData("1 2 5\n\n3 4 good\n", 3, "a number as the rating", "'good'")]
    [InlineData("1 2 5 100\n3 4 5 7.5e3\n", 2, "a number as the timestamp (fourth field)", "'7.5e3'")]
    [InlineData("1 2 5 100\n3 4 5 7.\n", 2, "a number as the timestamp (fourth field)", "'7.'")]
    [InlineData("1 2 5 100\n3 4 5 300000000000\n", 2, "a timestamp in years 1–9999 (seconds since the Unix epoch, --timestamp-unit)", "'300000000000'")]
    // Digits past 64 bits were told "expected a whole number as the timestamp", which they are.
    [InlineData("1 2 5 100\n3 4 5 99999999999999999999999\n", 2, "a timestamp in years 1–9999 (seconds since the Unix epoch, --timestamp-unit)",
        "'99999999999999999999999'")]
    [InlineData("1 2 5 100\n3 4 5 -\n", 2, "a number as the timestamp", "'-'")]
    [InlineData("1 2 5 100\n3 4 5\n", 2, "4 fields", "3 fields")]
    [InlineData("1 2\n", 1, "3 or 4 fields", "2 fields")]
    [InlineData("1 2 3 4 5\n", 1, "3 or 4 fields", "5 fields")]
    [InlineData("1::2::5::100\n1::2::NaN::100\n", 2, "a number as the rating", "'NaN'")]
    [InlineData("x,10,5,100\n1,10,5,100\n", 1, "integer user id", "'x'")]    // a word for a user, a number for a rating: a bad row, not a header
    [InlineData("u1 10 5\nu2 11 4\n", 1, "integer user id", "'u1'")]
    // A header's first field has a letter: this one is a bad row. A sign and no digit is no number past 64 bits: the line ends there.
    [InlineData("-,10,x\n1,10,5\n", 1, "integer user id", "'-'.")]
    [InlineData("1e3,10,x\n1,10,5\n", 1, "integer user id", "'1e3'")]    // a letter, but a number: a bad row, not a header
    // A terminal's escape sequence is quoted as text, never sent to the terminal; a tab, the fields' separator, as it is.
    [InlineData("1,2,3,4\n5,6,7\u001b]0;T\u0007\n", 2, "4 fields", "'5,6,7\\u001B]0;T\\u0007'")]
    [InlineData("1\t2\t5\t4\n1\t2\t5\n", 2, "4 fields", "'1\t2\t5'")]
    // Digits past 64 bits were told "expected an integer user id", which they are.
    [InlineData("99999999999999999999999,10,5\n", 1, "an integer user id in the 64-bit range (-9,223,372,036,854,775,808 to 9,223,372,036,854,775,807)",
        "'99999999999999999999999', outside it")]
    [InlineData("1 -9223372036854775809 5\n", 1, "an integer item id in the 64-bit range", "'-9223372036854775809', outside it")]
    // A header naming a timestamp over rows of three imported them as "no timestamps" without a word.
    [InlineData("user,item,rating,timestamp\n1,10,5\n", 2, "4 fields like the header (line 1)", "3 fields in '1,10,5' (split at ',', the separator of the header (line 1))")]
    [InlineData("\nuser::item::rating\n1::10::5::100\n", 3, "3 fields like the header (line 2)", "4 fields in '1::10::5::100' (split at '::', the separator of the header (line 2))")]
    // A quote is a field's only where it closes it too: one that opens a field alone is part of it, not stripped with its last digit.
    [InlineData("1,\"10,5\n", 1, "integer item id", "'\"10'")]
    // Two quotes around nothing are an empty field, told as such.
    [InlineData("1,\"\",5\n", 1, "integer item id", "''")]
    public void Bad_lines_are_rejected_naming_file_line_and_expectation(string text, int line, string expected, string found)
    {
        using var folder = new TempFolder();
        var input = Write(folder, "bad.txt", text);
        var e = Assert.Throws<DataException>(() => RatingsImporter.Read([input]));

        Assert.Contains($"{input.Path}, line {line}: expected", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.Contains(found, e.Message);
    }

    [Theory]
    [InlineData("latin1", 3, "not UTF-8 text: byte 0xE9 at byte 3 of the line is not UTF-8 (Latin-1 or Windows-1252, say); convert it first, e.g. iconv -f LATIN1 -t UTF-8")]
    [InlineData("utf-16", 1, "not UTF-8 text: it looks like UTF-16 (NUL bytes, or UTF-16's byte-order mark); convert it first, e.g. iconv -f UTF-16 -t UTF-8")]
    // Without a byte-order mark iconv's UTF-16 is big-endian: a little-endian file is named so (it came out as CJK text).
    [InlineData("utf-16LE", 1, "not UTF-8 text: it looks like UTF-16 (NUL bytes, or UTF-16's byte-order mark); convert it first, e.g. iconv -f UTF-16LE -t UTF-8")]
    [InlineData("utf-16BE", 1, "not UTF-8 text: it looks like UTF-16 (NUL bytes, or UTF-16's byte-order mark); convert it first, e.g. iconv -f UTF-16BE -t UTF-8")]
    public void A_file_that_is_not_utf8_is_told_so_at_its_first_such_line(string encoding, int line, string expected)
    {
        // Its bytes were decoded as replacement characters and quoted as a bad value: "found 'us\uFFFDr'", "found '\uFFFD\uFFFD1\u0000'".
        using var folder = new TempFolder();
        var path = folder.File("ratings.tsv");
        var text = "1\t2\t5\n3\t4\t4\nus\u00E9r\t5\t3\n";
        File.WriteAllBytes(path, encoding switch
        {
            "latin1" => System.Text.Encoding.Latin1.GetBytes(text),
            "utf-16" => [.. System.Text.Encoding.Unicode.GetPreamble(), .. System.Text.Encoding.Unicode.GetBytes(text)],
            "utf-16BE" => System.Text.Encoding.BigEndianUnicode.GetBytes(text),
            _ => System.Text.Encoding.Unicode.GetBytes(text), // no byte-order mark: NUL bytes tell it
        });

        var e = Assert.Throws<DataException>(() => RatingsImporter.Read([new RatingsInput(path)]));

        Assert.Equal($"{path}, line {line}: {expected}.", e.Message);
    }

    [Fact]
    public void A_parquet_file_is_told_as_a_log_already_not_as_utf16()
    {
        using var folder = new TempFolder();
        var path = folder.File("interactions.parquet");
        var log = new InteractionLog(2);
        (log.UserId[0], log.ItemId[0], log.UserId[1], log.ItemId[1]) = (1, 10, 2, 11);
        InteractionLogParquet.Write(log, path);

        var e = Assert.Throws<DataException>(() => RatingsImporter.Read([new RatingsInput(path)]));

        Assert.Equal($"{path}, line 1: not text: it is a Parquet file (it starts with PAR1), a log already: give it to train, inspect or eval as --data.", e.Message);
    }

    [Theory]
    [InlineData("gzip", "gzip-compressed; decompress it first, e.g. gunzip FILE, or --input <(zcat FILE)")]
    [InlineData("zip", "a zip archive; decompress it first, e.g. unzip FILE")]
    [InlineData("zstd", "zstd-compressed; decompress it first, e.g. zstd -d FILE, or --input <(zstdcat FILE)")]
    [InlineData("xz", "xz-compressed; decompress it first, e.g. unxz FILE, or --input <(xzcat FILE)")]
    [InlineData("bzip2", "bzip2-compressed; decompress it first, e.g. bunzip2 FILE, or --input <(bzcat FILE)")]
    public void A_compressed_file_is_told_as_compressed_not_as_another_text_encoding(string format, string expected)
    {
        // A gzip file was called UTF-16, with iconv as the advice, which makes garbage of it.
        using var folder = new TempFolder();
        var path = folder.File("ratings.csv.packed");
        var text = System.Text.Encoding.UTF8.GetBytes("1,10,5\n2,11,3\n");
        using (var file = File.Create(path))
        {
            switch (format)
            {
                case "gzip":
                    using (var gzip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Fastest)) gzip.Write(text);
                    break;
                case "zip":
                    using (var zip = new System.IO.Compression.ZipArchive(file, System.IO.Compression.ZipArchiveMode.Create))
                    using (var entry = zip.CreateEntry("ratings.csv").Open()) entry.Write(text);
                    break;
                default:
                    // The other formats' magic bytes (their streams' first bytes), then data the reader never reaches.
                    byte[] magic = format switch
                    {
                        "zstd" => [0x28, 0xB5, 0x2F, 0xFD, 0x04, 0x58],
                        "xz" => [0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00, 0x00, 0x04],
                        _ => [(byte)'B', (byte)'Z', (byte)'h', (byte)'9', 0x31, 0x41, 0x59, 0x26, 0x53, 0x59, 0x8E],
                    };
                    file.Write([.. magic, 0x00, 0xC3, 0x28, (byte)'\n']);
                    break;
            }
        }

        var e = Assert.Throws<DataException>(() => RatingsImporter.Read([new RatingsInput(path)]));

        Assert.Equal($"{path}, line 1: not text: it is {expected}.", e.Message);
    }

    [Theory]
    [InlineData("-1", TimestampUnit.Milliseconds, true)]                    // 1969-12-31, as train reads it
    [InlineData("-62135596800", TimestampUnit.Seconds, true)]               // 0001-01-01T00:00:00
    [InlineData("-62135596801", TimestampUnit.Seconds, false)]
    [InlineData("253402300799999", TimestampUnit.Milliseconds, true)]       // 9999-12-31T23:59:59.999
    [InlineData("253402300800000", TimestampUnit.Milliseconds, false)]
    [InlineData("9223372036854775807", TimestampUnit.Milliseconds, false)]
    [InlineData("-9223372036854775808", TimestampUnit.Seconds, false)]      // past what milliseconds hold
    public void A_timestamp_is_imported_exactly_when_train_reads_its_day(string timestamp, TimestampUnit unit, bool accepted)
    {
        using var folder = new TempFolder();
        var input = Write(folder, "ratings.csv", $"1,10,5,{timestamp}\n");
        var options = new ImportOptions { TimestampUnit = unit };
        if (accepted)
        {
            var ms = RatingsImporter.Read([input], options).TimestampMs![0];
            Assert.Equal(UtcDay.Of(ms), RowDays.TimestampDay(ms, "log", 0));
            return;
        }
        var e = Assert.Throws<DataException>(() => RatingsImporter.Read([input], options));
        Assert.Equal($"{input.Path}, line 1: expected a timestamp in years 1–9999 ({(unit == TimestampUnit.Seconds ? "seconds" : "milliseconds")} since the Unix epoch, --timestamp-unit), found '{timestamp}'.", e.Message);
    }

    [Theory]
    // KuaiRec writes seconds with their milliseconds: they were refused as no whole number.
    [InlineData("1593898068.378", TimestampUnit.Seconds, 1_593_898_068_378L)]
    [InlineData("1593898068.5", TimestampUnit.Seconds, 1_593_898_068_500L)]
    [InlineData("1593898068.3789", TimestampUnit.Seconds, 1_593_898_068_378L)]
    [InlineData("1593898068378.9", TimestampUnit.Milliseconds, 1_593_898_068_378L)]
    // Floored, not cut toward 0: a moment before 1970 keeps its day.
    [InlineData("-0.0005", TimestampUnit.Seconds, -1L)]
    [InlineData("-7.5", TimestampUnit.Seconds, -7_500L)]
    [InlineData("-1.25", TimestampUnit.Milliseconds, -2L)]
    public void A_fractional_timestamp_is_read_to_the_millisecond(string timestamp, TimestampUnit unit, long ms)
    {
        using var folder = new TempFolder();
        var input = Write(folder, "ratings.csv", $"1,10,5,{timestamp}\n");
        Assert.Equal([ms], RatingsImporter.Read([input], new ImportOptions(unit)).TimestampMs!);
    }

    [Fact]
    public void Quoted_fields_are_read_as_their_text()
    {
        // A quoting CSV writer's "1","10","4.5" was refused: the quotes were read as part of each number.
        using var folder = new TempFolder();
        var input = Write(folder, "ratings.csv", "\"item_id\",\"user_id\",\"rating\",\"timestamp\"\n\"10\",\"1\",\"4.5\",\"978300760\"\n\"11\", \"2\" ,\"3\",\"978300761\"\n");
        var log = RatingsImporter.Read([input]);

        Assert.Equal([1L, 2], log.UserId);
        Assert.Equal([10L, 11], log.ItemId);
        Assert.Equal([4.5f, 3f], log.Rating!.Values);
        Assert.Equal([978_300_760_000L, 978_300_761_000], log.TimestampMs!);
    }

    [Theory]
    [InlineData("user::item::rating\n1::10::5\n")]
    [InlineData("user,item,rating\n1,10,5\n")]
    [InlineData("user\titem\trating\n1\t10\t5\n")]
    public void A_header_line_is_skipped_whatever_the_separator(string text)
    {
        using var folder = new TempFolder();
        var log = RatingsImporter.Read([Write(folder, "ratings.txt", text)]);
        Assert.Equal([1L], log.UserId);
        Assert.Equal([10L], log.ItemId);
        Assert.Equal([5f], log.Rating!.Values);
    }

    [Theory]
    // Its names were ignored: 1 user on 3 items imported as 3 users on 1 item, without a word.
    [InlineData("movieId,userId,rating,timestamp\n10,1,5,978300760\n11,1,4,978300761\n12,1,1,978300762\n")]
    [InlineData("item_id,user_id,rating,ts\n10,1,5,978300760\n11,1,4,978300761\n12,1,1,978300762\n")]
    [InlineData("UserID\tTime\tVideo_ID\tScore\n1\t978300760\t10\t5\n1\t978300761\t11\t4\n1\t978300762\t12\t1\n")]
    [InlineData("user_id,video_id,timestamp,watch_ratio\n1,10,978300760,5\n1,11,978300761,4\n1,12,978300762,1\n")]
    // Underscores are no part of a name: spellings the list writes with one match without it, and the other way round.
    [InlineData("USER,bookId,watchRatio,time_stamp\n1,10,5,978300760\n1,11,4,978300761\n1,12,1,978300762\n")]
    public void A_header_places_the_columns_by_their_names(string text)
    {
        using var folder = new TempFolder();
        var log = RatingsImporter.Read([Write(folder, "ratings.csv", text)]);

        Assert.Equal([1L, 1, 1], log.UserId);
        Assert.Equal([10L, 11, 12], log.ItemId);
        Assert.Equal([5f, 4f, 1f], log.Rating!.Values);
        Assert.Equal([978_300_760_000L, 978_300_761_000, 978_300_762_000], log.TimestampMs!);
    }

    [Theory]
    [InlineData("movieId,foo,rating\n10,1,5\n", "no user column, in the header 'movieId,foo,rating'")]
    [InlineData("userId,uid,rating\n1,1,5\n", "'uid' naming the user again (after 'userId'), in the header 'userId,uid,rating'")]
    [InlineData("user,item,rating,time,ts\n1,10,5,1,1\n", "'ts' naming the timestamp again (after 'time'), in the header 'user,item,rating,time,ts'")]
    [InlineData("user,item,rating,timestamp,TIME_STAMP\n1,10,5,1,1\n", "'TIME_STAMP' naming the timestamp again (after 'timestamp'), in the header 'user,item,rating,timestamp,TIME_STAMP'")]
    [InlineData("user,item,timestamp\n1,10,978300760\n", "no rating column, in the header 'user,item,timestamp'")]
    [InlineData("user,item,stars,timestamp\n1,10,5,978300760\n", "no rating column, in the header 'user,item,stars,timestamp'")]
    public void A_header_whose_names_do_not_place_the_columns_is_refused(string text, string found)
    {
        using var folder = new TempFolder();
        var input = Write(folder, "ratings.csv", text);
        var e = Assert.Throws<DataException>(() => RatingsImporter.Read([input]));
        Assert.Equal($"{input.Path}, line 1: expected a header naming the user (user, userId, user_id, uid), item (item, itemId, item_id, movieId, movie_id, video_id, book_id, iid), " +
            $"rating (rating, score, watch_ratio) and optionally the timestamp (timestamp, time, ts) columns, each once, found {found}.", e.Message);
    }

    [Fact]
    public void A_kuairec_log_is_read_past_the_columns_import_does_not_read()
    {
        // KuaiRec's small_matrix.csv, as published: it was refused whole, for naming columns import does not read.
        using var folder = new TempFolder();
        var input = Write(folder, "small_matrix.csv",
            "user_id,video_id,play_duration,video_duration,time,date,timestamp,watch_ratio\n" +
            "14,148,4381,6067,2020-07-05 05:27:48.378,20200705.0,1593898068.378,0.722\n" +
            "14,183,11635,6100,2020-07-05 05:28:00.057,20200705.0,1593898080.057,1.907\n");
        var notes = new List<string>();

        var log = RatingsImporter.Read([input], new ImportOptions(RatingMin: 0, RatingMax: 100, Note: notes.Add));

        Assert.Equal([14L, 14], log.UserId);
        Assert.Equal([148L, 183], log.ItemId);
        Assert.Equal([0.722f, 1.907f], log.Rating!.Values);
        Assert.Equal([1_593_898_068_378L, 1_593_898_080_057], log.TimestampMs!); // 'timestamp', the column's own name, read; 'time' not
        Assert.Equal([$"note: {input.Path}: 4 columns not read: 'play_duration', 'video_duration', 'time', 'date' (import reads the user, item, rating and timestamp)"], notes);
    }

    [Theory]
    [InlineData("user,item,rating,genre\n1,10,5,drama\n", "'genre'")]
    [InlineData("genre,rating,item,user\ndrama,5,10,1\n", "'genre'")]
    [InlineData("timestamp,user,item,time,rating\n978300760,1,10,x,5\n", "'time'")] // the column's own name wins, wherever it stands
    [InlineData("time,user,item,timestamp,rating\nx,1,10,978300760,5\n", "'time'")]
    public void A_column_a_header_names_and_import_does_not_read_is_told_and_left_out(string text, string notRead)
    {
        using var folder = new TempFolder();
        var input = Write(folder, "ratings.csv", text);
        var notes = new List<string>();

        var log = RatingsImporter.Read([input], new ImportOptions(Note: notes.Add));

        Assert.Equal([1L], log.UserId);
        Assert.Equal([10L], log.ItemId);
        Assert.Equal([5f], log.Rating!.Values);
        Assert.Equal(text.Contains("timestamp", StringComparison.Ordinal) ? [978_300_760_000L] : null, log.TimestampMs);
        Assert.Equal([$"note: {input.Path}: 1 column not read: {notRead} (import reads the user, item, rating and timestamp)"], notes);
    }

    [Fact]
    public void A_quoted_field_holding_the_separator_is_one_field()
    {
        // A review's text ("Great, really") split into two fields, and every such row was refused as one field too many.
        using var folder = new TempFolder();
        var notes = new List<string>();
        // A text that opens with a quotation, and one after a blank, hold theirs too.
        var input = Write(folder, "reviews.csv", "user_id,item_id,rating,summary\n1,10,5,\"Great, really\"\n2,11,4,\"He said \"\"fine, fine\"\"\"\n3,12,3,plain\n" +
            "4,13,2,\"\"\"Fine,\"\" he said\"\n5,14,1, \"Good, good\"\n");

        var log = RatingsImporter.Read([input], new ImportOptions(Note: notes.Add));

        Assert.Equal([1L, 2, 3, 4, 5], log.UserId);
        Assert.Equal([5f, 4f, 3f, 2f, 1f], log.Rating!.Values);
        Assert.Equal([$"note: {input.Path}: 1 column not read: 'summary' (import reads the user, item, rating and timestamp)"], notes);
    }

    [Fact]
    public void A_header_after_an_unnamed_index_column_is_read_as_one()
    {
        // pandas' to_csv writes its index unnamed first: the line was taken for a row, and refused as 5 fields.
        using var folder = new TempFolder();
        var notes = new List<string>();
        var input = Write(folder, "ratings.csv", ",userId,movieId,rating,timestamp\n0,1,10,4.0,978300760\n1,1,11,3.5,978300761\n");

        var log = RatingsImporter.Read([input], new ImportOptions(Note: notes.Add));

        Assert.Equal([1L, 1], log.UserId);
        Assert.Equal([10L, 11], log.ItemId);
        Assert.Equal([4f, 3.5f], log.Rating!.Values);
        // Named by its place: "not read: ''" before.
        Assert.Equal([$"note: {input.Path}: 1 column not read: field 1, unnamed (import reads the user, item, rating and timestamp)"], notes);
    }

    [Theory]
    [InlineData("user_id,video_id,rating,  \n1,10,4,x\n", "field 4, unnamed")]   // a name of spaces is none
    [InlineData("user_id,video_id,rating,note\u001b[31m\n1,10,4,x\n", "'note\\u001B[31m'")]   // a terminal's escape shown, not sent
    public void An_unread_column_is_named_as_a_terminal_can_show_it(string text, string named)
    {
        using var folder = new TempFolder();
        var notes = new List<string>();
        var input = Write(folder, "ratings.csv", text);

        RatingsImporter.Read([input], new ImportOptions(Note: notes.Add));

        Assert.Equal([$"note: {input.Path}: 1 column not read: {named} (import reads the user, item, rating and timestamp)"], notes);
    }

    [Theory]
    [InlineData("userId,movieId,rating\n1,10,4.0\n2,11,3.5\nuserId,movieId,rating\n3,12,5.0\n", 4, "userId,movieId,rating")]
    [InlineData("1,10,4.0\nuserId,movieId,rating\n3,12,5.0\n", 2, "userId,movieId,rating")]   // no header first: the later one still is one
    [InlineData(",userId,movieId,rating\n0,1,10,4.0\n,userId,movieId,rating\n", 3, ",userId,movieId,rating")]
    [InlineData("UserID,MovieID,Rating\n1,10,4.0\nUserID,MovieID,Rating\n", 3, "UserID,MovieID,Rating")]   // in capitals, as some exports write it
    public void A_header_in_the_middle_of_a_file_is_told_as_a_header(string text, int line, string header)
    {
        // Files joined with their headers (`cat a.csv b.csv`): the second header was told as "expected an integer user id, found 'userId'".
        using var folder = new TempFolder();
        var input = Write(folder, "joined.csv", text);

        var e = Assert.Throws<DataException>(() => RatingsImporter.Read([input]));

        Assert.Equal($"{input.Path}, line {line}: expected a rating line, found a header, '{header}', in the middle of the file: were files joined with their headers? " +
            "Keep the first header only.", e.Message);
    }

    [Theory]
    [InlineData(8, "")]
    [InlineData(9, " and 1 more")]
    [InlineData(10, " and 2 more")]
    public void A_wide_headers_unread_columns_are_named_up_to_eight(int unread, string more)
    {
        // KuaiRand's logs name dozens of columns: all of them on one note line ran to hundreds of characters.
        using var folder = new TempFolder();
        var extra = Enumerable.Range(1, unread).Select(i => $"feat{i}").ToList();
        var input = Write(folder, "wide.csv", $"user_id,video_id,rating,{string.Join(",", extra)}\n1,10,5,{string.Join(",", extra.Select(_ => "0"))}\n");
        var notes = new List<string>();

        RatingsImporter.Read([input], new ImportOptions(Note: notes.Add));

        Assert.Equal([$"note: {input.Path}: {unread} columns not read: {string.Join(", ", extra.Take(8).Select(name => $"'{name}'"))}{more} (import reads the user, item, rating and timestamp)"], notes);
    }

    [Fact]
    public void A_header_of_only_the_columns_import_reads_makes_no_note()
    {
        using var folder = new TempFolder();
        var notes = new List<string>();
        RatingsImporter.Read([Write(folder, "ratings.csv", "user,item,rating\n1,10,5\n")], new ImportOptions(Note: notes.Add));
        Assert.Empty(notes);
    }

    [Fact]
    public void Rows_under_a_wide_header_have_its_count_of_fields()
    {
        using var folder = new TempFolder();
        var input = Write(folder, "ratings.csv", "user,item,rating,genre,year\n1,10,5,drama,1999\n1,11,4,drama\n");
        var e = Assert.Throws<DataException>(() => RatingsImporter.Read([input]));
        Assert.Equal($"{input.Path}, line 3: expected 5 fields like the header (line 1), found 4 fields in '1,11,4,drama' (split at ',', the separator of the header (line 1)).", e.Message);
    }

    [Fact]
    public void A_header_of_more_columns_than_the_limit_is_refused()
    {
        using var folder = new TempFolder();
        const int limit = 64;
        var names = string.Join(",", new[] { "user", "item", "rating" }.Concat(Enumerable.Range(0, limit - 2).Select(k => $"c{k}")));
        var input = Write(folder, "ratings.csv", names + "\n");
        var e = Assert.Throws<DataException>(() => RatingsImporter.Read([input]));
        Assert.StartsWith($"{input.Path}, line 1: expected a header of at most {limit} columns, found {limit + 1} in 'user,item,rating,c0,", e.Message);

        var widest = names[..names.LastIndexOf(',')];
        var log = RatingsImporter.Read([Write(folder, "widest.csv", widest + "\n1,10,5" + string.Concat(Enumerable.Repeat(",x", limit - 3)) + "\n")]);
        Assert.Equal([10L], log.ItemId);
    }

    [Theory]
    [InlineData("user,item,rating,timestamp\n1,10,5,978300760\n", "user,item,rating\n2,10,5\n", "a header naming a timestamp column, as the lines before had timestamps")]
    [InlineData("1,10,5\n", "user,item,rating,ts\n2,10,5,978300760\n", "a header naming no timestamp column, as the lines before had none")]
    public void A_second_files_header_must_agree_on_timestamps_with_the_first(string first, string second, string expected)
    {
        using var folder = new TempFolder();
        var a = Write(folder, "a.csv", first);
        var b = Write(folder, "b.csv", second);
        var e = Assert.Throws<DataException>(() => RatingsImporter.Read([a, b]));
        Assert.Equal($"{b.Path}, line 1: expected {expected}, found '{second[..second.IndexOf('\n')]}'.", e.Message);
    }

    [Fact]
    public void A_bad_value_under_a_header_is_told_by_its_field_and_name()
    {
        using var folder = new TempFolder();
        var input = Write(folder, "ratings.csv", "item,user,score\n10,1,x\n");
        var e = Assert.Throws<DataException>(() => RatingsImporter.Read([input]));
        Assert.Equal($"{input.Path}, line 2: expected a number as the rating (field 3, 'score'), found 'x'.", e.Message);
    }

    [Theory]
    [InlineData("\n1::10::5\n1,10,5\n", 3, "found 1 field in '1,10,5' (split at '::', the separator of the first line (line 2))")]
    [InlineData("1::10::5::7::8\n", 1, "found 5 fields in '1::10::5::7::8' (split at '::', the separator of the first line (line 1))")]
    // A first line of none of the separators was said to be split at tabs/spaces, "the separator of the first line", which it did not hold.
    [InlineData("1;10;5\n", 1, "found 1 field in '1;10;5' (the first line (line 1) holds none of the separators: '::', ',', tabs or spaces)")]
    public void A_line_of_too_few_fields_says_where_the_separator_came_from(string text, int line, string found)
    {
        using var folder = new TempFolder();
        var input = Write(folder, "ratings.txt", text);
        var e = Assert.Throws<DataException>(() => RatingsImporter.Read([input]));
        Assert.Equal($"{input.Path}, line {line}: expected 3 or 4 fields (user, item, rating and optionally a timestamp), {found}.", e.Message);
    }

    [Fact]
    public void A_line_past_the_limit_is_refused_naming_it_not_held_whole()
    {
        using var folder = new TempFolder();
        var input = Write(folder, "long.txt", "1 2 5\n" + new string('1', (1 << 20) + 10) + "\n");

        var e = Assert.Throws<DataException>(() => RatingsImporter.Read([input]));

        Assert.Equal($"{input.Path}, line 2: longer than 1 MiB; expected lines of user, item, rating and optionally a timestamp", e.Message);
    }

    [Fact]
    public void A_file_given_twice_or_the_file_the_import_writes_is_refused_through_links_of_either_kind()
    {
        using var folder = new TempFolder();
        var ratings = Write(folder, "r.csv", "1,2,5\n");
        var asTest = new RatingsInput(Path.Combine(folder.Path, ".", "r.csv"), SplitTag.Test);

        Assert.Equal($"--input {ratings.Path} is given 2 times; give each file once",
            Assert.Throws<DataException>(() => RatingsImporter.Read([ratings with { Split = SplitTag.Train }, asTest])).Message);
        File.CreateSymbolicLink(folder.File("r2.csv"), ratings.Path);
        Assert.Contains("is given 2 times", Assert.Throws<DataException>(() => RatingsImporter.Read([ratings with { Split = SplitTag.Train }, new RatingsInput(folder.File("r2.csv"), SplitTag.Test)])).Message);
        FileIdentityTests.HardLink(ratings.Path, folder.File("r3.csv"));
        Assert.Equal($"--input {ratings.Path} is given 2 times; give each file once",
            Assert.Throws<DataException>(() => RatingsImporter.Read([ratings with { Split = SplitTag.Train }, new RatingsInput(folder.File("r3.csv"), SplitTag.Test)])).Message);
        var target = Write(folder, "interactions.parquet", "1,2,5\n");
        Assert.StartsWith($"--input {target.Path} is the file this import writes",
            Assert.Throws<DataException>(() => RatingsImporter.Import([target], folder.Path)).Message);
        Assert.Equal("1,2,5\n", File.ReadAllText(target.Path));
        FileIdentityTests.HardLink(target.Path, folder.File("linked.csv"));
        Assert.StartsWith($"--input {folder.File("linked.csv")} is the file this import writes",
            Assert.Throws<DataException>(() => RatingsImporter.Import([new RatingsInput(folder.File("linked.csv"))], folder.Path)).Message);
    }

    [Fact]
    public void A_named_pipe_with_a_writer_is_read_as_it_is_written()
    {
        using var folder = new TempFolder();
        var pipe = folder.File("ratings.fifo");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [pipe])) mkfifo.WaitForExit();
        using var writer = System.Diagnostics.Process.Start("sh", ["-c", $"printf '1 2 5\\n3 4 1\\n' > '{pipe}'"]);

        var log = RatingsImporter.Read([new RatingsInput(pipe)]);

        Assert.Equal([1L, 3L], log.UserId);
        Assert.Equal([2L, 4L], log.ItemId);
    }

    [Theory]
    [InlineData("/proc/self/fd/")]
    [InlineData("/dev/fd/")]
    public void An_anonymous_pipe_by_its_descriptor_link_is_read_as_a_process_substitution_gives_it(string folder)
    {
        // `--input <(zcat log.gz)` gives /dev/fd/63, whose link reads "pipe:[123]": it was refused as a link to a file that does not exist.
        using var pipe = new System.IO.Pipes.AnonymousPipeServerStream(System.IO.Pipes.PipeDirection.Out);
        using var readEnd = pipe.ClientSafePipeHandle;
        pipe.Write("1 2 5\n3 4 1\n"u8);
        pipe.Dispose();   // the writer's end closed: the reader finds the lines, then the end

        var log = RatingsImporter.Read([new RatingsInput(folder + readEnd.DangerousGetHandle().ToInt32())]);

        Assert.Equal([1L, 3L], log.UserId);
        Assert.Equal([2L, 4L], log.ItemId);
    }

    [Fact]
    public void Line_numbers_count_across_buffer_refills()
    {
        using var folder = new TempFolder();
        var text = new System.Text.StringBuilder();
        for (var i = 1; i <= 200_000; i++) text.Append(i).Append("::").Append(i % 97).Append("::3::").Append(1000 + i).Append('\n');
        text.Append("5::5::oops::5\n");
        var input = Write(folder, "big.dat", text.ToString());

        var e = Assert.Throws<DataException>(() => RatingsImporter.Read([input]));
        Assert.Contains("line 200001:", e.Message);
    }

    [Fact]
    public void A_large_file_is_read_completely()
    {
        using var folder = new TempFolder();
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < 150_000; i++) text.Append(i).Append('\t').Append(i * 7).Append('\t').Append(i % 5 + 1).Append('\n');
        var log = RatingsImporter.Read([Write(folder, "big.tsv", text.ToString())]);

        Assert.Equal(150_000, log.Count);
        Assert.Equal(149_999L * 7, log.ItemId[^1]);
        Assert.Equal(149_999 % 5 + 1, log.Rating!.Values[^1]);
    }

    [Fact]
    public void Empty_missing_or_half_tagged_inputs_are_rejected()
    {
        using var folder = new TempFolder();
        var empty = Write(folder, "empty.csv", "userId,movieId,rating\n\n");
        Assert.Contains("no rating lines", Assert.Throws<DataException>(() => RatingsImporter.Read([empty])).Message);

        var missing = new RatingsInput(folder.File("nope.dat"));
        Assert.Contains("nope.dat: file not found", Assert.Throws<DataException>(() => RatingsImporter.Read([missing])).Message);

        var a = Write(folder, "a.dat", "1::1::1\n", SplitTag.Train);
        var b = Write(folder, "b.dat", "1::2::1\n");
        Assert.Contains("1 of 2 are tagged", Assert.Throws<DataException>(() => RatingsImporter.Read([a, b])).Message);
    }

    [Theory]
    [InlineData("train=a.tsv", "a.tsv", SplitTag.Train)]
    [InlineData("valid=dir/b.tsv", "dir/b.tsv", SplitTag.Valid)]
    [InlineData("validation=b.tsv", "b.tsv", SplitTag.Valid)]
    [InlineData("TEST=c.tsv", "c.tsv", SplitTag.Test)]
    [InlineData("ratings.dat", "ratings.dat", SplitTag.Unassigned)]
    public void Input_specs_parse_an_optional_split(string spec, string path, SplitTag split)
    {
        Assert.Equal(new RatingsInput(path, split), RatingsInput.Parse(spec));
    }

    [Fact]
    public void Unknown_split_names_are_rejected()
    {
        var e = Assert.Throws<DataException>(() => RatingsInput.Parse("holdout=a.tsv"));
        Assert.Contains("unknown split 'holdout'", e.Message);
    }
}
