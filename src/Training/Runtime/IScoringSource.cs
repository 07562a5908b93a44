using InverseLearning.Training.Models;

namespace InverseLearning.Training.Runtime;

/// <summary>
/// Where a model's scoring forms (pairwise scores, user blocks, export) read its
/// <see cref="IRecommender.ScoringTables"/> from: the store's own tables, or tables the model
/// derives from them (CDAE's hidden rows, LightGCN's propagated embeddings), recomputed only
/// when the store has changed.
/// </summary>
public interface IScoringSource : IDisposable
{
    IParameterStore Store { get; }

    /// <summary>Binds the scoring tables and the dense parameters, up to date for scoring <paramref name="users"/>.</summary>
    void Bind(GraphSession session, ReadOnlySpan<int> users);

    /// <summary>Every row of one scoring table (export), in the order of <see cref="IRecommender.ScoringTables"/>.</summary>
    float[] Table(int scoringTable);
}
