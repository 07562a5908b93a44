using InverseLearning.Serving.Models;
using Parquet;
using Parquet.Schema;

namespace InverseLearning.Serving.Tests;

/// <summary>Run alone: the test weighs the managed heap, which other tests' allocations would move.</summary>
[CollectionDefinition(nameof(HeapWeighingCollection), DisableParallelization = true)]
public sealed class HeapWeighingCollection;

/// <summary>What a seen list holds in memory per user, beside its 8 bytes per row.</summary>
[Collection(nameof(HeapWeighingCollection))]
public sealed class SeenItemsMemoryTests
{
    [Fact]
    public async Task Each_user_costs_a_sorted_id_and_a_start_not_a_dictionary_entry()
    {
        // A dictionary of runs cost about 40 bytes per user: 3.9 million users over 5 million rows held 32 bytes a row, where
        // CAPACITY.md counted 9. Sorted ids and starts cost 12.
        const int users = 1_000_000;
        var bytes = await OneRowPerUser(users);
        // Read once before weighing: the Parquet reader's pooled buffers, kept for the next read, are no part of the list.
        await SeenItems.ReadAsync(bytes, "seen.parquet");
        var before = GC.GetTotalMemory(forceFullCollection: true);

        var seen = await SeenItems.ReadAsync(bytes, "seen.parquet");
        var held = GC.GetTotalMemory(forceFullCollection: true) - before;

        Assert.Equal([7L], seen.For(users - 1).ToArray());
        // 8 bytes for the row's item, 12 for its user, and room for what else the heap does meanwhile.
        Assert.InRange(held / (double)users, 0, 28);
        GC.KeepAlive(bytes);
    }

    private static async Task<byte[]> OneRowPerUser(int users)
    {
        var (userField, itemField) = (new DataField<long>("user_id"), new DataField<long>("item_id"));
        using var stream = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(userField, itemField), stream))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(userField, new ReadOnlyMemory<long>([.. Enumerable.Range(0, users).Select(user => (long)user)]));
            await group.WriteAsync(itemField, new ReadOnlyMemory<long>([.. Enumerable.Repeat(7L, users)]));
        }
        return stream.ToArray();
    }
}
