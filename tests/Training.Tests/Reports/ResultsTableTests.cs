using InverseLearning.Training.Evaluation;
using InverseLearning.Training.Reports;

namespace InverseLearning.Training.Tests.Reports;

public class ResultsTableTests
{
    private static RunResult Run(string method, string model, double ndcg, double auc, double gauc, int seed = 1, RankingMetrics? clean = null) =>
        new(method, model, seed, new RankingMetrics(auc, gauc, ndcg, ndcg + 0.1, 0.5, 0.4), clean);

    [Fact]
    public void Marks_best_bold_and_runner_up_underlined_per_column()
    {
        RunResult[] runs =
        [
            Run("none", "GMF", ndcg: 0.30, auc: 0.76, gauc: 0.69),
            Run("none", "NeuMF", ndcg: 0.33, auc: 0.75, gauc: 0.68),
            Run("ns", "GMF", ndcg: 0.35, auc: 0.79, gauc: 0.70),
            Run("ns", "NeuMF", ndcg: 0.31, auc: 0.78, gauc: 0.71),
            Run("ig", "GMF", ndcg: 0.40, auc: 0.83, gauc: 0.76),
            Run("ig", "NeuMF", ndcg: 0.32, auc: 0.82, gauc: 0.70),
        ];

        var lines = ResultsTable.Markdown(runs).TrimEnd('\n').Split('\n');

        // GMF: ig is best everywhere, ns second. NeuMF NDCG: none .33 > ig .32 > ns .31;
        // NeuMF AUC: ig .82 > ns .78; NeuMF GAUC: ns .71 > ig .70 > none .68.
        Assert.Equal(
            [
                "| Method | GMF NDCG@10 | GMF AUC | GMF GAUC | NeuMF NDCG@10 | NeuMF AUC | NeuMF GAUC |",
                "|---|---:|---:|---:|---:|---:|---:|",
                "| none | 0.3000 | 0.7600 | 0.6900 | **0.3300** | 0.7500 | 0.6800 |",
                "| ns | <u>0.3500</u> | <u>0.7900</u> | <u>0.7000</u> | 0.3100 | <u>0.7800</u> | **0.7100** |",
                "| ig | **0.4000** | **0.8300** | **0.7600** | <u>0.3200</u> | **0.8200** | <u>0.7000</u> |",
            ],
            lines);
    }

    [Fact]
    public void Repeats_show_mean_and_sample_standard_deviation()
    {
        // AUC .80 and .82: mean .81, sample std = sqrt((.01² + .01²) / 1) = 0.014142.
        RunResult[] runs = [Run("ig", "GMF", 0.3, 0.80, 0.7, seed: 1), Run("ig", "GMF", 0.3, 0.82, 0.7, seed: 2)];

        var row = ResultsTable.Markdown(runs).Split('\n')[2];

        Assert.Equal("| ig | **0.3000 ± 0.0000** | **0.8100 ± 0.0141** | **0.7000 ± 0.0000** |", row);
    }

    [Fact]
    public void Values_equal_as_displayed_share_the_mark_and_missing_cells_show_a_dash()
    {
        // AUC .80001 and .79996 both show as 0.8000 → both bold; .7 is then the runner-up.
        RunResult[] runs =
        [
            Run("a", "GMF", 0.3, 0.80001, 0.7),
            Run("b", "GMF", 0.3, 0.79996, 0.7),
            Run("c", "GMF", 0.2, 0.7, 0.6),
            Run("c", "MLP", 0.2, 0.7, 0.6),
        ];

        var lines = ResultsTable.Markdown(runs).TrimEnd('\n').Split('\n');

        Assert.Equal("| a | **0.3000** | **0.8000** | **0.7000** | – | – | – |", lines[2]);
        Assert.Equal("| b | **0.3000** | **0.8000** | **0.7000** | – | – | – |", lines[3]);
        Assert.Equal("| c | <u>0.2000</u> | <u>0.7000</u> | <u>0.6000</u> | **0.2000** | **0.7000** | **0.6000** |", lines[4]);
    }

    [Fact]
    public void Clean_table_uses_the_true_label_metrics()
    {
        var clean = new RankingMetrics(0.9, 0.85, 0.6, 0.7, 0.5, 0.3);
        RunResult[] runs = [Run("ig", "GMF", 0.3, 0.8, 0.7, clean: clean), Run("ns", "GMF", 0.2, 0.7, 0.6, clean: clean with { Auc = 0.88 })];

        var lines = ResultsTable.Markdown(runs, clean: true).Split('\n');

        Assert.Equal("| ig | **0.6000** | **0.9000** | **0.8500** |", lines[2]);
        Assert.Equal("| ns | **0.6000** | <u>0.8800</u> | **0.8500** |", lines[3]);
    }

    /// <summary>"… over up to 2 seeds. " ended its line with a space before.</summary>
    [Fact]
    public void Table_file_of_repeats_says_what_cells_are_and_ends_no_line_in_a_blank()
    {
        using var folder = new TempFolder();
        var path = folder.File(ResultsTable.FileName);

        ResultsTable.Write(path, "finish-rate log", [Run("ig", "GMF", 0.3, 0.8, 0.7, seed: 1), Run("ig", "GMF", 0.4, 0.8, 0.7, seed: 2)], appendix: "\n## More\n");
        var lines = File.ReadAllLines(path);

        Assert.Contains("Cells are mean ± sample standard deviation over up to 2 seeds.", lines);
        Assert.All(lines, line => Assert.False(line.EndsWith(' ') || line.EndsWith('\t'), $"a line ends in a blank: '{line}'"));
    }

    [Fact]
    public void Table_file_has_both_tables_when_clean_metrics_exist()
    {
        using var folder = new TempFolder();
        var path = folder.File(ResultsTable.FileName);
        var clean = new RankingMetrics(0.9, 0.85, 0.6, 0.7, 0.5, 0.3);

        ResultsTable.Write(path, "finish-rate log", [Run("ig", "GMF", 0.3, 0.8, 0.7, clean: clean)]);
        var withClean = File.ReadAllText(path);
        ResultsTable.Write(path, "finish-rate log", [Run("ig", "GMF", 0.3, 0.8, 0.7)]);
        var observedOnly = File.ReadAllText(path);

        Assert.StartsWith("# finish-rate log\n", withClean);
        Assert.Contains("clean test", withClean);
        Assert.Contains("| ig | **0.6000** | **0.9000** | **0.8500** |", withClean);
        Assert.DoesNotContain("clean test", observedOnly);
        Assert.Contains("| ig | **0.3000** | **0.8000** | **0.7000** |", observedOnly);
    }

    [Fact]
    public void Metric_summary_uses_the_sample_standard_deviation()
    {
        // 1,2,3,4: mean 2.5; Σ(x − mean)² = 2.25 + 0.25 + 0.25 + 2.25 = 5; std = sqrt(5 / 3) = 1.290994.
        var summary = MetricSummary.Of([1, 2, 3, 4]);
        Assert.Equal(2.5, summary.Mean, 12);
        Assert.Equal(Math.Sqrt(5.0 / 3), summary.Std, 12);
        Assert.Equal(4, summary.Count);
        Assert.Equal(0, MetricSummary.Of([0.7]).Std);
    }
}
