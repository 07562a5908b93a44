namespace InverseLearning.Training.Evaluation;

/// <summary>
/// DenoisingRec's per-user full-ranking metrics of one top-K list against the user's true
/// positives: Recall@K = hits / |positives|; NDCG@K = DCG / IDCG with
/// DCG = Σ over hits at 0-based rank r &lt; K of 1 / log2(r + 2) and IDCG the same sum over
/// the first min(|positives|, K) ranks.
/// </summary>
public static class HitMetrics
{
    /// <param name="ranked">The user's ranked items, best first (at least K of them, unless the catalogue has fewer).</param>
    /// <param name="positives">The user's true positives, ascending and distinct; at least one.</param>
    public static (double Recall, double Ndcg) At(ReadOnlySpan<int> ranked, ReadOnlySpan<int> positives, int k)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "expected K ≥ 1.");
        if (positives.IsEmpty) throw new ArgumentException("expected at least one true positive.", nameof(positives));
        var cutoff = Math.Min(k, ranked.Length);
        var hits = 0;
        double dcg = 0;
        for (var r = 0; r < cutoff; r++)
        {
            if (positives.BinarySearch(ranked[r]) < 0) continue;
            hits++;
            dcg += 1 / Math.Log2(r + 2);
        }
        double idcg = 0;
        for (var r = 0; r < Math.Min(positives.Length, k); r++) idcg += 1 / Math.Log2(r + 2);
        return ((double)hits / positives.Length, dcg / idcg);
    }
}
