namespace InverseLearning.Training.Tests.Cli;

/// <summary>
/// Ctrl+C and SIGTERM cancel the verb's token. The verbs that only read and then write (eval, export, import-ratings) stop at
/// their checks with "cancelled" and exit 130, and write nothing: they ran to the end and exited 0 before.
/// </summary>
[Collection("Console")]
public class CancelledVerbTests(CliFixture files) : IClassFixture<CliFixture>
{
    [Fact]
    public void A_cancelled_export_into_a_repository_publishes_nothing()
    {
        var repository = files.Scratch("cancelled-repository");

        var (code, _, error) = CliRunner.Run(TimeSpan.Zero, "export", "--checkpoint", files.Checkpoint, "--data", files.Log, "--repository", repository);

        Assert.Equal(130, code);
        Assert.EndsWith("\ncancelled", "\n" + error.Trim());
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(repository), entry => !Path.GetFileName(entry).StartsWith('.'));
    }

    [Fact]
    public void A_cancelled_export_into_a_folder_writes_no_model()
    {
        var folder = files.Scratch("cancelled-export");

        var (code, _, error) = CliRunner.Run(TimeSpan.Zero, "export", "--checkpoint", files.Checkpoint, "--data", files.Log, "--out", folder);

        Assert.Equal(130, code);
        Assert.EndsWith("\ncancelled", "\n" + error.Trim());
        Assert.False(File.Exists(Path.Combine(folder, "model.onnx")));
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
