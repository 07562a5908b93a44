using System.Security.Cryptography;
using InverseLearning.Data.Simulation;
using InverseLearning.Data.Tests.Lake;
using Parquet;
using static InverseLearning.Data.Tests.ParquetFixture;

namespace InverseLearning.Data.Tests.Parquet;

/// <summary>
/// Every Parquet file this project writes records a SHA-256 of its bytes before the footer; a read of its rows refuses a file whose
/// bytes differ, as one flipped bit in a data page that still decodes would otherwise be read as other values.
/// </summary>
public sealed class ContentDigestTests : IDisposable
{
    private const string Refusal = "damaged or altered after it was written: its content digest differs";
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_written_log_records_the_SHA256_of_its_bytes_before_the_footer()
    {
        var path = _folder.File("log.parquet");
        InteractionLogParquet.Write(SampleLogs.Full(), path, metadata: new Dictionary<string, string> { ["simulation"] = "kept" });

        var bytes = File.ReadAllBytes(path);
        var footerStart = bytes.Length - 8 - BitConverter.ToInt32(bytes, bytes.Length - 8);
        var expected = Convert.ToHexStringLower(SHA256.HashData(bytes.AsSpan(0, footerStart)));
        var metadata = FooterMetadata(path);
        Assert.Equal(expected, metadata["inverselearning.content_sha256"]);
        Assert.Equal("kept", metadata["simulation"]);
    }

    [Fact]
    public void A_seen_list_and_a_ground_truth_file_record_it_too()
    {
        SeenPairsParquet.Write(new InteractionIndex([0, 1], [0]), Vocabulary.FromRawIds([5]), Vocabulary.FromRawIds([9]), _folder.File("seen.parquet"));
        ImpressionTruthFile.Write(_folder.File("truth.parquet"), [true, false, true], stamp: null);

        Assert.Contains("inverselearning.content_sha256", FooterMetadata(_folder.File("seen.parquet")).Keys);
        Assert.Contains("inverselearning.content_sha256", FooterMetadata(_folder.File("truth.parquet")).Keys);
    }

    [Fact]
    public void A_flipped_data_byte_that_still_decodes_is_refused_naming_the_file()
    {
        var path = _folder.File("log.parquet");
        InteractionLogParquet.Write(SampleLogs.RandomRatings(2_000, users: 50, items: 80, seed: 3), path);

        RefusedOnceDamaged(path, () => InteractionLogParquet.Read(path));
    }

    [Fact]
    public void A_damaged_lake_part_is_refused_by_a_whole_read_a_compact_read_and_a_streamed_first_pass()
    {
        var lake = _folder.File("lake");
        LakeFiles.Part(Path.Combine(lake, "day=2024-01-01", "part-0.parquet"), 1, 500);
        var damaged = Path.Combine(lake, "day=2024-01-02", "part-0.parquet");
        LakeFiles.Part(damaged, 1_000, 500, rating: 2);
        DamagedBytes.FlipOneThatStillDecodes(damaged);
        var labels = new LabelingOptions(LabelRule.Rating);

        var whole = Assert.Throws<DataException>(() => LogDataset.Open(lake).Read());
        var compact = Assert.Throws<DataException>(() => LogDataset.Open(lake).ReadCompact(new ReadOptions(), labels, FeedbackOptions.Default));
        var source = new LakeSource(LogDataset.Open(lake), new ReadOptions(), labels, new SplitOptions(Seed: 1, ByHash: true));
        var streamed = Assert.Throws<DataException>(() => Synchronously.Run(async () =>
        {
            await using var firstPass = source.Open();
            foreach (var group in firstPass.Groups) await firstPass.ReadAsync(group, new BadRowReport(severalFiles: true));
        }));

        Assert.All(new[] { whole, compact, streamed }, error => Assert.StartsWith($"{damaged}: {Refusal}", error.Message));
    }

    [Fact]
    public void A_damaged_ground_truth_file_is_refused_when_its_labels_are_read()
    {
        var path = _folder.File("truth.parquet");
        ImpressionTruthFile.Write(path, [.. Enumerable.Range(0, 3_000).Select(i => i % 7 == 0)], stamp: null);

        RefusedOnceDamaged(path, () => ImpressionTruthFile.Read(path));
    }

    [Fact]
    public void A_damaged_log_is_refused_when_a_flag_column_is_read_from_it()
    {
        var path = _folder.File("log.parquet");
        var log = SampleLogs.RandomRatings(2_000, users: 50, items: 80, seed: 4);
        log.Like = new NullableColumn<bool>(log.Count);
        for (var row = 0; row < log.Count; row += 3) log.Like.Set(row, row % 2 == 0);
        InteractionLogParquet.Write(log, path);

        RefusedOnceDamaged(path, () => FlagColumnReader.Read(LogDataset.Open(path), InteractionLogSchema.Like, new InteractionLog(log.Count)));
    }

    [Fact]
    public void A_file_without_the_digest_another_tools_is_read_as_before()
    {
        var path = _folder.File("foreign.parquet");
        Write(path, Int64("user_id", 1, 2, 3), Int64("item_id", 7, 8, 9));

        var log = InteractionLogParquet.Read(path);

        Assert.DoesNotContain("inverselearning.content_sha256", FooterMetadata(path).Keys);
        Assert.Equal([1L, 2, 3], log.UserId);
        Assert.Equal([7L, 8, 9], log.ItemId);
    }

    /// <summary>Flips a byte of <paramref name="path"/> that still decodes; <paramref name="read"/> must then refuse it, naming it.</summary>
    private static void RefusedOnceDamaged(string path, Action read)
    {
        DamagedBytes.FlipOneThatStillDecodes(path);

        var error = Assert.Throws<DataException>(read);

        Assert.StartsWith($"{path}: {Refusal}", error.Message);
    }

    private static IReadOnlyDictionary<string, string> FooterMetadata(string path) => Task.Run(async () =>
    {
        await using var reader = await ParquetReader.CreateAsync(path);
        return reader.CustomMetadata;
    }).GetAwaiter().GetResult();
}
