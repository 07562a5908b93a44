using InverseLearning.Serving.Models;
using InverseLearning.Serving.Models.Loading;
using Parquet;
using Parquet.Schema;

namespace InverseLearning.Serving.Tests;

public sealed class SeenItemsTests
{
    private static readonly DataField<long> UserField = new("user_id");
    private static readonly DataField<long> ItemField = new("item_id");

    [Fact]
    public async Task Each_users_items_are_gathered_from_every_row_group_sorted_and_each_kept_once()
    {
        // Users interleaved, items out of order and a pair repeated, across two row groups, as a log's rows come.
        var bytes = await SeenFile(
            [(7, 30), (3, 12), (7, 10), (3, 12)],
            [(9, 5), (7, 20), (3, 11), (7, 10), (7, 10)]);

        var seen = await SeenItems.ReadAsync(bytes, "seen.parquet");

        Assert.Equal(9, seen.Rows);
        Assert.Equal([10, 20, 30], seen.For(7).ToArray());
        Assert.Equal([11, 12], seen.For(3).ToArray());
        Assert.Equal([5], seen.For(9).ToArray());
        Assert.True(seen.For(4).IsEmpty);
    }

    [Fact]
    public async Task A_user_seen_nothing_between_two_others_takes_nothing_of_theirs()
    {
        // The runs lie side by side in one array: a lookup past a run's end would read its neighbour's items.
        var seen = await SeenItems.ReadAsync(await SeenFile([(1, 100), (1, 101), (3, 300), (2, 200)]), "seen.parquet");

        Assert.Equal([100, 101], seen.For(1).ToArray());
        Assert.Equal([200], seen.For(2).ToArray());
        Assert.Equal([300], seen.For(3).ToArray());
    }

    [Fact]
    public async Task A_seen_list_whose_data_changed_after_export_is_refused_at_whichever_byte()
    {
        // Written as export writes it, which records the content digest; a flip anywhere before the footer may still decode.
        var users = InverseLearning.Data.Vocabulary.FromRawIds([.. Enumerable.Range(0, 40).Select(u => (long)u * 7)]);
        var items = InverseLearning.Data.Vocabulary.FromRawIds([.. Enumerable.Range(0, 60).Select(i => (long)i * 11)]);
        var offsets = Enumerable.Range(0, 41).Select(u => u * 5).ToArray();
        var pairs = new InverseLearning.Data.InteractionIndex(offsets, [.. Enumerable.Range(0, 200).Select(p => p * 13 % 60)]);
        var path = Path.Combine(Path.GetTempPath(), $"seen-{Guid.NewGuid():N}.parquet");
        try
        {
            InverseLearning.Data.SeenPairsParquet.Write(pairs, users, items, path);
            var clean = await File.ReadAllBytesAsync(path);
            var footerStart = clean.Length - 8 - BitConverter.ToInt32(clean, clean.Length - 8);
            for (var offset = 4; offset < footerStart; offset++)
            {
                var damaged = (byte[])clean.Clone();
                damaged[offset] ^= 1;
                var error = await Assert.ThrowsAsync<ModelLoadException>(() => SeenItems.ReadAsync(damaged, "seen.parquet"));
                Assert.StartsWith("seen.parquet: cannot read the seen-items log (damaged or altered after it was written: its content digest differs", error.Message);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<byte[]> SeenFile(params (long User, long Item)[][] groups)
    {
        using var stream = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(UserField, ItemField), stream))
        {
            foreach (var rows in groups)
            {
                using var group = writer.CreateRowGroup();
                await group.WriteAsync(UserField, new ReadOnlyMemory<long>(rows.Select(r => r.User).ToArray()));
                await group.WriteAsync(ItemField, new ReadOnlyMemory<long>(rows.Select(r => r.Item).ToArray()));
            }
        }
        return stream.ToArray();
    }
}
