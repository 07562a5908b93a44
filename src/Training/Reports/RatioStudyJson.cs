using System.Text.Json.Nodes;

namespace InverseLearning.Training.Reports;

/// <summary>
/// An experiment's lr_ratio.json, the RQ4 study of IG's η_s / η: <c>ratios</c>, then per model and ratio (<c>studies</c>)
/// the sample learning rate η_s, the runs at it and their summary, each as results.json writes them. The runs of all
/// ratios summarised together would mean nothing, so each ratio has its own.
/// </summary>
public static class RatioStudyJson
{
    public const string FileName = "lr_ratio.json";

    /// <param name="runs">Per model, the runs at each of <paramref name="ratios"/>, in that order.</param>
    public static void Write(string path, IReadOnlyList<double> ratios, double learningRate, IEnumerable<(string Model, List<List<RunResult>> ByRatio)> runs)
    {
        var studies = new JsonArray();
        foreach (var (model, byRatio) in runs)
            for (var r = 0; r < ratios.Count; r++)
                studies.Add(new JsonObject
                {
                    ["model"] = model,
                    ["ratio"] = ReportJson.Number(ratios[r]),
                    ["sample_learning_rate"] = ReportJson.Number(learningRate * ratios[r]),
                    ["summary"] = ResultsJson.Summaries(byRatio[r]).Single()?.DeepClone(),
                    ["runs"] = ResultsJson.Runs(byRatio[r]),
                });
        var root = new JsonObject { ["ratios"] = ReportJson.FromValue(ratios), ["studies"] = studies };
        ReportJson.Write(path, root);
    }
}
