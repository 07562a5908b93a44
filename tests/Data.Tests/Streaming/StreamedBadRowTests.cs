using InverseLearning.Data.Import;
using InverseLearning.Data.Tests.Lake;
using static InverseLearning.Data.Tests.ParquetFixture;

namespace InverseLearning.Data.Tests.Streaming;

/// <summary>
/// Bad rows in a streamed read: under skip the first pass and every epoch leave out the same
/// rows a whole read does, counted once and numbered in file order; under fail the first
/// pass stops with the whole read's message, whichever column is bad.
/// </summary>
public class StreamedBadRowTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static readonly LabelingOptions ByRating = new(LabelRule.Rating);

    private void WriteLake()
    {
        LakeFiles.Part(_folder.At("a.parquet"), 1, 3);
        Write(_folder.At("b.parquet"), 2,
            NullableInt64("user_id", 10, null, 12, 13, null, 15, 16),
            Int64("item_id", 1, 2, 3, 4, 5, 6, 7),
            NullableFloat("rating", 4, 4, 9, 1, 4, 5, 2));
    }

    private PreparedDataset Stream(BadRowPolicy policy) =>
        PreparedDataset.Stream(new LakeSource(LogDataset.Open(_folder.Path), new ReadOptions(policy), ByRating, new SplitOptions(Seed: 1, TrainShare: 1, ValidShare: 0, ByHash: true)),
            FeedbackOptions.Default, middleBand: false, shuffleBuffer: 4);

    /// <summary>The rating range import-ratings records is the streamed read's as it is the whole read's: each part's checks take it.</summary>
    [Fact]
    public void A_log_imported_with_a_wider_rating_range_streams_with_that_range_as_it_is_read_whole()
    {
        using var input = new TempFolder();
        File.WriteAllText(input.File("ratings.tsv"), "1 10 8\n1 11 0.5\n2 10 10\n");
        RatingsImporter.Import([new RatingsInput(input.File("ratings.tsv"))], _folder.Path, new ImportOptions(RatingMin: 0.5f, RatingMax: 10));

        var whole = InteractionLogParquet.Read(_folder.At("interactions.parquet"));
        var streamed = Stream(BadRowPolicy.Fail);

        Assert.Equal([8f, 0.5f, 10f], whole.Rating!.Values);
        Assert.Equal(0, streamed.Streamed!.SkippedRows.Total);
        Assert.Equal(whole.Count, streamed.TrainRows.Count);
    }

    [Fact]
    public void Skipped_rows_are_left_out_of_the_first_pass_and_of_every_epoch()
    {
        WriteLake();
        var streamed = Stream(BadRowPolicy.Skip);

        var skipped = streamed.Streamed!.SkippedRows;
        Assert.Equal(3, skipped.Total);
        Assert.Equal([5L, 8L], skipped.FirstRows(BadRowReason.NullUserId));
        Assert.Equal([6L], skipped.FirstRows(BadRowReason.RatingOutOfRange));
        // Rows kept: a's 3 and b's users 10, 13, 15, 16 — all in train (TrainShare 1).
        Assert.Equal([0L, 1, 2, 3, 10, 13, 15, 16], streamed.Users.RawIds.ToArray());
        Assert.Equal(7, streamed.TrainRows.Count);
        var epoch = streamed.TrainRows.Batches(3, 0, null, seed: 2).Epoch(0).SelectMany(b => b.Users.ToArray()).Order().ToArray();
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], epoch);
    }

    [Fact]
    public void A_row_skipped_for_a_column_the_labels_do_not_read_is_left_out_of_both_passes()
    {
        // Labeled by rating, row 2's play time is negative: the second pass, which otherwise reads only what its rules need,
        // must read and check that column too under skip, or it would meet a row the first pass left out.
        Write(_folder.At("a.parquet"), 2, NullableInt64("user_id", 1, 2, 3), Int64("item_id", 1, 2, 3), NullableFloat("rating", 4, 4, 4),
            NullableInt64("play_time_ms", 10, -5, 10));

        var streamed = Stream(BadRowPolicy.Skip);

        Assert.Equal([2L], streamed.Streamed!.SkippedRows.FirstRows(BadRowReason.NegativePlayTime));
        Assert.Equal([0L, 1, 3], streamed.Users.RawIds.ToArray());
        Assert.Equal(2, streamed.TrainRows.Count);
    }

    [Fact]
    public void Skipped_rows_in_several_part_files_are_told_with_their_file_and_their_row_there()
    {
        Write(_folder.At("a.parquet"), 2, NullableInt64("user_id", 1, null, 3), Int64("item_id", 1, 2, 3), NullableFloat("rating", 4, 4, 4));
        Write(_folder.At("b.parquet"), 2, NullableInt64("user_id", null, 11), Int64("item_id", 1, 2), NullableFloat("rating", 4, 4));
        var options = new ReadOptions(BadRowPolicy.Skip);

        var held = LogDataset.Open(_folder.Path).Read(options).Log.SkippedRows;
        var streamed = PreparedDataset.Stream(new LakeSource(LogDataset.Open(_folder.Path), options, ByRating, new SplitOptions(Seed: 1, TrainShare: 1, ValidShare: 0, ByHash: true)),
            FeedbackOptions.Default, middleBand: false, shuffleBuffer: 4).Streamed!.SkippedRows;

        foreach (var report in new[] { held, streamed })
            Assert.Equal($"user_id: 2 rows skipped (expected a user id, found null), first at rows 2 ({_folder.At("a.parquet")}, its row 2), 4 ({_folder.At("b.parquet")}, its row 1)",
                Assert.Single(report.Describe(options)));
    }

    [Fact]
    public void Skipped_rows_all_in_one_part_file_of_several_are_told_with_their_file_too()
    {
        Write(_folder.At("a.parquet"), 2, NullableInt64("user_id", 1, null, 3), Int64("item_id", 1, 2, 3), NullableFloat("rating", 4, 4, 4));
        LakeFiles.Part(_folder.At("b.parquet"), 10, 2);
        var options = new ReadOptions(BadRowPolicy.Skip);

        var held = LogDataset.Open(_folder.Path).Read(options).Log.SkippedRows;

        Assert.EndsWith($"first at row 2 ({_folder.At("a.parquet")}, its row 2)", Assert.Single(held.Describe(options)));
    }

    [Fact]
    public void A_bad_row_stops_the_first_pass_with_the_whole_reads_message()
    {
        WriteLake();
        var whole = Assert.Throws<DataException>(() => LogDataset.Open(_folder.Path).Read(new ReadOptions()));
        var streamed = Assert.Throws<DataException>(() => Stream(BadRowPolicy.Fail));
        Assert.Equal(whole.Message, streamed.Message);
        Assert.Contains("b.parquet", streamed.Message);
    }

    [Fact]
    public void A_bad_value_in_a_column_the_epochs_do_not_read_still_stops_the_first_pass()
    {
        // Only the timestamp is bad (null): the epochs read ids and ratings alone, the first pass checks every column.
        Write(_folder.At("a.parquet"),
            Int64("user_id", 1, 2),
            Int64("item_id", 1, 2),
            NullableFloat("rating", 4, 1),
            NullableInt64("timestamp", 5, 6));
        Write(_folder.At("b.parquet"),
            Int64("user_id", 10, 11),
            Int64("item_id", 1, 2),
            NullableFloat("rating", 4, 1),
            NullableInt64("timestamp", 5, null));
        var e = Assert.Throws<DataException>(() => Stream(BadRowPolicy.Fail));
        Assert.Contains("timestamp", e.Message);
    }

    [Fact]
    public void A_lake_changed_after_the_first_pass_is_refused_not_trained_on()
    {
        LakeFiles.Part(_folder.At("a.parquet"), 1, 3);
        Write(_folder.At("b.parquet"), Int64("user_id", 10, 11, 13), Int64("item_id", 1000, 1001, 1002), NullableFloat("rating", 4, 4, 4));
        var streamed = Stream(BadRowPolicy.Fail);
        List<int> Epoch() => streamed.TrainRows.Batches(2, 0, null, seed: 1).Epoch(0).SelectMany(b => b.Users.ToArray()).ToList();
        Assert.Equal(6, Epoch().Count);

        // A user the first pass never saw, between the part's least and greatest (its footer as it was): refused, naming the part.
        Write(_folder.At("b.parquet"), Int64("user_id", 10, 12, 13), Int64("item_id", 1000, 1001, 1002), NullableFloat("rating", 4, 4, 4));
        var unknown = Assert.Throws<DataException>(Epoch);
        Assert.Contains("b.parquet: changed since the run's first pass: user_id 12 was not in it", unknown.Message);

        // Known ids, one more row: the part's stamp (its length and footer) is no longer the first pass's.
        Write(_folder.At("b.parquet"), Int64("user_id", 10, 11, 12, 1), Int64("item_id", 1000, 1001, 1002, 1000), NullableFloat("rating", 4, 4, 4, 4));
        var more = Assert.Throws<DataException>(Epoch);
        Assert.Contains("b.parquet: changed since the run's first pass: rewritten: ", more.Message);
    }

    [Fact]
    public void A_part_rewritten_after_the_first_pass_with_the_same_training_rows_is_refused_by_its_stamp()
    {
        // Another timestamp, a column no label reads: the groups' digests match, but eval, export and --resume refuse the checkpoint for
        // the part's stamp; the run ended without a word, its checkpoint then refused.
        Write(_folder.At("a.parquet"), Int64("user_id", 1, 2, 3), Int64("item_id", 1000, 1001, 1002), NullableFloat("rating", 4, 4, 4), NullableInt64("timestamp", 5, 6, 7));
        Write(_folder.At("b.parquet"), Int64("user_id", 10, 11, 12), Int64("item_id", 1000, 1001, 1002), NullableFloat("rating", 4, 4, 4), NullableInt64("timestamp", 5, 6, 7));
        var streamed = Stream(BadRowPolicy.Fail);
        List<int> Epoch() => streamed.TrainRows.Batches(2, 0, null, seed: 1).Epoch(0).SelectMany(b => b.Users.ToArray()).ToList();
        Assert.Equal(6, Epoch().Count);

        Write(_folder.At("b.parquet"), Int64("user_id", 10, 11, 12), Int64("item_id", 1000, 1001, 1002), NullableFloat("rating", 4, 4, 4), NullableInt64("timestamp", 5, 6, 8));

        Assert.StartsWith($"{_folder.At("b.parquet")}: changed since the run's first pass: rewritten: ", Assert.Throws<DataException>(Epoch).Message);
        Assert.Contains("b.parquet: changed since the run's first pass: rewritten: ", Assert.Throws<DataException>(() => streamed.Streamed!.All.Positives()).Message);
    }

    [Fact]
    public async Task A_part_rewritten_after_a_later_pass_opened_its_footer_is_refused_by_its_stamp_when_the_pass_reads_it()
    {
        // A pass opens every part's footer first and each part again when it reads it: a part rewritten in between (the same
        // training rows, another timestamp) read with its new footer and passed the digests; it is checked as it is opened for its rows.
        Write(_folder.At("a.parquet"), Int64("user_id", 1, 2, 3), Int64("item_id", 1000, 1001, 1002), NullableFloat("rating", 4, 4, 4), NullableInt64("timestamp", 5, 6, 7));
        Write(_folder.At("b.parquet"), Int64("user_id", 10, 11, 12), Int64("item_id", 1000, 1001, 1002), NullableFloat("rating", 4, 4, 4), NullableInt64("timestamp", 5, 6, 7));
        var source = Stream(BadRowPolicy.Fail).Streamed!.All.Source;
        await using var pass = source.Open(labelColumnsOnly: true, afterFirstPass: true);
        var inB = pass.Groups.Single(group => source.Dataset.Parts[group.Part].Path == _folder.At("b.parquet"));
        var inA = pass.Groups.Single(group => group.Part != inB.Part);

        Write(_folder.At("b.parquet"), Int64("user_id", 10, 11, 12), Int64("item_id", 1000, 1001, 1002), NullableFloat("rating", 4, 4, 4), NullableInt64("timestamp", 5, 6, 8));

        Assert.Equal(3, (await pass.ReadAsync(inA, new BadRowReport())).Log.Count);
        var rewritten = await Assert.ThrowsAsync<DataException>(() => pass.ReadAsync(inB, new BadRowReport()));
        Assert.StartsWith($"{_folder.At("b.parquet")}: changed since the run's first pass: rewritten: ", rewritten.Message);
    }

    /// <summary>A part added after the first pass is read by no epoch, which lists no part anew: AddedParts names it, listing the lake once.</summary>
    [Fact]
    public void A_part_added_after_the_first_pass_is_named_as_added()
    {
        LakeFiles.Part(_folder.At("a.parquet"), 1, 3);
        var streamed = Stream(BadRowPolicy.Fail);
        Assert.Empty(streamed.Streamed!.AddedParts());

        LakeFiles.Part(_folder.At("b.parquet"), 10, 3);

        Assert.Equal([_folder.At("b.parquet")], streamed.Streamed.AddedParts());
        Assert.Equal(3, streamed.TrainRows.Batches(2, 0, null, seed: 1).Epoch(0).SelectMany(b => b.Users.ToArray()).Count());
    }

    [Fact]
    public void A_part_removed_or_caught_empty_after_the_first_pass_is_told_as_the_lake_changed()
    {
        LakeFiles.Part(_folder.At("a.parquet"), 1, 3);
        LakeFiles.Part(_folder.At("b.parquet"), 10, 3);
        var streamed = Stream(BadRowPolicy.Fail);
        List<int> Epoch() => streamed.TrainRows.Batches(2, 0, null, seed: 1).Epoch(0).SelectMany(b => b.Users.ToArray()).ToList();
        Assert.Equal(6, Epoch().Count);

        // Overwritten in place (a cp that truncates first) and opened while empty: it said only "is empty, or not a regular file".
        File.WriteAllBytes(_folder.At("b.parquet"), []);
        Assert.StartsWith($"{_folder.At("b.parquet")}: changed since the run's first pass: is empty", Assert.Throws<DataException>(Epoch).Message);

        // Removed: it said only "file not found".
        File.Delete(_folder.At("b.parquet"));
        var gone = Assert.Throws<DataException>(Epoch);
        Assert.Equal($"{_folder.At("b.parquet")}: changed since the run's first pass: file not found; a streamed run reads its lake again at every epoch, " +
            "so the lake must not change while it trains", gone.Message);
    }

    [Theory]
    [InlineData(false, "removed while the run's first pass read the lake")]
    [InlineData(true, "changed since the run's first pass: removed while this pass read the lake")]
    public async Task A_part_removed_between_its_open_and_its_stamp_is_told_as_removed(bool afterFirstPass, string told)
    {
        // Removed after a pass opened its footer, before the stamp read it again by its path: it said only .NET's "Could not find file".
        LakeFiles.Part(_folder.At("a.parquet"), 1, 3);
        LakeFiles.Part(_folder.At("b.parquet"), 10, 3);
        var source = new LakeSource(LogDataset.Open(_folder.Path), new ReadOptions(), ByRating, new SplitOptions(Seed: 1, TrainShare: 1, ValidShare: 0, ByHash: true));
        await using (var first = await LakeReader.OpenAsync(source))
            source = source with { FirstPassStamps = first.Stamps };

        File.Delete(_folder.At("b.parquet"));

        var e = Assert.Throws<DataException>(() => LakeReader.Stamped(source, 1, afterFirstPass));
        Assert.Equal($"{_folder.At("b.parquet")}: {told}; a streamed run reads its lake again at every epoch, so the lake must not change while it trains", e.Message);
    }

    /// <summary>
    /// The error of reading the second row group of a part that <paramref name="spoil"/> changed after the first was read: a lake of one
    /// part, of two row groups large enough to lie past the file's read buffer, read by a pass after the first or by the first.
    /// </summary>
    private async Task<(string Part, DataException Error)> SecondGroupSpoiledAsync(bool afterFirstPass, Action<string> spoil)
    {
        var random = new Random(1);
        var ids = Enumerable.Range(0, 20_000).Select(_ => random.NextInt64(1, long.MaxValue)).ToArray();
        var part = _folder.At("a.parquet");
        Write(part, 10_000, Int64("user_id", ids), Int64("item_id", ids), NullableFloat("rating", [.. ids.Select(_ => (float?)4)]));
        var source = new LakeSource(LogDataset.Open(_folder.Path), new ReadOptions(), ByRating, new SplitOptions(Seed: 1, TrainShare: 1, ValidShare: 0, ByHash: true));
        await using var reader = await LakeReader.OpenAsync(source, afterFirstPass: afterFirstPass);
        Assert.Equal(10_000, (await reader.ReadAsync(reader.Groups[0], new BadRowReport())).Count);

        spoil(part);

        return (part, await Assert.ThrowsAsync<DataException>(() => reader.ReadAsync(reader.Groups[1], new BadRowReport())));
    }

    // The copy caught a quarter of the way through.
    private static void CopiedOverInPart(string part)
    {
        var whole = File.ReadAllBytes(part);
        File.WriteAllBytes(part, whole[..(whole.Length / 4)]);
    }

    [Fact]
    public async Task A_part_copied_over_while_an_epoch_reads_it_is_told_as_changed_not_as_damaged()
    {
        // cp over a streamed run's part: the epoch's reader, open on the old footer, read the new bytes at its offsets and said
        // "cannot be read, the file is damaged or truncated".
        var (part, e) = await SecondGroupSpoiledAsync(afterFirstPass: true, CopiedOverInPart);

        Assert.StartsWith($"{part}: changed since the run's first pass: its size or write time changed while this pass read it (copied over, and perhaps still being written): ", e.Message);
        Assert.EndsWith("; a streamed run reads its lake again at every epoch, so the lake must not change while it trains", e.Message);
    }

    [Fact]
    public async Task A_part_copied_over_while_the_first_pass_reads_it_is_not_told_as_changed_since_that_pass()
    {
        // The first pass has no earlier pass to have changed since: its reader's own refusal stands.
        var (part, e) = await SecondGroupSpoiledAsync(afterFirstPass: false, CopiedOverInPart);

        Assert.StartsWith($"{part}: column '", e.Message);
        Assert.Contains("cannot be read, the file is damaged or truncated", e.Message);
    }

    [Fact]
    public async Task A_part_damaged_but_not_changed_while_an_epoch_reads_it_is_told_as_damaged()
    {
        // Its size and write time as they were when the pass opened it: the reader's own refusal stands, not "changed".
        var (part, e) = await SecondGroupSpoiledAsync(afterFirstPass: true, part =>
        {
            var written = File.GetLastWriteTimeUtc(part);
            using (var file = new FileStream(part, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
            {
                file.Position = file.Length / 2;
                file.Write(Enumerable.Repeat((byte)0xFF, (int)(file.Length / 2) - 4096).ToArray());
            }
            File.SetLastWriteTimeUtc(part, written);
        });

        Assert.StartsWith($"{part}: column '", e.Message);
        Assert.Contains("cannot be read, the file is damaged or truncated", e.Message);
    }

    [Fact]
    public void A_part_relabeled_after_the_first_pass_with_as_many_rows_is_refused_by_its_group_digest()
    {
        LakeFiles.Part(_folder.At("a.parquet"), 1, 3);
        Write(_folder.At("b.parquet"), Int64("user_id", 10, 11, 12), Int64("item_id", 1000, 1001, 1002), NullableFloat("rating", 4, 4, 1));
        var streamed = Stream(BadRowPolicy.Fail);
        List<int> Epoch() => streamed.TrainRows.Batches(2, 0, null, seed: 1).Epoch(0).SelectMany(b => b.Users.ToArray()).ToList();
        Assert.Equal(6, Epoch().Count);

        // The same rows in another order: a group's digest is a sum over its rows, and the part's footer is as it was, so the epoch reads it as it was.
        Write(_folder.At("b.parquet"), Int64("user_id", 12, 11, 10), Int64("item_id", 1002, 1001, 1000), NullableFloat("rating", 1, 4, 4));
        Assert.Equal(6, Epoch().Count);

        // The same ids, count and footer, two labels swapped (a rating of 1 is a negative): only the digest tells, and every pass checks it.
        Write(_folder.At("b.parquet"), Int64("user_id", 10, 11, 12), Int64("item_id", 1000, 1001, 1002), NullableFloat("rating", 1, 4, 4));
        var relabeled = Assert.Throws<DataException>(Epoch);
        Assert.Equal($"{_folder.At("b.parquet")}: changed since the run's first pass: its row group 1 holds other training rows (users, items or labels) than the first pass read; " +
            "a streamed run reads its lake again at every epoch, so the lake must not change while it trains", relabeled.Message);
        Assert.Contains("b.parquet: changed since the run's first pass: its row group 1", Assert.Throws<DataException>(() => streamed.Streamed!.All.Positives()).Message);
        // Workers' parts of an epoch check the groups they read as well.
        Assert.Throws<DataException>(() => streamed.TrainRows.Batches(2, 0, null, seed: 1).Epoch(0, 0, 2).Concat(streamed.TrainRows.Batches(2, 0, null, seed: 1).Epoch(0, 1, 2)).ToList());

        // The same rows cut into other row groups: the digests are by group, and the footer lists the groups, so the stamp tells.
        Write(_folder.At("b.parquet"), rowGroupSize: 2, Int64("user_id", 10, 11, 12), Int64("item_id", 1000, 1001, 1002), NullableFloat("rating", 4, 4, 1));
        Assert.Contains("b.parquet: changed since the run's first pass: rewritten: ", Assert.Throws<DataException>(Epoch).Message);
    }

    [Fact]
    public void A_part_cut_into_other_row_groups_is_refused_by_the_passes_that_gather_rows_as_by_the_epochs()
    {
        // The passes that gather the training rows whole (their positives, their pairs' index) read the lake as an epoch does: the
        // digests are by group, so a part re-cut must be told as changed there too, not as a group of other rows nor an index past the list.
        LakeFiles.Part(_folder.At("a.parquet"), 1, 3);
        LakeFiles.Part(_folder.At("b.parquet"), 10, 3);
        var streamed = Stream(BadRowPolicy.Fail);
        Assert.Equal(6, streamed.Streamed!.All.Positives().Count);

        Write(_folder.At("b.parquet"), rowGroupSize: 1, Int64("user_id", 10, 11, 12), Int64("item_id", 1000, 1001, 1002), NullableFloat("rating", 4, 4, 4));
        const string recut = "b.parquet: changed since the run's first pass: rewritten: ";
        Assert.Contains(recut, Assert.Throws<DataException>(() => streamed.Streamed!.All.Positives()).Message);
        Assert.Contains(recut, Assert.Throws<DataException>(() => streamed.Streamed!.All.Pairs(streamed.Valid)).Message);
    }
}
