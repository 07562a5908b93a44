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

        Assert.Equal((1024, 512, 1024), (settings.BatchRows, settings.LabeledPerStep(1), settings.LabeledPerStep(0)));
        Assert.Equal("denoisingrec", settings.Protocol);
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
        Assert.Equal((null, 100, 100), (settings.BatchRows, settings.LabeledPerStep(1), settings.LabeledPerStep(0)));
        Assert.Equal(1e-3, settings.LearningRate);
    }

    [Fact]
    public void Without_a_preset_our_defaults_hold()
    {
        var settings = Read();

        Assert.Equal((null, 1024, "loss", 0, "none"), (settings.BatchRows, settings.LabeledPerStep(1), settings.SelectBy, settings.EvalEvery, settings.Protocol));
        Assert.Null(settings.FullRankingTopK);
        Assert.Equal(0.25, settings.Options["rce-beta"]);
    }

    [Fact]
    public void A_refused_value_the_preset_set_is_named_as_the_presets()
    {
        var command = new Command("train");
        var options = TrainOptions.Create(command);

        var fromPreset = Assert.Throws<ArgumentException>(() => options.Read(command.Parse(["--protocol", "denoisingrec", "--ng", "2"])));
        var given = Assert.Throws<ArgumentException>(() => options.Read(command.Parse(["--protocol", "denoisingrec", "--ng", "2", "--batch-rows", "1024"])));

        Assert.Contains("--batch-rows 1024 is not a multiple of 3, a labeled row with its 2 sampled rows (--ng 2)", fromPreset.Message);
        Assert.EndsWith("(--batch-rows: --protocol denoisingrec's value; give the flag to change it)", fromPreset.Message);
        Assert.DoesNotContain("--protocol", given.Message);
    }

    [Fact]
    public void A_refusal_naming_several_flags_credits_each_the_preset_set()
    {
        var command = new Command("train");
        var options = TrainOptions.Create(command);

        // --batch-size unsets the preset's --batch-rows; its --ng stays, and the step of 2^24 labeled rows with their sampled ones is too large.
        var refusal = Assert.Throws<ArgumentException>(() => options.Read(command.Parse(["--protocol", "denoisingrec", "--batch-size", "16777216"])));

        Assert.StartsWith("--batch-size × (1 + --ng) must be at most 16,777,216 rows a step", refusal.Message);
        Assert.EndsWith("(--ng: --protocol denoisingrec's value; give the flag to change it)", refusal.Message);
    }

    [Theory]
    [InlineData("ns", 1, 1024, 512)]
    [InlineData("ns", 3, 1024, 256)]
    [InlineData("none", 1, 1024, 512)]
    public void Batch_rows_count_a_passs_sampled_rows(string method, int ng, int rows, int labeledWithSampledRows)
    {
        var settings = Read("--method", method, "--ng", ng.ToString(), "--batch-rows", rows.ToString());

        Assert.Equal(labeledWithSampledRows, settings.LabeledPerStep(ng));
        Assert.Equal(rows, settings.LabeledPerStep(0));       // a pass without sampled rows (none's, IG's training-train)
        Assert.Equal(rows, settings.RowsPerStep);
    }

    [Fact]
    public void A_method_that_samples_nothing_counts_no_ng_in_its_steps()
    {
        // --method none samples nothing: --batch-rows 1023 was refused as not a multiple of 1 + --ng, and a step counted --ng sampled rows per labeled one.
        Assert.Equal(1023, Read("--method", "none", "--batch-rows", "1023").RowsPerStep);
        Assert.Equal(1024, Read("--method", "none", "--ng", "3").RowsPerStep);
        Assert.Equal(RunMemoryEstimate.BeforeData(Read("--method", "none", "--ng", "0")).TotalBytes, RunMemoryEstimate.BeforeData(Read("--method", "none", "--ng", "5")).TotalBytes);
        // Warm-up's BCE and IG's training-test pass do sample.
        Assert.Contains("--batch-rows 1023 is not a multiple of 2, a labeled row with its 1 sampled row (warm-up's or finetune's sampling)", Assert.Throws<ArgumentException>(() => Read("--method", "none", "--warmup-epochs", "1", "--batch-rows", "1023")).Message);
        // At --ng 0 too: the line said "1 + --ng = 2".
        Assert.Contains("--batch-rows 1023 is not a multiple of 2, a labeled row with its 1 sampled row (warm-up's or finetune's sampling)", Assert.Throws<ArgumentException>(() => Read("--method", "none", "--ng", "0", "--warmup-epochs", "1", "--batch-rows", "1023")).Message);
        Assert.Equal(4096, Read("--method", "ig", "--ng", "3").RowsPerStep);
        Assert.Contains("--batch-rows 0 is less than one labeled row: use 1 or more", Assert.Throws<ArgumentException>(() => Read("--method", "none", "--batch-rows", "0")).Message);
    }

    [Fact]
    public void A_resumed_run_takes_its_recorded_protocol_and_refuses_another()
    {
        var command = new Command("train");
        var options = TrainOptions.Create(command);
        var saved = new TrainSettings { Protocol = "denoisingrec", BatchRows = 1024, LearningRate = 1e-3, EvalEvery = 2000, FullRankingTopK = [50, 100] };

        var resumed = options.ForResume(command.Parse(["--epochs", "12"]), saved);
        var error = Assert.Throws<ArgumentException>(() => options.ForResume(command.Parse(["--protocol", "none"]), saved));

        Assert.Equal(("denoisingrec", 12, 1024), (resumed.Protocol, resumed.Epochs, resumed.BatchRows));
        Assert.Equal([50, 100], resumed.FullRankingTopK!);
        Assert.Contains("--resume: --protocol none contradicts the checkpoint", error.Message);
    }

    [Theory]
    [InlineData(new[] { "--batch-rows", "1001" }, "--batch-rows 1001 is not a multiple of 2, a labeled row with its 1 sampled row (--ng 1): use 1000 or 1002")]
    [InlineData(new[] { "--batch-rows", "0" }, "--batch-rows 0 is less than one labeled row with its 1 sampled row (--ng 1): use 2 or more")]
    [InlineData(new[] { "--batch-rows", "100000000" }, "--batch-rows must be at most 16,777,216 rows a step")]
    // Past the most a step takes, the range is what is wrong, not a multiple past it too (it said "use 100000000 or 100000002").
    [InlineData(new[] { "--batch-rows", "100000001" }, "--batch-rows must be at most 16,777,216 rows a step")]
    [InlineData(new[] { "--batch-rows", "16777217" }, "--batch-rows must be at most 16,777,216 rows a step, got 16,777,217")]
    [InlineData(new[] { "--batch-rows", "1024", "--batch-size", "8" }, "--batch-rows and --batch-size both")]
    [InlineData(new[] { "--eval-every", "-5" }, "--eval-every must be from 0")]
    [InlineData(new[] { "--select-by", "hits@5" }, "--select-by: 'hits@5'")]
    [InlineData(new[] { "--valid-positives", "column:x" }, "--valid-positives: 'column:x' is not supported")]
    public void Bad_values_are_refused_naming_the_flag(string[] args, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => Read(args));

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_step_just_past_a_multiple_at_the_most_rows_is_offered_only_the_multiple_in_range()
    {
        // It was told "use 16777215 or 16777218", and 16777218 was then refused as past the most a step takes.
        var error = Assert.Throws<ArgumentException>(() => Read("--batch-rows", "16777216", "--ng", "2"));

        Assert.EndsWith("(--ng 2): use 16777215", error.Message);
        // A multiple that is the most a step takes is in range, and offered.
        Assert.EndsWith("(--ng 1): use 16777214 or 16777216", Assert.Throws<ArgumentException>(() => Read("--batch-rows", "16777215", "--ng", "1")).Message);
    }
}
