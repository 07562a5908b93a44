using InverseLearning.Training.Cli;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>What train's progress lines on stderr say: which loss each epoch line shows.</summary>
[Collection("Console")]
public class TrainConsoleLinesTests
{
    [Fact]
    public void An_epoch_line_names_its_validation_loss_as_the_unclipped_bce_not_the_tables_logloss()
    {
        // "valid loss 3.9e26" beside the table's "logloss 8.03" for the same rows read as a contradiction: the table's is clipped.
        var error = new StringWriter();
        var original = Console.Error;
        Console.SetError(error);
        try
        {
            new ConsoleTrainingObserver().OnEpoch(new EpochSummary(1, 0.5, 0.25, Best: true, Seconds: 1, RowsPerSecond: 1000, Phase: "ns"));
        }
        finally
        {
            Console.SetError(original);
        }
        Assert.Contains(", valid bce 0.2500 (best)", error.ToString());
    }
}
