using System.CommandLine;
using InverseLearning.Training.Cli;

namespace InverseLearning.Training.Tests.Selection;

/// <summary>--protocol, --batch-rows, --select-by and --eval-every as the train command reads them.</summary>
public class ProtocolOptionsTests
{
    private static TrainSettings Read(params string[] args)
    {
        var command = new Command("train");
        var options = TrainOptions.Create(command);
        var parse = command.Parse(args);
        Assert.Empty(parse.Errors);
        return options.Read(parse);
    }

    [Fact]
    public void The_denoisingrec_preset_sets_their_protocol()
    {
        var settings = Read("--protocol", "denoisingrec", "--method", "tce");

        Assert.Equal((1024, 512), (settings.BatchRows, settings.LabeledPerStep));
        Assert.Equal((10, 1e-3, 1), (settings.Epochs, settings.LearningRate, settings.Ng));
        Assert.Equal(("loss", 2000), (settings.SelectBy, settings.EvalEvery));
        Assert.Equal([50, 100], settings.FullRankingTopK!);
        Assert.Equal((0.2, 30_000.0, 0.2), (settings.Options["tce-max-drop"], settings.Options["tce-warmup"], settings.Options["rce-beta"]));
    }

    [Fact]
    public void A_flag_given_explicitly_wins_over_the_preset()
    {
        var settings = Read("--protocol", "denoisingrec", "--epochs", "3", "--select-by", "recall@50", "--eval-every", "200", "--rce-beta", "0.5", "--batch-size", "100");

        Assert.Equal((3, "recall@50", 200, 0.5), (settings.Epochs, settings.SelectBy, settings.EvalEvery, settings.Options["rce-beta"]));
        Assert.Equal((null, 100), (settings.BatchRows, settings.LabeledPerStep));
        Assert.Equal(1e-3, settings.LearningRate);
    }

    [Fact]
    public void Without_a_preset_our_defaults_hold()
    {
        var settings = Read();

        Assert.Equal((null, 1024, "loss", 0), (settings.BatchRows, settings.LabeledPerStep, settings.SelectBy, settings.EvalEvery));
        Assert.Null(settings.FullRankingTopK);
        Assert.Equal(0.25, settings.Options["rce-beta"]);
    }

    [Theory]
    [InlineData("ns", 1, 1024, 512)]
    [InlineData("ns", 3, 1024, 256)]
    [InlineData("none", 1, 1024, 1024)]
    public void Batch_rows_count_the_sampled_rows_of_the_method(string method, int ng, int rows, int labeled)
    {
        var settings = Read("--method", method, "--ng", ng.ToString(), "--batch-rows", rows.ToString());

        Assert.Equal(labeled, settings.LabeledPerStep);
    }

    [Theory]
    [InlineData(new[] { "--batch-rows", "1001" }, "--batch-rows 1001 is not a positive multiple of 1 + ng = 2")]
    [InlineData(new[] { "--batch-rows", "0" }, "--batch-rows 0 is not a positive multiple")]
    [InlineData(new[] { "--batch-rows", "1024", "--batch-size", "8" }, "--batch-rows and --batch-size both")]
    [InlineData(new[] { "--eval-every", "-5" }, "--eval-every must be from 0")]
    [InlineData(new[] { "--select-by", "hits@5" }, "--select-by: 'hits@5'")]
    [InlineData(new[] { "--valid-positives", "column:x" }, "--valid-positives: 'column:x' is not supported")]
    public void Bad_values_are_refused_naming_the_flag(string[] args, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => Read(args));

        Assert.Contains(message, error.Message);
    }
}
