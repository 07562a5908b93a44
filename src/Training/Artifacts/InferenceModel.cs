using InverseLearning.Serving.Models.Contract;
using InverseLearning.Training.Graph;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Artifacts;

/// <summary>
/// The exported inference graph, `model.onnx`: raw int64 ids in, probabilities out, runnable
/// by any ONNX runtime (IR 8, opset 17, ai.onnx.ml 2). The id → index mapping is inside
/// the graph (a LabelEncoder per id column; unknown ids map to the reserved row 0).
///   inputs:  user_id int64 [N], item_id int64 [N], of equal lengths (others are refused)
///   outputs: score float [N] = σ(logit); user_known, item_known bool [N];
///            catalog int64 [M], every item id the model knows (what Recommend ranks).
/// A strategy that rewrites scores (colliding inference) adds its part of the graph, so the
/// exported scores are the ones measured.
/// The graph holds the model's scoring tables as its scoring source gives them: a model that
/// derives its own (CDAE's hidden row per user, from the training history; LightGCN's
/// propagated embeddings) stores those in place of the tables they are computed from.
/// </summary>
public static class InferenceModel
{
    // The contract's names, defined once in ModelContract (the server reads what this writes).
    public const string FileName = ModelContract.ModelFileName, SeenFileName = ModelContract.SeenFileName;
    public const string UserId = ModelContract.UserId, ItemId = ModelContract.ItemId;
    public const string Score = ModelContract.Score, UserKnown = ModelContract.UserKnown, ItemKnown = ModelContract.ItemKnown, Catalog = ModelContract.Catalog;

    /// <summary>The node giving the item ids the user ids' shape: ORT's refusal of ids of unequal lengths names it.</summary>
    public const string EqualLengths = "ids_of_equal_length";

    /// <param name="userIds">Raw user id per vocabulary index; index 0 (reserved) is ignored.</param>
    /// <param name="itemIds">Raw item id per vocabulary index; index 0 (reserved) is ignored.</param>
    public static byte[] Build(IParameterStore store, ReadOnlySpan<long> userIds, ReadOnlySpan<long> itemIds, IReadOnlyDictionary<string, string> metadata,
        Evaluation.IScoreWrapper? scores = null)
    {
        var g = new GraphBuilder("inverselearning_ranker");
        var n = Dim.Named("N");
        // The item ids are reshaped to the user ids' shape, which ORT refuses for unequal lengths whatever the model (GMF broadcast
        // one user against two items and scored silently; NeuMF failed inside its tower). A Reshape aliases its input: no copy
        // (an [N, 2] Concat and Split of the ids did the same for about a tenth of a GMF run).
        var user = g.Input(UserId, DType.Int64, n);
        var item = g.Named(g.ReshapeLike(g.Input(ItemId, DType.Int64, n), user), EqualLengths);
        var userIndex = g.LabelEncoder(user, userIds[1..], Indices(userIds.Length), 0);
        var itemIndex = g.LabelEncoder(item, itemIds[1..], Indices(itemIds.Length), 0);

        var scoringTables = store.Model.ScoringTables;
        using var source = store.Model.CreateScoringSource(store, new ExecutionDevice("cpu", Environment.ProcessorCount));
        var tables = scoringTables.Select((spec, k) =>
            g.Initializer(TensorProtos.Create<float>(spec.Name, DType.Float, source.Table(k), [(spec.Side == Models.TableSide.User ? store.UserRows : store.ItemRows), spec.Dim]))).ToList();
        var dense = store.Parameters.Where(p => p.Side is null).ToDictionary(p => p.Name,
            p => g.Initializer(TensorProtos.Create<float>(p.Name, DType.Float, StoreScoringSource.ReadTable(store, p.Name), p.Shape)));
        Value Probability(Value users, Value items)
        {
            var rows = new Dictionary<string, Value>();
            for (var k = 0; k < scoringTables.Count; k++)
                rows[scoringTables[k].Name] = g.Gather(tables[k], scoringTables[k].Side == Models.TableSide.User ? users : items);
            return g.Sigmoid(store.Model.Logits(g, rows, dense));
        }

        var probability = Probability(userIndex, itemIndex);
        if (scores is not null) probability = scores.Export(g, userIndex, itemIndex, probability, Probability);
        var score = g.Named(probability, Score);
        var zero = g.Scalar(0, DType.Int64);
        var userKnown = g.Named(g.Greater(userIndex, zero), UserKnown);
        var itemKnown = g.Named(g.Greater(itemIndex, zero), ItemKnown);
        var catalog = g.Named(g.Initializer(TensorProtos.Create<long>("catalog_ids", DType.Int64, itemIds[1..], itemIds.Length - 1)), Catalog);
        return g.ToBytes([score, userKnown, itemKnown, catalog], metadata);
    }

    private static long[] Indices(int count) => Enumerable.Range(1, count - 1).Select(i => (long)i).ToArray();
}
