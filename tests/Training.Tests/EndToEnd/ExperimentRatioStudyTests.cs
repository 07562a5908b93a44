using System.Text.Json.Nodes;
using InverseLearning.Training.Reports;
namespace InverseLearning.Training.Tests.EndToEnd;

/// <summary>The --lr-ratio study: in table.md, its ratio at the main ig runs' η_s taken from them, and only with ig among the methods.</summary>
public class ExperimentRatioStudyTests : IClassFixture<TinyFeed>
{
    // η 1e-4: the ratio 10 gives IG's default η_s, 1e-3, the main ig runs'.
    private static readonly TrainSettings Settings = new() { Epochs = 1, BatchSize = 1024, LearningRate = 1e-4, Dim = 4, Threads = 1, Seed = 3 };

    private readonly TinyFeed _feed;

    public ExperimentRatioStudyTests(TinyFeed feed) => _feed = feed;

    [Fact]
    public void The_ratio_of_the_main_ig_runs_takes_their_results_and_table_md_shows_every_ratio()
    {
        var folder = _feed.Scratch("ratio-study");
        var log = new List<string>();

        var outcome = Experiment.Run(new Experiment.Plan(Settings, ["ig"], ["gmf"], Repeats: 1, LearningRateRatios: [1, 10]),
            _feed.Data, _feed.Truth, folder, observer: null, log: log.Add);

        Assert.Contains("lr-ratio 10: η_s 0.001 is the main ig runs' own: their results are the study's at this ratio, not trained again", log);
        Assert.False(Directory.Exists(Path.Combine(folder, "lr-ratio", "gmf", "ratio10")));
        Assert.True(Directory.Exists(Path.Combine(folder, "lr-ratio", "gmf", "ratio1")));
        var studies = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, RatioStudyJson.FileName)))!["studies"]!.AsArray();
        var atTen = studies.Single(s => s!["ratio"]!.GetValue<double>() == 10)!["runs"]![0]!["test"]!["auc"]!.GetValue<double>();
        Assert.Equal(outcome.Runs.Single().Test.Auc, atTen);
        var table = File.ReadAllText(Path.Combine(folder, ResultsTable.FileName));
        Assert.StartsWith("# 1 method × 1 model, 1 repeat\n", table, StringComparison.Ordinal);
        Assert.Contains("## IG's η_s / η (--lr-ratio; lr_ratio.json holds every run)", table);
        Assert.Contains("| η_s / η | gmf NDCG@10 | gmf AUC | gmf GAUC |", table);
        Assert.Contains("| 1 (η_s 0.0001) |", table);
        Assert.Contains("| 10 (η_s 0.001) |", table);
    }

    [Fact]
    public void With_two_models_each_takes_its_own_main_ig_runs_and_the_count_of_runs_leaves_out_those_not_trained()
    {
        var folder = _feed.Scratch("ratio-study-two-models");
        var log = new List<string>();

        var outcome = Experiment.Run(new Experiment.Plan(Settings, ["ig"], ["gmf", "mlp"], Repeats: 1, LearningRateRatios: [1, 10]),
            _feed.Data, _feed.Truth, folder, observer: null, log: log.Add);

        // Per model, the main ig run and the study's run at ratio 1: the ratio 10 trains none, so 4 runs, not 6.
        Assert.Contains(log, line => line.StartsWith("mlp / ig / seed 3 (η_s = 0.0001): run 4 of 4", StringComparison.Ordinal));
        Assert.DoesNotContain(log, line => line.Contains(" of 6", StringComparison.Ordinal));
        var studies = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, RatioStudyJson.FileName)))!["studies"]!.AsArray();
        foreach (var model in new[] { "gmf", "mlp" })
        {
            var runs = studies.Single(s => s!["model"]!.GetValue<string>() == model && s["ratio"]!.GetValue<double>() == 10)!["runs"]!.AsArray();
            Assert.Equal(outcome.Runs.Single(r => r.Model == model).Test.Auc, Assert.Single(runs)!["test"]!["auc"]!.GetValue<double>());
        }
    }

    [Fact]
    public void The_ratio_of_the_main_ig_runs_is_found_past_rounding()
    {
        // 1e-4 × 3 is 3.0000000000000003e-4, not --sample-lr's 3e-4: the main ig runs were trained again as the ratio's own.
        var folder = _feed.Scratch("ratio-study-rounding");
        var log = new List<string>();

        Experiment.Run(new Experiment.Plan(Settings.WithOption(InverseLearning.Training.Methods.InverseGradient.InverseGradientMethod.SampleLearningRate, 3e-4), ["ig"], ["gmf"], Repeats: 1,
            LearningRateRatios: [3, 3.003]), _feed.Data, _feed.Truth, folder, observer: null, log: log.Add);

        Assert.Contains("lr-ratio 3: η_s 0.0003 is the main ig runs' own: their results are the study's at this ratio, not trained again", log);
        Assert.False(Directory.Exists(Path.Combine(folder, "lr-ratio", "gmf", "ratio3")));
        // A step a thousandth apart is no rounding: the ratio trains its own run.
        Assert.True(Directory.Exists(Path.Combine(folder, "lr-ratio", "gmf", "ratio3.003")));
    }

    [Fact]
    public void A_study_without_ig_among_the_methods_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new Experiment.Plan(Settings, ["none", "ns"], ["gmf"], Repeats: 1, LearningRateRatios: [5]).Validate());

        Assert.Equal("--lr-ratio studies IG's η_s / η, and --methods (none,ns) has no ig: add ig to --methods, or leave --lr-ratio out", error.Message);
    }
}
