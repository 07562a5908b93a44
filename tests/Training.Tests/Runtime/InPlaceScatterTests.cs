using InverseLearning.Training.Models;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Tests.Runtime;

/// <summary>
/// How the device store writes a step's rows back: ScatterND with its output bound to the
/// memory of its input table. ORT's kernel skips copying the input into the output when the
/// two share a buffer, so only the rows are written (the cost is measured in `make bench
/// ARGS=device-store`); bound to another buffer, the output gets a full copy of the table first.
/// </summary>
public class InPlaceScatterTests
{
    private const int Rows = 50, Width = 3;
    private static readonly ParameterInfo Table = new("table", [Rows, Width], TableSide.Item, false);
    private static readonly long[] Indices = [7, 2, 41];

    [Fact]
    public void Bound_to_its_own_input_ScatterND_writes_the_rows_and_leaves_the_rest()
    {
        var arena = DeviceArena.For(new ExecutionDevice("cpu", 1));
        using var table = arena.Allocate(Rows * Width, "table");
        var before = Enumerable.Range(0, Rows * Width).Select(i => (float)i).ToArray();
        table.CopyFrom(before);

        Push(table, table);

        Assert.Equal(Expected(before), Values(table));
    }

    [Fact]
    public void Bound_to_another_buffer_ScatterND_copies_the_whole_table_there()
    {
        var arena = DeviceArena.For(new ExecutionDevice("cpu", 1));
        using var table = arena.Allocate(Rows * Width, "table");
        using var output = arena.Allocate(Rows * Width, "output");
        var before = Enumerable.Range(0, Rows * Width).Select(i => (float)i).ToArray();
        table.CopyFrom(before);
        output.CopyFrom(Enumerable.Repeat(-1f, Rows * Width).ToArray());

        Push(table, output);

        Assert.Equal(Expected(before), Values(output));
        Assert.Equal(before, Values(table));
    }

    private static void Push(DeviceMemory table, DeviceMemory output)
    {
        using var push = new GraphSession(StoreRowGraphs.Push([Table], stateSlots: 0, withState: false), new ExecutionDevice("cpu", 1));
        var updates = Enumerable.Range(0, Indices.Length * Width).Select(i => 1000f + i).ToArray();
        push.Input(StoreRowGraphs.Indices(TableSide.Item), Indices, Indices.Length);
        push.Input(StoreRowGraphs.Table(0, 0), table, Table.Shape);
        push.Input(StoreRowGraphs.Updated(0, 0), updates, Indices.Length, Width);
        push.Output(StoreRowGraphs.Written(0, 0), output, Table.Shape);
        push.Run();
    }

    // Hand-computed: the table with rows 7, 2 and 41 replaced by 1000…1008, in that order.
    private static float[] Expected(float[] before)
    {
        var expected = before.ToArray();
        for (var k = 0; k < Indices.Length; k++)
            for (var d = 0; d < Width; d++) expected[Indices[k] * Width + d] = 1000f + k * Width + d;
        return expected;
    }

    private static float[] Values(TensorMemory memory)
    {
        var values = new float[memory.Length];
        memory.CopyTo(values);
        return values;
    }
}
