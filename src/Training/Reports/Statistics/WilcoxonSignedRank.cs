namespace InverseLearning.Training.Reports.Statistics;

/// <summary>
/// The Wilcoxon signed-rank test on paired differences, with its exact null distribution:
/// zero differences are dropped (Wilcoxon's convention), |d| are ranked with tied values
/// sharing their mean rank, W⁺ = sum of the ranks of positive differences, and under H₀ each
/// rank's sign is a fair coin. Ranks are doubled to integers so ties stay exact; the
/// distribution of the doubled W⁺ is counted by dynamic programming over the ranks.
/// </summary>
public static class WilcoxonSignedRank
{
    /// <summary>The fewest repeats whose exact two-sided p can fall below 0.05: with n nonzero differences the smallest p is 2/2ⁿ, 0.0625 at n = 5, 0.031 at n = 6.</summary>
    public const int MinimumRepeats = 6;

    public sealed record Result(int NonZero, double WPlus, double PValue);

    public static Result Test(IReadOnlyList<double> differences)
    {
        var nonZero = differences.Where(d => d != 0).ToArray();
        var n = nonZero.Length;
        if (n == 0) return new Result(0, 0, 1);
        var doubledRanks = DoubledRanks(nonZero.Select(Math.Abs).ToArray());
        var doubledWPlus = 0;
        for (var i = 0; i < n; i++) if (nonZero[i] > 0) doubledWPlus += doubledRanks[i];

        // ways[s] = number of sign assignments whose doubled W⁺ is s.
        var total = doubledRanks.Sum();
        var ways = new double[total + 1];
        ways[0] = 1;
        var reach = 0;
        foreach (var rank in doubledRanks)
        {
            for (var s = reach; s >= 0; s--) if (ways[s] != 0) ways[s + rank] += ways[s];
            reach += rank;
        }
        var all = Math.Pow(2, n);
        double atMost = 0, atLeast = 0;
        for (var s = 0; s <= total; s++)
        {
            if (s <= doubledWPlus) atMost += ways[s];
            if (s >= doubledWPlus) atLeast += ways[s];
        }
        var p = Math.Min(1, 2 * Math.Min(atMost, atLeast) / all);
        return new Result(n, doubledWPlus / 2.0, p);
    }

    /// <summary>2 × the mid-rank of each value (ranks from 1; ties get the mean of the ranks they span).</summary>
    private static int[] DoubledRanks(double[] values)
    {
        var order = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ToArray();
        var ranks = new int[values.Length];
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]]) end++;
            // Ranks start+1 … end+1; their mean doubled is start + end + 2.
            for (var k = start; k <= end; k++) ranks[order[k]] = start + end + 2;
            start = end + 1;
        }
        return ranks;
    }
}
