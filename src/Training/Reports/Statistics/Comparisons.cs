using InverseLearning.Training.Evaluation;

namespace InverseLearning.Training.Reports.Statistics;

/// <summary>Every method against the baseline, per model and metric, pairing runs by seed (seeds that only one side has are left out).</summary>
public static class Comparisons
{
    /// <summary>On the labeled-row metrics of the test rows, against the observed labels or (clean) the true ones.</summary>
    public static IReadOnlyList<Comparison> Against(string baseline, IReadOnlyList<RunResult> runs, bool clean = false) =>
        Against(baseline, runs, RankingMetrics.Names, r => (clean ? r.CleanTest : r.Test) is { } m ? name => m[name] : null);

    /// <summary>On the full ranking's Recall@K and NDCG@K, at the K the runs were ranked at.</summary>
    public static IReadOnlyList<Comparison> OnFullRanking(string baseline, IReadOnlyList<RunResult> runs) =>
        Against(baseline, runs, runs.FirstOrDefault(r => r.FullRanking is not null)?.FullRanking!.Names.ToList() ?? [],
            r => r.FullRanking is { } m ? name => m[name] : null);

    private static IReadOnlyList<Comparison> Against(string baseline, IReadOnlyList<RunResult> runs, IReadOnlyList<string> names,
        Func<RunResult, Func<string, double>?> metricsOf)
    {
        var result = new List<Comparison>();
        foreach (var model in runs.Select(r => r.Model).Distinct())
        {
            var baseBySeed = runs.Where(r => r.Model == model && r.Method == baseline)
                .Select(r => (r.Seed, Metrics: metricsOf(r))).Where(x => x.Metrics is not null)
                .ToDictionary(x => x.Seed, x => x.Metrics!);
            foreach (var method in runs.Where(r => r.Model == model && r.Method != baseline).Select(r => r.Method).Distinct())
            {
                var pairs = runs.Where(r => r.Model == model && r.Method == method)
                    .Select(r => (Metrics: metricsOf(r), Base: baseBySeed.GetValueOrDefault(r.Seed)))
                    .Where(x => x.Metrics is not null && x.Base is not null).ToList();
                if (pairs.Count < 2) continue;
                foreach (var metric in names)
                {
                    var differences = pairs.Select(x => x.Metrics!(metric) - x.Base!(metric)).ToList();
                    if (differences.Any(d => !double.IsFinite(d))) continue;
                    result.Add(new Comparison(model, method, baseline, metric, PairedDifference.Of(differences)));
                }
            }
        }
        return result;
    }
}
