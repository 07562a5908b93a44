using System.Runtime.InteropServices;
using InverseLearning.Data;

namespace InverseLearning.Training.Evaluation;

/// <summary>
/// Ranking and calibration metrics on rows with true binary labels, as the authors' evaluation
/// computes them. Per-user metrics (GAUC, NDCG@k, MRR) use only users whose rows hold both
/// labels, and average over those users without weights. Within a user, rows are ranked by score
/// descending; for NDCG and MRR tied scores are broken by row order (the earlier row ranks
/// higher), while AUC and GAUC give tied pairs 1/2.
/// </summary>
public static class Metrics
{
    /// <summary>Probabilities are clipped to [ε, 1 − ε] before the log in logloss.</summary>
    public const double LogLossEpsilon = 1e-7;

    /// <summary>The most a row's clipped logloss can be, −ln ε (about 16.1): a prediction wrong with full confidence.</summary>
    public static readonly double MaxLogLoss = -Math.Log(LogLossEpsilon);

    // 1 / log2(r + 2) for the 0-based rank r, tabulated for the cut-offs we report.
    private static readonly double[] Discounts = Enumerable.Range(0, 64).Select(r => 1 / Math.Log2(r + 2)).ToArray();

    /// <summary>
    /// Every metric of one split: the rows ordered once by (user, score) for the per-user metrics,
    /// read through the order (no copies of the rows, no per-user collections); then AUC sorts
    /// the scores' codes in the order's memory. Besides the probabilities it holds 4 bytes a row.
    /// </summary>
    public static RankingMetrics Compute(ReadOnlySpan<int> users, PackedLabels labels, ReadOnlySpan<float> probabilities)
    {
        if (users.Length != labels.Count || labels.Count != probabilities.Length)
            throw new ArgumentException(
                $"users has {users.Length} rows, labels {labels.Count}, probabilities {probabilities.Length}; expected the same count.");
        ValidateProbabilities(probabilities);

        var order = UserRanking.Order(users, probabilities);
        var perUser = new PerUserSums();
        for (var start = 0; start < order.Length;)
        {
            var end = start + 1;
            while (end < order.Length && users[order[end]] == users[order[start]]) end++;
            perUser.Add(order.AsSpan(start, end - start), labels, probabilities);
            start = end;
        }
        return perUser.With(AucByCodes(labels, probabilities, MemoryMarshal.Cast<int, uint>(order.AsSpan())), LogLoss(labels, probabilities));
    }

    /// <summary>
    /// Every metric of rows grouped by user (user u's rows at [userOffsets[u], userOffsets[u + 1]), as
    /// <see cref="LabeledSet.Grouped"/> holds them): each user's rows ranked in a scratch of that
    /// user's size, then AUC sorts the scores' codes in <paramref name="probabilities"/>' own memory,
    /// which it overwrites. Besides the probabilities it holds a bit a row. The same metrics as
    /// <see cref="Compute(ReadOnlySpan{int}, PackedLabels, ReadOnlySpan{float})"/> on these rows.
    /// </summary>
    public static RankingMetrics ComputeGrouped(ReadOnlySpan<int> userOffsets, PackedLabels labels, Span<float> probabilities)
    {
        if (userOffsets.Length == 0 || userOffsets[^1] != labels.Count || labels.Count != probabilities.Length)
            throw new ArgumentException(
                $"user offsets end at {(userOffsets.Length == 0 ? 0 : userOffsets[^1])} rows, labels {labels.Count}, probabilities {probabilities.Length}; expected the same count.");
        ValidateProbabilities(probabilities);

        var perUser = new PerUserSums();
        var (rows, codes) = (Array.Empty<int>(), Array.Empty<uint>());
        for (var u = 0; u + 1 < userOffsets.Length; u++)
        {
            var (start, count) = (userOffsets[u], userOffsets[u + 1] - userOffsets[u]);
            if (count == 0) continue;
            if (rows.Length < count) (rows, codes) = (new int[Math.Max(count, 2 * rows.Length)], new uint[Math.Max(count, 2 * rows.Length)]);
            var userOrder = rows.AsSpan(0, count);
            for (var k = 0; k < count; k++) userOrder[k] = start + k;
            UserRanking.ByScore(userOrder, probabilities, codes.AsSpan(0, count));
            perUser.Add(userOrder, labels, probabilities);
        }
        var logLoss = LogLoss(labels, probabilities);
        return perUser.With(AucInPlace(labels, probabilities), logLoss);
    }

    /// <summary>The per-user metrics summed over the users whose rows hold both labels, each user's rows read in rank order.</summary>
    private sealed class PerUserSums
    {
        private float[] _ranked = [];
        private double _gauc, _ndcg10, _ndcg20, _mrr;
        private int _eligibleUsers;

