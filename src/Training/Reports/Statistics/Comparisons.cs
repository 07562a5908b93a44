using InverseLearning.Training.Evaluation;

namespace InverseLearning.Training.Reports.Statistics;

/// <summary>Every method against the baseline, per model and metric, pairing runs by seed (seeds that only one side has are left out).</summary>
public static class Comparisons
{
    public static IReadOnlyList<Comparison> Against(string baseline, IReadOnlyList<RunResult> runs, bool clean = false)
    {
        var result = new List<Comparison>();
        foreach (var model in runs.Select(r => r.Model).Distinct())
        {
            var baseBySeed = runs.Where(r => r.Model == model && r.Method == baseline)
                .Select(r => (r.Seed, Metrics: clean ? r.CleanTest : r.Test)).Where(x => x.Metrics is not null)
                .ToDictionary(x => x.Seed, x => x.Metrics!);
            foreach (var method in runs.Where(r => r.Model == model && r.Method != baseline).Select(r => r.Method).Distinct())
            {
                var pairs = runs.Where(r => r.Model == model && r.Method == method)
                    .Select(r => (Metrics: clean ? r.CleanTest : r.Test, Base: baseBySeed.GetValueOrDefault(r.Seed)))
                    .Where(x => x.Metrics is not null && x.Base is not null).ToList();
                if (pairs.Count < 2) continue;
                foreach (var metric in RankingMetrics.Names)
                {
                    var differences = pairs.Select(x => x.Metrics![metric] - x.Base![metric]).ToList();
                    if (differences.Any(d => !double.IsFinite(d))) continue;
                    result.Add(new Comparison(model, method, baseline, metric, PairedDifference.Of(differences)));
                }
            }
        }
        return result;
    }
}
