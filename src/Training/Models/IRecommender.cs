using InverseLearning.Training.Graph;

namespace InverseLearning.Training.Models;

/// <summary>
/// A scoring model: its parameters, and the forward pass from the embedding rows of
/// each interaction to one logit per interaction.
/// </summary>
public interface IRecommender
{
    /// <summary>gmf, neumf, mlp or cdae.</summary>
    string Name { get; }
    IReadOnlyList<EmbeddingSpec> Embeddings { get; }
    IReadOnlyList<DenseSpec> Dense { get; }

    /// <summary>The tables whose rows <see cref="Logits"/> takes: the embeddings, unless the model derives a user table (CDAE).</summary>
    IReadOnlyList<EmbeddingSpec> ScoringTables => Embeddings;

    /// <summary>
    /// Logits [R] from <paramref name="rows"/> (per embedding table, its rows for the R
    /// interactions: [R, dim]) and the dense parameters by name; <paramref name="training"/>
    /// turns dropout on (training graphs), off for scoring and export.
    /// </summary>
    Value Logits(GraphBuilder g, IReadOnlyDictionary<string, Value> rows, IReadOnlyDictionary<string, Value> dense, bool training = false);
}
