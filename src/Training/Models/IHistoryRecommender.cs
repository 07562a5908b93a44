using InverseLearning.Training.Graph;

namespace InverseLearning.Training.Models;

/// <summary>
/// A model whose user representation is computed from the user's history (CDAE): it has
/// one <see cref="TableSide.History"/> table, summed over the history's rows per user, and
/// scores from a derived user table <see cref="HiddenTable"/> (one row per user, computed
/// from the uncorrupted history for scoring and export).
/// </summary>
public interface IHistoryRecommender : IRecommender
{
    UserHistory History { get; }
    /// <summary>Probability that a history entry is dropped in a training step.</summary>
    double Corruption { get; }
    int Seed { get; }
    /// <summary>The derived user table's spec, the user side of <see cref="IRecommender.ScoringTables"/>.</summary>
    EmbeddingSpec HiddenTable { get; }

    /// <summary>
    /// The hidden representation [U, dim] from <paramref name="historySum"/> (the summed,
    /// already rescaled history rows [U, dim]) and the users' own rows of the user tables ([U, dim] each).
    /// </summary>
    Value Hidden(GraphBuilder g, Value historySum, IReadOnlyDictionary<string, Value> userRows, IReadOnlyDictionary<string, Value> dense);

    /// <summary>The same on the host for one user: <paramref name="hidden"/> = σ(historySum + user row + bias), written in place.</summary>
    void HiddenOnHost(Span<float> hidden, ReadOnlySpan<float> userRow, ReadOnlySpan<float> bias);
}
