using InverseLearning.Training.Cli;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>What train's progress lines on stderr say: the epochs the run will train, and which loss each epoch line shows.</summary>
[Collection("Console")]
public class TrainConsoleLinesTests(CliFixture files)
{
    [Fact]
    public void The_header_counts_warm_up_and_finetune_epochs_beside_the_methods()
    {
        // It said "2 epochs" for a run that trained 4 and reported its best epoch as 4.
        var (code, _, error) = CliRunner.Run(TimeSpan.FromMinutes(5), "train", "--data", files.Log, "--out", files.Scratch("header-phases"),
            "--epochs", "2", "--warmup-epochs", "1", "--finetune-epochs", "1", "--dim", "4", "--batch-size", "256");
        Assert.True(code == 0, error);
        Assert.Contains("), 2 epochs (+1 warm-up, +1 finetune)\n", error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void An_epoch_line_names_its_validation_loss_as_the_unclipped_bce_not_the_tables_logloss()
    {
        // "valid loss 3.9e26" beside the table's "logloss 8.03" for the same rows read as a contradiction: the table's is clipped.
        Assert.Contains(", valid bce 0.2500 (best)", EpochLine(rowsPerSecond: 1000));
    }

    [Theory]
    [InlineData(120, "120 rows/s")] // a slow epoch read "0k rows/s"
    [InlineData(12_500, "12.5k rows/s")]
    [InlineData(3_400_000, "3.4M rows/s")]
    public void An_epoch_line_gives_its_rate_readably_at_any_speed(double rowsPerSecond, string said)
    {
        Assert.EndsWith($", {said}", EpochLine(rowsPerSecond).TrimEnd());
    }

    // The line an epoch of train loss 0.5, validation loss 0.25 (the best) at the given rate writes to stderr.
    private static string EpochLine(double rowsPerSecond)
    {
        var error = new StringWriter();
        var original = Console.Error;
        Console.SetError(error);
        try
        {
            new ConsoleTrainingObserver().OnEpoch(new EpochSummary(1, 0.5, 0.25, Best: true, Seconds: 1, RowsPerSecond: rowsPerSecond, Phase: "ns"));
        }
        finally
        {
            Console.SetError(original);
        }
        return error.ToString();
    }
}
