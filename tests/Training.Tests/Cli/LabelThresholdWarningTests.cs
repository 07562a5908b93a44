namespace InverseLearning.Training.Tests.Cli;

/// <summary>A label threshold the chosen rule does not read gets one warning line instead of silence.</summary>
[Collection("Console")]
public class LabelThresholdWarningTests(CliFixture files)
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);

    private static List<string> Warnings(string error) =>
        error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.StartsWith("warning: --", StringComparison.Ordinal)).ToList();

    [Fact]
    public void A_rating_threshold_under_finish_rate_labels_is_named_as_ignored_by_train_and_inspect()
    {
        // The fixture's log has play and duration columns: auto picks finish-rate, which reads no rating.
        var train = CliRunner.Run(Budget, "train", "--data", files.Log, "--out", files.Scratch("threshold-run"), "--epochs", "1", "--batch-size", "256",
            "--rating-positive-at-least", "4", "--finish-positive-above", "0.9");
        Assert.True(train.Code == 0, train.Error);
        Assert.Equal(["warning: --rating-positive-at-least applies to --labels rating; --labels auto (here finish-rate) ignores it"], Warnings(train.Error));

        var inspect = CliRunner.Run(Budget, "inspect", "--data", files.Log, "--labels", "implicit", "--finish-negative-below", "0.1", "--rating-negative-at-most", "1");
        Assert.True(inspect.Code == 0, inspect.Error);
        Assert.Equal([
                "warning: --finish-negative-below applies to --labels finish-rate; --labels implicit ignores it",
                "warning: --rating-negative-at-most applies to --labels rating; --labels implicit ignores it",
            ], Warnings(inspect.Error));
    }
}
