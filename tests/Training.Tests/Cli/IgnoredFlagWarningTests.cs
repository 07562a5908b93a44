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
    public void A_backbones_or_methods_option_given_to_another_is_named_as_ignored_with_who_reads_it()
    {
        Assert.Equal(["warning: --layers applies to --model neumf, --model mlp; --model gmf with --method none ignores it"],
            Warnings("--model", "gmf", "--method", "none", "--layers", "5"));
        var warning = Assert.Single(Warnings("--model", "gmf", "--method", "none", "--tce-max-drop", "0.5"));
        Assert.StartsWith("warning: --tce-max-drop applies to --method tce", warning);
        Assert.Empty(Warnings("--model", "neumf", "--method", "tce", "--layers", "2", "--tce-max-drop", "0.5"));
    }

    [Fact]
    public void Unlabeled_rows_asked_of_a_method_that_samples_none_are_named_as_ignored()
    {
        Assert.Equal(["warning: --ng applies to methods that learn from sampled unlabeled rows; --method none trains on labeled rows alone and ignores it"],
            Warnings("--method", "none", "--ng", "5"));
        Assert.Empty(Warnings("--method", "ns", "--ng", "5"));
        Assert.Empty(Warnings("--method", "ig", "--ng", "5"));   // IG's training-test pass samples them
        Assert.Empty(Warnings("--method", "none", "--ng", "5", "--warmup-epochs", "1")); // warm-up's BCE samples them
        Assert.Empty(Warnings("--method", "none"));
    }

    [Fact]
    public void A_strategys_option_with_the_strategy_off_is_named_as_ignored_with_its_switch()
    {
        Assert.Equal([
                "warning: --colliding-lambda applies to colliding, which --colliding-neighbors above 0 turns on; --colliding-neighbors 0 ignores it",
                "warning: --colliding-max-ratio applies to colliding, which --colliding-neighbors above 0 turns on; --colliding-neighbors 0 ignores it",
            ],
            Warnings("--colliding-lambda", "0.3", "--colliding-max-ratio", "0.9"));
        Assert.Empty(Warnings("--warmup-epochs", "1", "--colliding-neighbors", "10", "--colliding-lambda", "0.3", "--colliding-max-ratio", "0.9"));
        // The switch given as 0 is the strategy off, said by the others' warnings: it is not ignored itself.
        Assert.Single(Warnings("--colliding-neighbors", "0", "--colliding-lambda", "0.3"));
    }

    [Fact]
    public void A_fresh_optimizer_under_sgd_is_named_as_ignored()
    {
        Assert.Equal(["warning: --fresh-optimizer re-creates Adam's moments; --optimizer sgd keeps none and ignores it"], Warnings("--optimizer", "sgd", "--fresh-optimizer"));
        Assert.Empty(Warnings("--optimizer", "adam", "--fresh-optimizer"));
    }

    [Fact]
    public void A_mix_without_the_mixed_source_is_named_as_ignored()
    {
        Assert.Equal(["warning: --unlabeled-mix applies to --unlabeled-source both; --unlabeled-source unseen ignores it"], Warnings("--unlabeled-mix", "0.9"));
        Assert.Empty(Warnings("--unlabeled-source", "both", "--unlabeled-mix", "0.9"));
    }

    [Fact]
    public void An_experiment_names_a_flag_that_none_of_its_runs_reads()
    {
        var command = new Command("experiment");
        var options = TrainOptions.Create(command, withModelAndMethod: false);
        var parse = command.Parse(["--ng", "3", "--layers", "2", "--tce-max-drop", "0.1"]);
        var settings = options.Read(parse, method: "none");
        List<string> Warned(params (string Model, string Method)[] runs) =>
            options.IgnoredFlagWarnings(parse, settings, runs.Select(run => settings with { Model = run.Model, Method = run.Method }).ToList()).ToList();

        const string Runs = "every run of this experiment (--models gmf,cdae with --methods none)";
        Assert.Equal([
                $"warning: --ng applies to methods that learn from sampled unlabeled rows; {Runs} trains on labeled rows alone and ignores it",
                $"warning: --tce-max-drop applies to --method tce; {Runs} ignores it",
                $"warning: --layers applies to --model neumf, --model mlp; {Runs} ignores it",
            ],
            Warned(("gmf", "none"), ("cdae", "none")));
        // One run that reads a flag is enough: mlp reads --layers, tce reads --tce-max-drop, ns samples --ng.
        Assert.Empty(Warned(("mlp", "tce"), ("gmf", "ns")));
    }

    [Fact]
    public void The_same_flags_with_a_ranking_metric_or_left_out_warn_nothing()
    {
        Assert.Empty(Warnings("--select-by", "recall@20", "--valid-positives", "like", "--valid-users", "100"));
        Assert.Empty(Warnings("--select-by", "loss"));
    }
}