        public void Add(ReadOnlySpan<int> userOrder, PackedLabels labels, ReadOnlySpan<float> probabilities)
        {
            if (_ranked.Length < userOrder.Length) _ranked = new float[Math.Max(userOrder.Length, 2 * _ranked.Length)];
            var ranked = _ranked.AsSpan(0, userOrder.Length);
            for (var r = 0; r < ranked.Length; r++) ranked[r] = labels[userOrder[r]];
            var positives = CountPositives(ranked);
            if (positives == 0 || positives == ranked.Length) return;
            _eligibleUsers++;
            _gauc += AucInOrder(userOrder, labels, probabilities);
            _ndcg10 += NdcgAtK(ranked, 10);
            _ndcg20 += NdcgAtK(ranked, 20);
            _mrr += ReciprocalRank(ranked);
        }

        public RankingMetrics With(double auc, double logLoss) =>
            new(auc, _gauc / _eligibleUsers, _ndcg10 / _eligibleUsers, _ndcg20 / _eligibleUsers, _mrr / _eligibleUsers, logLoss);
    }

    /// <summary>
    /// Rank-based (Mann–Whitney) AUC: the share of positive/negative pairs ordered right, a tied
    /// pair counting 1/2 (the same as giving tied scores their average rank). NaN when the rows
    /// hold only one label.
    /// </summary>
    public static double Auc(PackedLabels labels, ReadOnlySpan<float> scores) =>
        labels.Count == scores.Length ? AucByCodes(labels, scores, new uint[scores.Length])
            : throw new ArgumentException($"labels has {labels.Count} rows but scores has {scores.Length}; expected the same count.");

    /// <summary>AUC from the scores' descending codes, the positives' and the negatives' each written to a part of <paramref name="scratch"/> (one uint a row).</summary>
    private static double AucByCodes(PackedLabels labels, ReadOnlySpan<float> scores, Span<uint> scratch)
    {
        var positives = CountPositives(labels);
        if (positives == 0 || positives == labels.Count) return double.NaN;
        var positive = scratch[..positives];
        var negative = scratch[positives..labels.Count];
        var (p, n) = (0, 0);
        for (var row = 0; row < labels.Count; row++)
        {
            var code = UserRanking.DescendingCode(scores, row);
            if (IsPositive(labels[row])) positive[p++] = code;
            else negative[n++] = code;
        }
        return AucOfCodes(positive, negative);
    }

    /// <summary>
    /// AUC with the codes written over the scores themselves: each score turned into its code in
    /// place, then the positives' codes swapped to the front (a copy of the labels, a bit a row,
    /// swapped along).
    /// </summary>
    private static double AucInPlace(PackedLabels labels, Span<float> scores)
    {
        var positives = CountPositives(labels);
        if (positives == 0 || positives == labels.Count) return double.NaN;
        var codes = MemoryMarshal.Cast<float, uint>(scores);
        var isPositive = new System.Collections.BitArray(labels.Count);
        for (var row = 0; row < labels.Count; row++)
        {
            codes[row] = UserRanking.DescendingCode(scores, row);
            isPositive[row] = IsPositive(labels[row]);
        }
        for (int front = 0, back = labels.Count - 1; ; front++, back--)
        {
            while (front < labels.Count && isPositive[front]) front++;
            while (back >= 0 && !isPositive[back]) back--;
            if (front >= back) break;
            (codes[front], codes[back]) = (codes[back], codes[front]);
            (isPositive[front], isPositive[back]) = (true, false);
        }
        return AucOfCodes(codes[..positives], codes[positives..]);
    }

    /// <summary>
    /// AUC from the positives' and the negatives' descending codes (sorted here, in place): for each
    /// run of tied positives, the negatives below it and half those tied with it. The same pairs,
    /// summed in the same order, as reading the rows ranked by score.
    /// </summary>
    private static double AucOfCodes(Span<uint> positive, Span<uint> negative)
    {
        positive.Sort();
        negative.Sort();
        double orderedPairs = 0;
        var negativesAbove = 0;
        for (var start = 0; start < positive.Length;)
        {
            var code = positive[start];
            var end = start + 1;
            while (end < positive.Length && positive[end] == code) end++;
            while (negativesAbove < negative.Length && negative[negativesAbove] < code) negativesAbove++;
            var tiedEnd = negativesAbove;
            while (tiedEnd < negative.Length && negative[tiedEnd] == code) tiedEnd++;
            orderedPairs += (end - start) * (negative.Length - tiedEnd + 0.5 * (tiedEnd - negativesAbove));
            start = end;
        }
        return orderedPairs / ((double)positive.Length * negative.Length);
    }

