namespace InverseLearning.Training.Evaluation;

/// <summary>
/// Recall@K and NDCG@K of the full-ranking protocol, for each K, averaged over the
/// <see cref="Users"/> test users with at least one true positive; <see cref="TestPositives"/>
/// names the rule that picked them (truth, like, rating:N).
/// </summary>
public sealed record FullRankingMetrics(string TestPositives, int Users, IReadOnlyList<int> Ks, IReadOnlyList<double> Recall, IReadOnlyList<double> Ndcg)
{
    public double RecallAt(int k) => Recall[IndexOf(k)];
    public double NdcgAt(int k) => Ndcg[IndexOf(k)];

    /// <summary>The metric names, in report order: recall@K for each K, then ndcg@K for each K (DenoisingRec's layout).</summary>
    public IEnumerable<string> Names => Ks.Select(k => $"recall@{k}").Concat(Ks.Select(k => $"ndcg@{k}"));

    /// <summary>The figures for metrics.json: the rule, the user count, recall@K and ndcg@K.</summary>
    public IReadOnlyDictionary<string, object> ToDictionary()
    {
        var values = new Dictionary<string, object> { ["test_positives"] = TestPositives, ["users"] = Users };
        for (var i = 0; i < Ks.Count; i++) values[$"recall@{Ks[i]}"] = Recall[i];
        for (var i = 0; i < Ks.Count; i++) values[$"ndcg@{Ks[i]}"] = Ndcg[i];
        return values;
    }

    private int IndexOf(int k)
    {
        for (var i = 0; i < Ks.Count; i++) if (Ks[i] == k) return i;
        throw new ArgumentException($"K = {k} was not evaluated; evaluated K: {string.Join(", ", Ks)}", nameof(k));
    }
}
