namespace InverseLearning.Training.Tests.Cli;

/// <summary>
/// Ctrl+C and SIGTERM cancel the verb's token. The verbs that only read and then write (eval, export, import-ratings) stop at
/// their checks with "cancelled" and exit 130, and write nothing: they ran to the end and exited 0 before.
/// </summary>
[Collection("Console")]
public class CancelledVerbTests(CliFixture files) : IClassFixture<CliFixture>
{
    [Theory]
    [InlineData("--repository")]
    [InlineData("--out")]
    public void A_cancelled_export_writes_nothing(string destination)
    {
        var folder = files.Scratch("cancelled-export" + destination);

        var (code, _, error) = CliRunner.Run(TimeSpan.Zero, "export", "--checkpoint", files.Checkpoint, "--data", files.Log, destination, folder);

        Assert.Equal(130, code);
        Assert.EndsWith("\ncancelled", "\n" + error.Trim());
        // No version published, no model written (a lock file aside).
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(folder), entry => !Path.GetFileName(entry).StartsWith('.'));
    }

    [Fact]
    public void A_cancelled_eval_prints_no_metrics()
    {
        var (code, output, error) = CliRunner.Run(TimeSpan.Zero, "eval", "--checkpoint", files.Checkpoint, "--data", files.Log);

        Assert.Equal(130, code);
        Assert.EndsWith("\ncancelled", "\n" + error.Trim());
        Assert.DoesNotContain("AUC", output);
    }

    [Fact]
    public void A_cancelled_import_writes_no_log()
    {
        var folder = files.Scratch("cancelled-import");

        var (code, _, error) = CliRunner.Run(TimeSpan.Zero, "import-ratings", "--input", files.Ratings, "--out", folder);

        Assert.Equal(130, code);
        Assert.EndsWith("\ncancelled", "\n" + error.Trim());
        Assert.False(File.Exists(Path.Combine(folder, "interactions.parquet")));
    }
}
