using InverseLearning.Training.Evaluation;

namespace InverseLearning.Training.Cli;

/// <summary>Prints a run's results as a small table on stdout.</summary>
public static class ResultPrinter
{
    public static void Print(TrainingOutcome result)
    {
        Console.WriteLine(Headline(result.Settings.Model, result.Settings.Method, result.BestEpoch, result.TrainSeconds, result.RowsPerSecond));
        Console.WriteLine($"  {"split",-12} {"AUC",7} {"GAUC",7} {"NDCG@10",8} {"NDCG@20",8} {"MRR",7} {"logloss",8}");
        Row("valid", result.Valid);
        // Implicit feedback's test rows are all positive: the metrics that need a negative are n/a, and a line says why.
        Row("test", result.Test);
        if (result.TestUndefined is { } why) Console.WriteLine(Undefined("test", why, result.CleanTest is not null, result.FullRanking is not null));
        if (result.CleanTest is not null) Row("clean test", result.CleanTest);
        if (result.CleanTestUndefined is { } cleanWhy) Console.WriteLine(Undefined("clean test", cleanWhy, clean: false, fullRanking: false));
        if (result.FullRanking is { } f) FullRanking(f);
        if (result.Annotation is { } a)
            Console.WriteLine($"  annotation of sampled rows (truth known): IDL accuracy {a.IdlAccuracy:F3} " +
                $"(precision {Share(a.IdlPrecision, "no row annotated positive")}, recall {Share(a.IdlRecall, "no truly liked row")}) vs NS's all-negative {a.NsAccuracy:F3}" +
                (a.UsersLeftOut > 0 ? $"; {Data.Counted.Of(a.UsersLeftOut, "training user")} left out, who {(a.UsersLeftOut == 1 ? "has" : "have")} seen every item (no unlabeled item to draw)" : ""));
        Console.WriteLine($"  written to {result.OutputDirectory}/ (metrics.json, model.onnx, seen.parquet, checkpoint)");
    }

    /// <summary>The first line: the best epoch, and the time and pace of this start's training.</summary>
    public static string Headline(string model, string method, int bestEpoch, double trainSeconds, double rowsPerSecond) =>
        $"{model} / {method}: best epoch {bestEpoch}, " + (trainSeconds > 0
            ? $"{trainSeconds:F1} s of training, {rowsPerSecond:N0} labeled rows/s"
            // A --resume of a run killed after its last epoch, before its metrics.json: "0.0 s of training, 0 labeled rows/s" before.
            : "no epoch left to train in this start (resumed after its last)");

    // A share of no rows is undefined: said in words, as metrics.json says null, rather than printed as NaN.
    public static string Share(double value, string whyUndefined) => double.IsNaN(value) ? $"none: {whyUndefined}" : value.ToString("F3", System.Globalization.CultureInfo.CurrentCulture);

    public static void FullRanking(FullRankingMetrics f) =>
        Console.WriteLine($"  full ranking ({f.Users:N0} test users, positives: {f.TestPositives}): " +
            string.Join(", ", f.Ks.Select(k => $"Recall@{k} {f.RecallAt(k):F4}")) + "; " + string.Join(", ", f.Ks.Select(k => $"NDCG@{k} {f.NdcgAt(k):F4}")));

    /// <summary>
    /// The line under a row with n/a cells (<see cref="UndefinedMetrics.Why"/>), naming what measures the model instead: for the
    /// observed test, the clean test row and the full ranking when the run has them, else --eval full-ranking.
    /// </summary>
    /// <param name="clean">The run has a clean test row (only said for the observed test).</param>
    /// <param name="fullRanking">The run ranked the catalogue in full (only said for the observed test).</param>
    public static string Undefined(string split, string why, bool clean, bool fullRanking)
    {
        var instead = split != "test" ? ""
            : clean && fullRanking ? "; the clean test row (true labels) and the full ranking measure the model instead"
            : clean ? "; the clean test row (true labels) measures the model instead"
            : fullRanking ? "; the full ranking measures the model instead"
            : "; --eval full-ranking measures the model on them (every item ranked for each test user)";
        return $"  {split}: n/a: {why}{instead}";
    }

    /// <summary>One split's row; an undefined metric (NaN) is shown as n/a, never as NaN (a line under the row says why).</summary>
    public static void Row(string split, RankingMetrics m) =>
        Console.WriteLine($"  {split,-12} {UndefinedMetrics.Shown(m.Auc),7} {UndefinedMetrics.Shown(m.Gauc),7} {UndefinedMetrics.Shown(m.Ndcg10),8} {UndefinedMetrics.Shown(m.Ndcg20),8} {UndefinedMetrics.Shown(m.Mrr),7} {UndefinedMetrics.Shown(m.LogLoss),8}");
}
