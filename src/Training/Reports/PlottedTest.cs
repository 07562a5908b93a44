using InverseLearning.Training.Evaluation;

namespace InverseLearning.Training.Reports;

/// <summary>
/// The test labels a plot of one metric over runs shows. Implicit feedback leaves AUC and GAUC undefined on the observed labels
/// (every test row positive): an empty plot would say nothing, so such a plot shows the clean test's metric when every run has
/// it, and its title says which labels it shows; without it (<see cref="Undefined"/>) there is nothing to show, and it is not drawn.
/// </summary>
public sealed record PlottedTest(string Metric, bool Clean, bool Undefined)
{
    /// <param name="metric">The metric's report name (auc, gauc, …).</param>
    public static PlottedTest Of(IReadOnlyList<RunResult> runs, string metric)
    {
        var undefined = runs.All(r => !double.IsFinite(r.Test[metric]));
        var clean = undefined && runs.All(r => r.CleanTest is not null);
        return new PlottedTest(metric, clean, undefined && !clean);
    }

    /// <summary>The value plotted for <paramref name="run"/>.</summary>
    public double Value(RunResult run) => Clean ? run.CleanTest![Metric] : run.Test[Metric];

    /// <summary>What is plotted: "test AUC", or "clean test AUC".</summary>
    public string Measure => $"{(Clean ? "clean test" : "test")} {Header}";

    /// <summary>What a title adds: why the clean test is shown; nothing for the observed labels.</summary>
    public string Note => Clean ? $" ({Header} is undefined on the observed labels)" : "";

    private string Header => UndefinedMetrics.Header(Metric);
}