    // AUC of the rows in rank order order[0], order[1], … (scores descending along it), read in place.
    private static double AucInOrder(ReadOnlySpan<int> order, PackedLabels labels, ReadOnlySpan<float> scores)
    {
        var positives = 0;
        foreach (var row in order) if (IsPositive(labels[row])) positives++;
        var negatives = order.Length - positives;
        if (positives == 0 || negatives == 0) return double.NaN;

        double orderedPairs = 0;
        var negativesAbove = 0;
        for (var start = 0; start < order.Length;)
        {
            var score = scores[order[start]];
            var (end, groupPositives) = (start, 0);
            for (; end < order.Length && scores[order[end]] == score; end++)
                if (IsPositive(labels[order[end]])) groupPositives++;
            if (end < order.Length && scores[order[end]] > score)
                throw new ArgumentException($"scores[{order[end]}] is larger than scores[{order[start]}]; expected scores in descending order.", nameof(scores));
            var groupNegatives = end - start - groupPositives;
            var negativesBelow = negatives - negativesAbove - groupNegatives;
            orderedPairs += groupPositives * (negativesBelow + 0.5 * groupNegatives);
            negativesAbove += groupNegatives;
            start = end;
        }
        return orderedPairs / ((double)positives * negatives);
    }

    /// <summary>
    /// NDCG@k of one ranked list of binary labels: DCG = Σ_{r ≤ k} (2^y_r − 1) / log2(r + 1),
    /// divided by the DCG of the ideal order (all positives first). NaN when the list has no positive.
    /// </summary>
    public static double NdcgAtK(ReadOnlySpan<float> rankedLabels, int k)
    {
        if (k <= 0) throw new ArgumentOutOfRangeException(nameof(k), k, "expected k ≥ 1.");
        var cutoff = Math.Min(k, rankedLabels.Length);
        double dcg = 0;
        for (var r = 0; r < cutoff; r++) dcg += Gain(rankedLabels[r]) * Discount(r);
        var idealCutoff = Math.Min(k, CountPositives(rankedLabels));
        double idealDcg = 0;
        for (var r = 0; r < idealCutoff; r++) idealDcg += Gain(1f) * Discount(r);
        return idealCutoff == 0 ? double.NaN : dcg / idealDcg;
    }

    /// <summary>Mean over the positives of 1 / rank (1-based) in one ranked list; NaN when there is no positive.</summary>
    public static double ReciprocalRank(ReadOnlySpan<float> rankedLabels)
    {
        double sum = 0;
        var positives = 0;
        for (var r = 0; r < rankedLabels.Length; r++)
        {
            if (!IsPositive(rankedLabels[r])) continue;
            sum += 1.0 / (r + 1);
            positives++;
        }
        return positives == 0 ? double.NaN : sum / positives;
    }

    /// <summary>Mean binary cross-entropy of probabilities clipped to [ε, 1 − ε]; NaN on no rows.</summary>
    private static double LogLoss(PackedLabels labels, ReadOnlySpan<float> probabilities)
    {
        double sum = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            var p = Math.Clamp(probabilities[i], LogLossEpsilon, 1 - LogLossEpsilon);
            sum -= IsPositive(labels[i]) ? Math.Log(p) : Math.Log(1 - p);
        }
        return labels.Count == 0 ? double.NaN : sum / labels.Count;
    }

    /// <summary>2^y − 1 for a binary label y: 1 for a positive, 0 for a negative.</summary>
    private static double Gain(float label) => label switch
    {
        1f => 1.0,
        0f => 0.0,
        _ => throw new ArgumentException($"A label is {label}; expected 0 or 1."),
    };

    private static double Discount(int rank) => rank < Discounts.Length ? Discounts[rank] : 1 / Math.Log2(rank + 2);

    private static bool IsPositive(float label) => label == 1f;

    private static int CountPositives(PackedLabels labels)
    {
        var count = 0;
        for (var row = 0; row < labels.Count; row++) if (IsPositive(labels[row])) count++;
        return count;
    }

    private static int CountPositives(ReadOnlySpan<float> labels)
    {
        var count = 0;
        foreach (var label in labels) if (label == 1f) count++;
        return count;
    }

    private static void ValidateProbabilities(ReadOnlySpan<float> probabilities)
    {
        for (var i = 0; i < probabilities.Length; i++)
            if (!(probabilities[i] >= 0f && probabilities[i] <= 1f))
                throw new ArgumentException($"probabilities[{i}] is {probabilities[i]}; expected a number in [0, 1].", nameof(probabilities));
    }
}
