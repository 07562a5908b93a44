namespace InverseLearning.Training.Reports.Statistics;

/// <summary>
/// Method − baseline on one metric, paired by seed: the mean difference, its 95% confidence
/// interval mean ± t(0.975, n − 1)·s/√n, the paired t-test's two-sided p-value (t = mean / (s/√n),
/// n − 1 degrees of freedom), and the exact Wilcoxon signed-rank p when n ≥
/// <see cref="WilcoxonSignedRank.MinimumRepeats"/>. With s = 0 the t statistic is ±∞ (p = 0) unless
/// every difference is 0 (p = 1).
/// </summary>
public sealed record PairedDifference(int Count, double Mean, double Std, double CiLow, double CiHigh, double T, double PValue, double? WilcoxonP)
{
    public const double Confidence = 0.95;
    public const double SignificanceLevel = 0.05;

    public static PairedDifference Of(IReadOnlyList<double> differences)
    {
        var n = differences.Count;
        if (n < 2) throw new ArgumentException($"a paired comparison needs at least 2 repeats, got {n}.", nameof(differences));
        var summary = MetricSummary.Of(differences);
        var standardError = summary.Std / Math.Sqrt(n);
        var halfWidth = StudentT.Quantile(1 - (1 - Confidence) / 2, n - 1) * standardError;
        double t, p;
        if (standardError > 0)
        {
            t = summary.Mean / standardError;
            p = StudentT.TwoSidedP(t, n - 1);
        }
        else
        {
            t = summary.Mean == 0 ? 0 : Math.CopySign(double.PositiveInfinity, summary.Mean);
            p = summary.Mean == 0 ? 1 : 0;
        }
        double? wilcoxon = n >= WilcoxonSignedRank.MinimumRepeats ? WilcoxonSignedRank.Test(differences).PValue : null;
        return new PairedDifference(n, summary.Mean, summary.Std, summary.Mean - halfWidth, summary.Mean + halfWidth, t, p, wilcoxon);
    }

    /// <summary>Significant at the 5% level by the paired t-test.</summary>
    public bool Significant => PValue < SignificanceLevel;
}
