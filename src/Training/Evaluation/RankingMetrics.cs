namespace InverseLearning.Training.Evaluation;

/// <summary>
/// The evaluation figures of one split, as the authors' code reports them. A metric that is
/// undefined on the split (AUC with one class only, GAUC/NDCG/MRR with no user holding both
/// labels) is <see cref="double.NaN"/>.
/// </summary>
public sealed record RankingMetrics(double Auc, double Gauc, double Ndcg10, double Ndcg20, double Mrr, double LogLoss)
{
    /// <summary>The metric names used in metrics.json, results.json and the tables, in report order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["auc", "gauc", "ndcg@10", "ndcg@20", "mrr", "logloss"];

    public IReadOnlyDictionary<string, double> ToDictionary() => new Dictionary<string, double>
    {
        ["auc"] = Auc,
        ["gauc"] = Gauc,
        ["ndcg@10"] = Ndcg10,
        ["ndcg@20"] = Ndcg20,
        ["mrr"] = Mrr,
        ["logloss"] = LogLoss,
    };

    /// <summary>One metric by its report name (see <see cref="Names"/>).</summary>
    public double this[string name] => name switch
    {
        "auc" => Auc,
        "gauc" => Gauc,
        "ndcg@10" => Ndcg10,
        "ndcg@20" => Ndcg20,
        "mrr" => Mrr,
        "logloss" => LogLoss,
        _ => throw new ArgumentException($"Unknown metric '{name}'; expected one of {string.Join(", ", Names)}.", nameof(name)),
    };

    /// <summary>Rebuilds metrics from their report names; every name in <see cref="Names"/> must be present.</summary>
    public static RankingMetrics FromDictionary(IReadOnlyDictionary<string, double> values)
    {
        double Get(string name) => values.TryGetValue(name, out var v)
            ? v
            : throw new ArgumentException($"Metric '{name}' is missing; expected all of {string.Join(", ", Names)}.", nameof(values));
        return new RankingMetrics(Get("auc"), Get("gauc"), Get("ndcg@10"), Get("ndcg@20"), Get("mrr"), Get("logloss"));
    }
}
