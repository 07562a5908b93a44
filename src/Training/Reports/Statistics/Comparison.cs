namespace InverseLearning.Training.Reports.Statistics;

/// <summary>One method against the baseline, for one model and metric, and what it means: a significant win, a significant loss, or a tie.</summary>
public sealed record Comparison(string Model, string Method, string Baseline, string Metric, PairedDifference Difference)
{
    /// <summary>Metrics where lower is better; every other reported metric is higher-is-better.</summary>
    public static bool LowerIsBetter(string metric) => metric == "logloss";

    public Outcome Verdict =>
        !Difference.Significant ? Outcome.Tie
        : (Difference.Mean > 0) != LowerIsBetter(Metric) ? Outcome.Win
        : Outcome.Loss;
}

public enum Outcome { Tie, Win, Loss }
