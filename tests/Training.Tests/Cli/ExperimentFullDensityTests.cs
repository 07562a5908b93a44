using InverseLearning.Data;
using InverseLearning.Training.Tests.Evaluation;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>experiment on a log whose users have seen every item: its refusal names experiment's own flag, not train's alone.</summary>
[Collection("Console")]
public class ExperimentFullDensityTests(CliFixture files)
{
    [Fact]
    public void The_advice_for_a_log_with_no_unseen_item_names_experiments_methods_flag()
    {
        var folder = files.Scratch("full-density");
        Directory.CreateDirectory(folder);
        var log = Path.Combine(folder, "dense.parquet");
        var rng = new Random(4);
        // Every user has rated every item: no unlabeled item is left to draw for anyone.
        InteractionLogParquet.Write(RankingLogs.Of([.. from user in Enumerable.Range(1, 12) from item in Enumerable.Range(1, 10)
            select ((long)user, (long)item, (float)rng.Next(1, 6), rng.NextDouble() switch { < 0.6 => SplitTag.Train, < 0.8 => SplitTag.Valid, _ => SplitTag.Test })]), log);

        var (code, _, error) = CliRunner.Run("experiment", "--data", log, "--methods", "none,ns", "--models", "gmf", "--epochs", "1", "--dim", "4", "--threads", "1",
            "--out", Path.Combine(folder, "out"));

        Assert.Equal(1, code);
        Assert.DoesNotContain("   at ", error);
        var line = Assert.Single(error.Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));
        // The sampler's own words, true for both verbs: experiment's flag is named, not train's alone.
        Assert.Contains("experiment's --methods none", line);
        Assert.EndsWith("so no unlabeled item can be drawn for it; train only without unlabeled rows: the method none with --ng 0 " +
                        "(train's --method none, experiment's --methods none), or a log whose users leave some items unseen", line);
    }
}
