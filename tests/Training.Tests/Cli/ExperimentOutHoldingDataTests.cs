namespace InverseLearning.Training.Tests.Cli;

/// <summary>experiment --out that holds the log it reads: refused, naming both, before anything is written among the data.</summary>
[Collection("Console")]
public class ExperimentOutHoldingDataTests(CliFixture files)
{
    [Theory]
    [InlineData("")]
    [InlineData("..")]
    public void An_out_that_holds_the_data_file_is_refused_in_one_line_naming_both(string above)
    {
        var folder = Path.Combine(files.Scratch("out-holds-data"), "logs");
        Directory.CreateDirectory(folder);
        var log = Path.Combine(folder, "interactions.parquet");
        File.Copy(files.Log, log, overwrite: true);
        var outDir = Path.GetFullPath(Path.Combine(folder, above));

        var (code, _, error) = CliRunner.Run("experiment", "--data", log, "--methods", "none", "--models", "gmf", "--epochs", "1", "--dim", "4", "--out", outDir);

        Assert.Equal(1, code);
        Assert.DoesNotContain("   at ", error);
        Assert.Equal($"error: --out {outDir} holds the log --data {log} reads: what the experiment writes would sit among the data; choose an --out that does not hold it",
            Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
        Assert.Equal(["interactions.parquet"], Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName));
    }
}
