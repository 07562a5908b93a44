using InverseLearning.Training.Evaluation;
using InverseLearning.Training.Graph;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Models;

/// <summary>
/// A scoring model, as its <see cref="Backbone"/> built it for one run: its parameters and
/// every form of its forward pass. The runtime, evaluation and export call these and nothing
/// else, so a model's math exists once, here, and no other code names its tables.
/// </summary>
public interface IRecommender
{
    /// <summary>The backbone's name (gmf, neumf, …).</summary>
    string Name { get; }
    IReadOnlyList<EmbeddingSpec> Embeddings { get; }
    IReadOnlyList<DenseSpec> Dense { get; }

    /// <summary>The tables whose rows <see cref="Logits"/> takes: the embeddings, unless the model derives its own (CDAE, LightGCN).</summary>
    IReadOnlyList<EmbeddingSpec> ScoringTables => Embeddings;

    /// <summary>
    /// Logits [R] from <paramref name="rows"/> (per scoring table, its rows for the R
    /// interactions: [R, dim]) and the dense parameters by name; <paramref name="training"/>
    /// turns dropout on (training graphs), off for scoring and export.
    /// </summary>
    Value Logits(GraphBuilder g, IReadOnlyDictionary<string, Value> rows, IReadOnlyDictionary<string, Value> dense, bool training = false);

    /// <summary>
    /// Training-mode logits [R] of a step's rows from its working set: <paramref name="tables"/>
    /// holds each embedding table's working-set rows (or the whole table, for one declared
    /// <see cref="EmbeddingSpec.Whole"/>), <paramref name="dense"/> the dense parameters. By
    /// default each row's table rows are gathered by its user or item slot.
    /// </summary>
    Value TrainingLogits(WorkingSetInputs x, IReadOnlyDictionary<string, Value> tables, IReadOnlyDictionary<string, Value> dense)
    {
        var rows = Embeddings.ToDictionary(e => e.Name, e => x.G.Gather(tables[e.Name], e.Side == TableSide.User ? x.UserSlots : x.ItemSlots));
        return Logits(x.G, rows, dense, training: true);
    }

    /// <summary>What a step feeds the graph beside the batch's rows (CDAE: its users' histories); null for nothing.</summary>
    IStepFeed? CreateStepFeed(int maxRows) => null;

    /// <summary>Where scoring reads <see cref="ScoringTables"/> from: the store's own tables by default; <paramref name="device"/> runs any graph that derives them.</summary>
    IScoringSource CreateScoringSource(IParameterStore store, ExecutionDevice device) => new StoreScoringSource(store);

    /// <summary>The model's own form for scoring a block of users against the whole catalogue; null to score pair by pair.</summary>
    IUserBlockScorer? CreateBlockScorer(IScoringSource source, ExecutionDevice device) => null;
}
