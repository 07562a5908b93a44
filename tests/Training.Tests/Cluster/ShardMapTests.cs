using InverseLearning.Training.Cluster;
using InverseLearning.Training.Models;

namespace InverseLearning.Training.Tests.Cluster;

public class ShardMapTests
{
    private static readonly long[] UserIds = Enumerable.Range(0, 500).Select(k => (long)k * 7919 + 13).ToArray();
    private static readonly long[] ItemIds = Enumerable.Range(0, 300).Select(k => (long)k * 104729 - 5).ToArray();

    [Fact]
    public void Every_row_is_owned_by_one_shard_at_the_slot_the_map_gives()
    {
        var map = new ShardMap(5, UserIds, ItemIds);
        foreach (var (side, count) in new[] { (TableSide.User, UserIds.Length), (TableSide.Item, ItemIds.Length), (TableSide.History, ItemIds.Length) })
        {
            var seen = new int[count];
            for (var s = 0; s < map.Shards; s++)
            {
                var owned = map.RowsOf(side, s);
                for (var slot = 0; slot < owned.Length; slot++)
                {
                    seen[owned[slot]]++;
                    Assert.Equal(s, map.ShardOf(side, owned[slot]));
                    Assert.Equal(slot, map.SlotOf(side, owned[slot]));
                }
            }
            Assert.All(seen, n => Assert.Equal(1, n));
        }
    }

    [Fact]
    public void A_rows_shard_follows_its_raw_id_not_its_place_in_the_vocabulary()
    {
        var map = new ShardMap(7, UserIds, ItemIds);
        var reversed = new ShardMap(7, UserIds.Reverse().ToArray(), ItemIds);
        for (var row = 0; row < UserIds.Length; row++)
            Assert.Equal(map.ShardOf(TableSide.User, row), reversed.ShardOf(TableSide.User, UserIds.Length - 1 - row));
    }

    [Fact]
    public void Rows_spread_over_the_shards()
    {
        var ids = Enumerable.Range(1, 80_000).Select(k => (long)k).ToArray();
        var map = new ShardMap(8, ids, ItemIds);
        // Consecutive ids (the worst case for a modulo without mixing) land evenly: within 5 % of 10,000 per shard.
        for (var s = 0; s < 8; s++) Assert.InRange(map.RowsOf(TableSide.User, s).Length, 9_500, 10_500);
    }

    [Fact]
    public void One_shard_owns_every_row_in_order()
    {
        var map = new ShardMap(1, UserIds, ItemIds);
        Assert.Equal(Enumerable.Range(0, UserIds.Length), map.RowsOf(TableSide.User, 0).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ShardMap(0, UserIds, ItemIds));
    }
}
