using System.CommandLine;
using InverseLearning.Training.Cli;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>A flag the run's settings make pointless gets one warning line instead of silence.</summary>
public class IgnoredFlagWarningTests
{
    private static List<string> Warnings(params string[] args)
    {
        var command = new Command("train");
        var options = TrainOptions.Create(command);
        var parse = command.Parse(args);
        return options.IgnoredFlagWarnings(parse, options.Read(parse)).ToList();
    }

    [Theory]
    [InlineData("--valid-positives", "like")]
    [InlineData("--valid-users", "100")]
    public void A_validation_ranking_flag_with_a_row_metric_is_named_as_ignored(string flag, string value)
    {
        var warning = Assert.Single(Warnings("--select-by", "auc", flag, value));
        Assert.StartsWith($"warning: {flag} applies to a ranking --select-by", warning);
        Assert.Contains("--select-by auc", warning);
    }

    [Fact]
    public void The_same_flags_with_a_ranking_metric_or_left_out_warn_nothing()
    {
        Assert.Empty(Warnings("--select-by", "recall@20", "--valid-positives", "like", "--valid-users", "100"));
        Assert.Empty(Warnings("--select-by", "loss"));
    }
}
