using InverseLearning.Serving.Models;
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
