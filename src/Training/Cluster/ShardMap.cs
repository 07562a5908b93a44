using InverseLearning.Training.Models;

namespace InverseLearning.Training.Cluster;

/// <summary>
/// Which shard owns each embedding row and where the row sits in it. A row's shard is a hash
/// of its raw id, so it does not depend on the vocabulary's order (a user keeps their shard
/// as the log grows); within a shard, rows are kept in row order. User tables follow the
/// users' ids, item and history tables the items'.
/// </summary>
public sealed class ShardMap
{
    private readonly Side _users, _items;

    public ShardMap(int shards, ReadOnlySpan<long> userIds, ReadOnlySpan<long> itemIds)
    {
        if (shards < 1) throw new ArgumentOutOfRangeException(nameof(shards), shards, "a table needs at least one shard");
        Shards = shards;
        _users = new Side(shards, userIds, salt: 0x5EED0001UL);
        _items = new Side(shards, itemIds, salt: 0x5EED0002UL);
    }

    public int Shards { get; }

    public int ShardOf(TableSide side, int row) => Of(side).Shard[row];

    /// <summary>The row's position among its shard's rows.</summary>
    public int SlotOf(TableSide side, int row) => Of(side).Slot[row];

    /// <summary>The rows <paramref name="shard"/> owns, in slot order.</summary>
    public ReadOnlySpan<int> RowsOf(TableSide side, int shard) => Of(side).Owned[shard];

    private Side Of(TableSide side) => side == TableSide.User ? _users : _items;

    /// <summary>The shard of a raw id: a 64-bit mix of it (the row 0 "unknown" id included), reduced modulo the shards.</summary>
    public static int ShardOfId(long rawId, int shards, ulong salt)
    {
        var x = (ulong)rawId ^ salt;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        x ^= x >> 31;
        return (int)(x % (ulong)shards);
    }

    private sealed class Side
    {
        public Side(int shards, ReadOnlySpan<long> ids, ulong salt)
        {
            Shard = new int[ids.Length];
            Slot = new int[ids.Length];
            var counts = new int[shards];
            for (var row = 0; row < ids.Length; row++)
            {
                var shard = ShardOfId(ids[row], shards, salt);
                Shard[row] = shard;
                Slot[row] = counts[shard]++;
            }
            Owned = counts.Select(c => new int[c]).ToArray();
            for (var row = 0; row < ids.Length; row++) Owned[Shard[row]][Slot[row]] = row;
        }

        public int[] Shard { get; }
        public int[] Slot { get; }
        public int[][] Owned { get; }
    }
}
