using InverseLearning.Training.Graph;
using InverseLearning.Training.Models;

namespace InverseLearning.Training.Runtime;

/// <summary>
/// The graphs a <see cref="DeviceParameterStore"/> moves a step's rows with, without leaving
/// the device. <see cref="Pull"/> gathers each table's working-set rows and optimizer state at
/// the step's row indices (a table read whole, or a dense parameter, is copied whole).
/// <see cref="Push"/> writes the updated rows back with ScatterND, whose output the store binds
/// to the very memory of its input table: ORT's ScatterND kernels (CPU and CUDA) skip copying
/// the input when output and input share a buffer, so a write-back costs the rows, not the table.
/// </summary>
public static class StoreRowGraphs
{
    public static string Table(int parameter, int slot) => slot == 0 ? $"p{parameter}" : $"p{parameter}.s{slot}";
    public static string Rows(int parameter, int slot) => slot == 0 ? $"w{parameter}" : $"w{parameter}.s{slot}";
    public static string Updated(int parameter, int slot) => slot == 0 ? $"n{parameter}" : $"n{parameter}.s{slot}";
    public static string Written(int parameter, int slot) => slot == 0 ? $"o{parameter}" : $"o{parameter}.s{slot}";
    public static string Indices(TableSide side) => side switch
    {
        TableSide.User => "rows.user",
        TableSide.Item => "rows.item",
        _ => "rows.history",
    };

    /// <summary>Per parameter and slot (0: values, s: optimizer state s − 1): working-set rows out of the tables.</summary>
    public static byte[] Pull(IReadOnlyList<ParameterInfo> parameters, int stateSlots)
    {
        var g = new GraphBuilder("store_pull");
        var indices = IndexInputs(g, parameters);
        var outputs = new List<Value>();
        for (var k = 0; k < parameters.Count; k++)
        {
            var p = parameters[k];
            for (var slot = 0; slot <= stateSlots; slot++)
            {
                var table = g.Input(Table(k, slot), DType.Float, Dims(p.Shape));
                outputs.Add(g.Named(p.BoundWhole ? g.Identity(table) : g.Gather(table, indices[p.Side!.Value]), Rows(k, slot)));
            }
        }
        return g.ToBytes(outputs);
    }

    /// <summary>The tables with the working set's updated rows written in; optimizer state too when <paramref name="withState"/>.</summary>
    public static byte[] Push(IReadOnlyList<ParameterInfo> parameters, int stateSlots, bool withState)
    {
        var g = new GraphBuilder(withState ? "store_push" : "store_push_values");
        var indices = IndexInputs(g, parameters);
        var outputs = new List<Value>();
        for (var k = 0; k < parameters.Count; k++)
        {
            var p = parameters[k];
            for (var slot = 0; slot <= (withState ? stateSlots : 0); slot++)
            {
                var updated = g.Input(Updated(k, slot), DType.Float, p.BoundWhole ? Dims(p.Shape) : [Dim.Named($"rows_{p.Side}"), new Dim(p.RowWidth)]);
                var written = p.BoundWhole ? g.Identity(updated)
                    : g.ScatterRows(g.Input(Table(k, slot), DType.Float, Dims(p.Shape)), indices[p.Side!.Value], updated);
                outputs.Add(g.Named(written, Written(k, slot)));
            }
        }
        return g.ToBytes(outputs);
    }

    /// <summary>Rows of one table at some indices (a store's <see cref="IParameterStore.ReadRows"/>).</summary>
    public static byte[] ReadRows()
    {
        var g = new GraphBuilder("store_read_rows");
        var table = g.Input(Table(0, 0), DType.Float, Dim.Named("rows"), Dim.Named("width"));
        var indices = g.Input(Indices(TableSide.Item), DType.Int64, Dim.Named("n"));
        return g.ToBytes([g.Named(g.Gather(table, indices), Rows(0, 0))]);
    }

    private static Dictionary<TableSide, Value> IndexInputs(GraphBuilder g, IReadOnlyList<ParameterInfo> parameters) =>
        parameters.Where(p => !p.BoundWhole).Select(p => p.Side!.Value).Distinct()
            .ToDictionary(side => side, side => g.Input(Indices(side), DType.Int64, Dim.Named($"rows_{side}")));

    private static Dim[] Dims(long[] shape) => shape.Select(d => new Dim(d)).ToArray();
}
