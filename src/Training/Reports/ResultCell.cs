using InverseLearning.Training.Evaluation;

namespace InverseLearning.Training.Reports;

/// <summary>The repeats of one (method, model) pair summarized per metric, for one kind of test labels.</summary>
public sealed record ResultCell(string Method, string Model, IReadOnlyDictionary<string, MetricSummary> Metrics)
{
    /// <summary>
    /// Groups runs by (method, model), keeping the order in which methods and models first appear.
    /// With <paramref name="clean"/>, uses the metrics against the true labels and skips runs without them.
    /// </summary>
    public static IReadOnlyList<ResultCell> Group(IReadOnlyList<RunResult> runs, bool clean = false) =>
        runs.Select(run => (run, metrics: clean ? run.CleanTest : run.Test))
            .Where(x => x.metrics is not null)
            .GroupBy(x => (x.run.Method, x.run.Model))
            .Select(group => new ResultCell(group.Key.Method, group.Key.Model,
                RankingMetrics.Names.ToDictionary(
                    name => name,
                    name => MetricSummary.Of(group.Select(x => x.metrics![name]).ToList()))))
            .ToList();
}
