using InverseLearning.Training.Evaluation;

namespace InverseLearning.Training.Cli;

/// <summary>Prints a run's results as a small table on stdout.</summary>
public static class ResultPrinter
{
    public static void Print(TrainingOutcome result)
    {
        Console.WriteLine($"{result.Settings.Model} / {result.Settings.Method}: best epoch {result.BestEpoch}, " +
            $"{result.TrainSeconds:F1} s of training, {result.RowsPerSecond:N0} labeled rows/s");
        Console.WriteLine($"  {"split",-12} {"AUC",7} {"GAUC",7} {"NDCG@10",8} {"NDCG@20",8} {"MRR",7} {"logloss",8}");
        Row("valid", result.Valid);
        // Implicit feedback's test rows are all positive: no labeled-row metric is defined there (full ranking is the measure).
        if (Defined(result.Test)) Row("test", result.Test);
        if (result.CleanTest is not null) Row("clean test", result.CleanTest);
        if (result.FullRanking is { } f) FullRanking(f);
        if (result.Annotation is { } a)
            Console.WriteLine($"  annotation of sampled rows (truth known): IDL accuracy {a.IdlAccuracy:F3} " +
                $"(precision {Share(a.IdlPrecision, "no row annotated positive")}, recall {Share(a.IdlRecall, "no truly liked row")}) vs NS's all-negative {a.NsAccuracy:F3}");
        Console.WriteLine($"  written to {result.OutputDirectory}/ (metrics.json, model.onnx, seen.parquet, checkpoint)");
    }

    // A share of no rows is undefined: said in words, as metrics.json says null, rather than printed as NaN.
    public static string Share(double value, string whyUndefined) => double.IsNaN(value) ? $"none: {whyUndefined}" : value.ToString("F3", System.Globalization.CultureInfo.CurrentCulture);

    public static void FullRanking(FullRankingMetrics f) =>
        Console.WriteLine($"  full ranking ({f.Users:N0} test users, positives: {f.TestPositives}): " +
            string.Join(", ", f.Ks.Select(k => $"Recall@{k} {f.RecallAt(k):F4}")) + "; " + string.Join(", ", f.Ks.Select(k => $"NDCG@{k} {f.NdcgAt(k):F4}")));

    /// <summary>A table of NaN would read as a result: an undefined metric is an error instead.</summary>
    public static void RequireDefined(string split, RankingMetrics metrics)
    {
        if (RankingMetrics.Names.FirstOrDefault(name => !double.IsFinite(metrics[name])) is { } undefined)
            throw new ArgumentException($"{split}: {undefined} is undefined on these rows (one label only, or no user with both labels); nothing to report");
    }

    public static bool Defined(RankingMetrics metrics) => RankingMetrics.Names.All(name => double.IsFinite(metrics[name]));

    public static void Row(string split, RankingMetrics m) =>
        Console.WriteLine($"  {split,-12} {m.Auc,7:F4} {m.Gauc,7:F4} {m.Ndcg10,8:F4} {m.Ndcg20,8:F4} {m.Mrr,7:F4} {m.LogLoss,8:F4}");
}
