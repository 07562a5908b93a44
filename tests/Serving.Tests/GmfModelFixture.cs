using Google.Protobuf;
using Onnx;
using Parquet;
using Parquet.Schema;
using InverseLearning.Serving.Models.Contract;

namespace InverseLearning.Serving.Tests;

/// <summary>
/// A small GMF model written exactly per the export contract (raw ids in through a LabelEncoder,
/// Gather + Mul + ReduceSum + Sigmoid, known flags, catalogue, metadata), with its expected
/// scores computed independently here in double precision.
/// </summary>
public sealed class GmfModelFixture
{
    private readonly Dictionary<long, int> _userIndex, _itemIndex;

    private GmfModelFixture(long[] userIds, long[] itemIds, float[][] userRows, float[][] itemRows, string version)
    {
        UserIds = userIds;
        ItemIds = itemIds;
        UserRows = userRows;
        ItemRows = itemRows;
        Version = version;
        _userIndex = userIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i + 1);
        _itemIndex = itemIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i + 1);
    }

    /// <summary>Raw ids in vocabulary order (vocabulary index i + 1; row 0 is reserved for unknown ids).</summary>
    public long[] UserIds { get; }
    public long[] ItemIds { get; }
    public float[][] UserRows { get; }
    public float[][] ItemRows { get; }
    public string Version { get; }
    public int Dim => UserRows[0].Length;

    /// <summary>Ids are spaced and offset so that raw ids never coincide with indices.</summary>
    public static GmfModelFixture Random(int users, int items, int dim, int seed, string version)
    {
        var random = new Random(seed);
        float[][] Rows(int count) => Enumerable.Range(0, count + 1)
            .Select(_ => Enumerable.Range(0, dim).Select(_ => (float)(random.NextDouble() * 2 - 1) * 0.8f).ToArray()).ToArray();
        var userIds = Enumerable.Range(0, users).Select(i => 1_000L + 7L * i).ToArray();
        var itemIds = Enumerable.Range(0, items).Select(i => 50_000L + 13L * i).ToArray();
        return new GmfModelFixture(userIds, itemIds, Rows(users), Rows(items), version);
    }

    public bool KnowsUser(long userId) => _userIndex.ContainsKey(userId);
    public bool KnowsItem(long itemId) => _itemIndex.ContainsKey(itemId);

    /// <summary>σ(⟨user row, item row⟩), unknown ids on the reserved row 0.</summary>
    public double Expected(long userId, long itemId)
    {
        var u = UserRows[_userIndex.GetValueOrDefault(userId)];
        var v = ItemRows[_itemIndex.GetValueOrDefault(itemId)];
        double dot = 0;
        for (var k = 0; k < u.Length; k++) dot += (double)u[k] * v[k];
        return 1 / (1 + Math.Exp(-dot));
    }

    /// <summary>
    /// The model; <paramref name="dropOutput"/> leaves one output out, <paramref name="catalog"/> replaces the catalogue's ids (none, or
    /// one twice), to make an incompatible model; <paramref name="exportStamp"/> is the export's stamp in its metadata (none, as before stamps, by default).
    /// </summary>
    public byte[] ToModelBytes(string? dropOutput = null, long[]? catalog = null, string? exportStamp = null)
    {
        var graph = new GraphProto { Name = "gmf_fixture" };
        graph.Input.Add(Vector("user_id", TensorProto.Types.DataType.Int64, "N"));
        graph.Input.Add(Vector("item_id", TensorProto.Types.DataType.Int64, "N"));
        graph.Initializer.Add(Matrix("user_embedding", UserRows));
        graph.Initializer.Add(Matrix("item_embedding", ItemRows));
        graph.Initializer.Add(Int64s("reduce_axes", [1], [1]));
        graph.Initializer.Add(Int64s("zero", [], [0]));
        catalog ??= ItemIds;
        graph.Initializer.Add(Int64s("catalog_ids", [catalog.Length], catalog));
        graph.Node.Add(LabelEncoder("user_id", "user_index", UserIds));
        graph.Node.Add(LabelEncoder("item_id", "item_index", ItemIds));
        graph.Node.Add(Node("Gather", ["user_embedding", "user_index"], "user_vector"));
        graph.Node.Add(Node("Gather", ["item_embedding", "item_index"], "item_vector"));
        graph.Node.Add(Node("Mul", ["user_vector", "item_vector"], "product"));
        var reduce = Node("ReduceSum", ["product", "reduce_axes"], "logit");
        reduce.Attribute.Add(new AttributeProto { Name = "keepdims", Type = AttributeProto.Types.AttributeType.Int, I = 0 });
        graph.Node.Add(reduce);
        graph.Node.Add(Node("Sigmoid", ["logit"], "score"));
        graph.Node.Add(Node("Greater", ["user_index", "zero"], "user_known"));
        graph.Node.Add(Node("Greater", ["item_index", "zero"], "item_known"));
        graph.Node.Add(Node("Identity", ["catalog_ids"], "catalog"));
        var outputs = new (string Name, TensorProto.Types.DataType Type, string Dim)[]
        {
            ("score", TensorProto.Types.DataType.Float, "N"), ("user_known", TensorProto.Types.DataType.Bool, "N"),
            ("item_known", TensorProto.Types.DataType.Bool, "N"), ("catalog", TensorProto.Types.DataType.Int64, "M"),
        };
        foreach (var (name, type, dim) in outputs)
            if (name != dropOutput) graph.Output.Add(Vector(name, type, dim));

        var model = new ModelProto { IrVersion = 8, ProducerName = "serving-tests", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "ai.onnx.ml", Version = 2 });
        foreach (var (key, value) in Metadata())
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        if (exportStamp is not null) model.MetadataProps.Add(new StringStringEntryProto { Key = ExportStamp.Key, Value = exportStamp });
        return model.ToByteArray();
    }

    public Dictionary<string, string> Metadata() => new()
    {
        ["model"] = "gmf",
        ["method"] = "idl",
        ["users"] = UserIds.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["items"] = ItemIds.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["metrics"] = "{\"auc\":0.75}",
        ["created_at"] = "2026-01-02T03:04:05Z",
        ["version"] = Version,
    };

    /// <summary>Writes model.onnx into <paramref name="folder"/> atomically (as the exporter does), returning its path.</summary>
    public string WriteModel(string folder, string? dropOutput = null, long[]? catalog = null, string? exportStamp = null)
    {
        var path = Path.Combine(folder, "model.onnx");
        WriteAtomically(path, ToModelBytes(dropOutput, catalog, exportStamp));
        return path;
    }

    public static void WriteAtomically(string path, byte[] bytes)
    {
        var temporary = path + $".{Guid.NewGuid():N}.tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Publishes this model with <paramref name="seen"/> as the next version of <paramref name="repository"/>, as `export --repository` does.</summary>
    public int Publish(string repository, IReadOnlyList<(long User, long Item)> seen) =>
        InverseLearning.Serving.Models.Repository.ModelRepository.Publish(repository, staging =>
        {
            WriteSeenAsync(staging, seen).GetAwaiter().GetResult();
            WriteModel(staging);
        }, new System.Text.Json.Nodes.JsonObject { ["auc"] = 0.75 });

    /// <summary>Writes seen.parquet (int64 user_id, item_id) beside the model, with <paramref name="exportStamp"/> in its footer if given.</summary>
    public static async Task WriteSeenAsync(string folder, IReadOnlyList<(long User, long Item)> rows, string? exportStamp = null)
    {
        var userField = new DataField<long>("user_id");
        var itemField = new DataField<long>("item_id");
        await using var stream = File.Create(Path.Combine(folder, "seen.parquet"));
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(userField, itemField), stream);
        if (exportStamp is not null) writer.CustomMetadata = new Dictionary<string, string> { [ExportStamp.Key] = exportStamp };
        using var group = writer.CreateRowGroup();
        await group.WriteAsync(userField, new ReadOnlyMemory<long>(rows.Select(r => r.User).ToArray()));
        await group.WriteAsync(itemField, new ReadOnlyMemory<long>(rows.Select(r => r.Item).ToArray()));
    }

    private static NodeProto LabelEncoder(string input, string output, long[] keys)
    {
        var node = Node("LabelEncoder", [input], output);
        node.Domain = "ai.onnx.ml";
        var ints = AttributeProto.Types.AttributeType.Ints;
        node.Attribute.Add(new AttributeProto { Name = "keys_int64s", Type = ints, Ints = { keys } });
        node.Attribute.Add(new AttributeProto { Name = "values_int64s", Type = ints, Ints = { Enumerable.Range(1, keys.Length).Select(i => (long)i) } });
        node.Attribute.Add(new AttributeProto { Name = "default_int64", Type = AttributeProto.Types.AttributeType.Int, I = 0 });
        return node;
    }

    private static NodeProto Node(string op, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = op, Name = output + "_" + op };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }

    private static ValueInfoProto Vector(string name, TensorProto.Types.DataType type, string dim)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = dim });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } } };
    }

    private static TensorProto Matrix(string name, float[][] rows)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, Dims = { rows.Length, rows[0].Length } };
        foreach (var row in rows) tensor.FloatData.AddRange(row);
        return tensor;
    }

    private static TensorProto Int64s(string name, long[] dims, long[] values) =>
        new() { Name = name, DataType = (int)TensorProto.Types.DataType.Int64, Dims = { dims }, Int64Data = { values } };
}
