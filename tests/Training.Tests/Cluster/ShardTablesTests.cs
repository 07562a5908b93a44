using InverseLearning.Training.Cluster;

namespace InverseLearning.Training.Tests.Cluster;

public class ShardTablesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("il-shard-").FullName;

    private static ShardTables TwoTables()
    {
        var layout = new ShardLayout { Widths = [2, 3], Rows = [3, 2], StateSlots = 2, PersistEvery = 10 };
        return new ShardTables(layout, [[0, 1, 2, 3, 4, 5], [10, 11, 12, 13, 14, 15]]);
    }

    [Fact]
    public void Pull_gathers_the_rows_asked_for_per_table_and_slot()
    {
        var shard = TwoTables();
        var pulled = shard.Gather(new ShardRows { Slots = [[2, 0], [1]] }, withState: true);
        Assert.Equal([4f, 5, 0, 1], pulled.Values[shard.Index(0, 0)]);
        Assert.Equal([0f, 0, 0, 0], pulled.Values[shard.Index(0, 1)]);
        Assert.Equal([13f, 14, 15], pulled.Values[shard.Index(1, 0)]);
        var valuesOnly = shard.Gather(new ShardRows { Slots = [[1], []] }, withState: false);
        Assert.Empty(valuesOnly.Values[shard.Index(0, 2)]);
        Assert.Empty(valuesOnly.Values[shard.Index(1, 0)]);
    }

    [Fact]
    public void Push_writes_values_and_state_and_counts_row_updates()
    {
        var shard = TwoTables();
        var rows = new ShardRows { Slots = [[1], [0]] };
        float[][] values = [[-1, -2], [7, 7], [8, 8], [-3, -4, -5], [9, 9, 9], [6, 6, 6]];
        shard.Scatter(rows, new ShardTensors { Values = values }, keepState: true);
        Assert.Equal([0f, 1, -1, -2, 4, 5], shard.Tensors[shard.Index(0, 0)]);
        Assert.Equal([0f, 0, 8, 8, 0, 0], shard.Tensors[shard.Index(0, 2)]);
        Assert.Equal([-3f, -4, -5, 13, 14, 15], shard.Tensors[shard.Index(1, 0)]);
        Assert.Equal(2, shard.UpdatesApplied);
        // Values only: the state stays as it was.
        shard.Scatter(rows, new ShardTensors { Values = [[5, 5], [], [], [5, 5, 5], [], []] }, keepState: false);
        Assert.Equal([0f, 0, 8, 8, 0, 0], shard.Tensors[shard.Index(0, 2)]);
        Assert.Equal(4, shard.UpdatesApplied);
    }

    [Fact]
    public void A_push_of_the_wrong_size_is_refused_naming_the_table()
    {
        var shard = TwoTables();
        var error = Assert.Throws<ArgumentException>(() => shard.Scatter(new ShardRows { Slots = [[1], []] },
            new ShardTensors { Values = [[1], [], [], [], [], []] }, keepState: false));
        Assert.Contains("table 0", error.Message);
    }

    [Fact]
    public void A_snapshot_comes_back_byte_for_byte_with_its_update_count()
    {
        var shard = TwoTables();
        shard.Scatter(new ShardRows { Slots = [[0], []] }, new ShardTensors { Values = [[9, 9], [1, 1], [2, 2], [], [], []] }, keepState: true);
        var path = Path.Combine(_dir, "shard.bin");
        shard.Save(path);
        var loaded = ShardTables.Load(path);
        Assert.Equal(shard.UpdatesApplied, loaded.UpdatesApplied);
        Assert.Equal(shard.Layout.Widths, loaded.Layout.Widths);
        Assert.Equal(shard.Layout.Rows, loaded.Layout.Rows);
        for (var k = 0; k < shard.Tensors.Length; k++) Assert.Equal(shard.Tensors[k], loaded.Tensors[k]);
    }

    [Fact]
    public void A_cut_or_foreign_snapshot_is_refused_naming_the_file()
    {
        var path = Path.Combine(_dir, "shard.bin");
        TwoTables().Save(path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^4]);
        var cut = Assert.Throws<InvalidDataException>(() => ShardTables.Load(path));
        Assert.Contains(path, cut.Message);
        File.WriteAllBytes(path, "not a shard at all"u8.ToArray());
        Assert.Contains("ILSHARD4", Assert.Throws<InvalidDataException>(() => ShardTables.Load(path)).Message);
        Assert.Contains(path, Assert.Throws<InvalidDataException>(() => ShardTables.GenerationAt(path)).Message);
    }

    [Fact]
    public void A_snapshot_keeps_its_generation_which_its_header_alone_tells()
    {
        var path = Path.Combine(_dir, "generation.bin");
        Assert.Null(ShardTables.GenerationAt(path));
        var shard = TwoTables();
        shard.Generation = 3;
        shard.Save(path);
        Assert.Equal(3, ShardTables.Load(path).Generation);
        Assert.Equal(3, ShardTables.GenerationAt(path));
    }

    /// <summary>A silo of this build meets an earlier build's snapshots in a rolling update: the same, without a generation.</summary>
    [Fact]
    public void An_earlier_builds_snapshot_is_read_as_generation_0()
    {
        var path = Path.Combine(_dir, "earlier.bin");
        var shard = TwoTables();
        shard.Scatter(new ShardRows { Slots = [[0], []] }, new ShardTensors { Values = [[9, 9], [1, 1], [2, 2], [], [], []] }, keepState: true);
        shard.Generation = 5;
        shard.Save(path);
        // ILSHARD2: the header's 28 bytes (magic, three int32, the update count), without the generation's 8 after them.
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, [.. "ILSHARD2"u8, .. bytes[8..28], .. bytes[36..^4]]);

        var loaded = ShardTables.Load(path);
        Assert.Equal((0L, shard.UpdatesApplied), (loaded.Generation, loaded.UpdatesApplied));
        Assert.Equal(shard.Tensors, loaded.Tensors);
        Assert.Equal(0, ShardTables.GenerationAt(path));
    }

    /// <summary>The build before checksums wrote "ILSHARD3": the same bytes, without the CRC-32 at the end.</summary>
    [Fact]
    public void An_earlier_builds_snapshot_without_a_checksum_is_read()
    {
        var path = Path.Combine(_dir, "unchecked.bin");
        var shard = TwoTables();
        shard.KeepBest(4);
        shard.Generation = 2;
        shard.Save(path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, [.. "ILSHARD3"u8, .. bytes[8..^4]]);

        var loaded = ShardTables.Load(path);
        Assert.Equal((2L, 4L), (loaded.Generation, loaded.BestId));
        Assert.Equal(shard.Tensors, loaded.Tensors);
    }

    [Fact]
    public void A_snapshot_ends_with_the_crc_32_of_its_bytes_and_one_flipped_bit_is_refused()
    {
        var path = Path.Combine(_dir, "flipped.bin");
        var shard = TwoTables();
        shard.Save(path);
        var bytes = File.ReadAllBytes(path);
        // zlib's CRC-32 of every byte before the last four, as System.IO.Hashing computes it, written little-endian.
        Assert.Equal(System.IO.Hashing.Crc32.HashToUInt32(bytes.AsSpan(..^4)), BitConverter.ToUInt32(bytes.AsSpan(^4..)));

        // A bit of a row's value (the layout and lengths still agree), then one of the checksum itself.
        foreach (var at in new[] { bytes.Length - 20, bytes.Length - 1 })
        {
            var damaged = (byte[])bytes.Clone();
            damaged[at] ^= 0x10;
            File.WriteAllBytes(path, damaged);
            var error = Assert.Throws<InvalidDataException>(() => ShardTables.Load(path));
            Assert.Contains(path, error.Message);
            Assert.Contains("checksum does not match", error.Message);
        }
    }

    [Fact]
    public void The_best_copy_comes_back_as_kept_and_survives_a_snapshot()
    {
        var shard = TwoTables();
        Assert.Throws<InvalidOperationException>(() => shard.RestoreBest(1));
        shard.KeepBest(7);
        var kept = shard.Tensors.Select(t => (float[])t.Clone()).ToArray();
        shard.Scatter(new ShardRows { Slots = [[0, 2], [1]] }, new ShardTensors { Values = [[9, 9, 9, 9], [1, 1, 1, 1], [2, 2, 2, 2], [5, 5, 5], [6, 6, 6], [7, 7, 7]] }, keepState: true);
        var path = Path.Combine(_dir, "best.bin");
        shard.Save(path);
        var loaded = ShardTables.Load(path);
        Assert.Equal(7, loaded.BestId);
        Assert.Equal(shard.Tensors, loaded.Tensors);
        loaded.RestoreBest(7);
        Assert.Equal(kept, loaded.Tensors);
        // A later copy replaces it: the earlier id is refused, not silently served.
        loaded.KeepBest(8);
        Assert.Contains("holds best copy 8, not 7", Assert.Throws<InvalidOperationException>(() => loaded.RestoreBest(7)).Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_shard_that_owns_no_rows_comes_back_from_its_snapshot(bool withBestCopy)
    {
        // Many shards over few rows: some own none, and their snapshot is the header and the best copy's id alone.
        var empty = new ShardTables(new ShardLayout { Widths = [2, 3], Rows = [0, 0], StateSlots = 2, PersistEvery = 10 }, [[], []]);
        if (withBestCopy) empty.KeepBest(3);
        var path = Path.Combine(_dir, "empty.bin");
        empty.Save(path);
        var loaded = ShardTables.Load(path);
        Assert.Equal([0, 0], loaded.Layout.Rows);
        Assert.Equal(withBestCopy ? 3 : 0, loaded.BestId);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
