namespace InverseLearning.Training.Reports.Statistics;

/// <summary>One method against the baseline, for one model and metric, and what it means: a significant win, a significant loss, or a tie.</summary>
public sealed record Comparison(string Model, string Method, string Baseline, string Metric, PairedDifference Difference)
{
    /// <summary>Metrics where lower is better; every other reported metric is higher-is-better.</summary>
    public static bool LowerIsBetter(string metric) => metric == "logloss";

    public ComparisonResult Result =>
        !Difference.Significant ? ComparisonResult.Tie
        : (Difference.Mean > 0) != LowerIsBetter(Metric) ? ComparisonResult.Win
        : ComparisonResult.Loss;
}
