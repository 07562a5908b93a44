using InverseLearning.Training.Cli;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>Where `export --out` may write: never into a datagen's folder, whose log would take seen.parquet as a part.</summary>
[Collection("Console")]
public class ExportOutTests(CliFixture files)
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);

    private string ErrorOf(string checkpoint, string output)
    {
        var (code, _, error) = CliRunner.Run(Budget, "export", "--checkpoint", checkpoint, "--data", files.Log, "--out", output);
        Assert.Equal(1, code);
        Assert.DoesNotContain("   at ", error);
        return error.Trim().Split('\n')[^1];
    }

    [Fact]
    public void An_export_into_a_datagens_folder_or_below_it_is_refused_as_import_ratings_refuses_it()
    {
        // It put seen.parquet beside the log, where a later --data 'DIR/*.parquet' took it as one of the log's parts.
        var simulation = files.Scratch("d.parquet");
        Assert.Equal(0, CliRunner.Run(Budget, "datagen", "--preset", "tiny", "--users", "20", "--items", "50", "--impressions", "200", "--out", simulation).Code);
        var before = Directory.GetFileSystemEntries(simulation).Order().ToList();

        Assert.Equal($"error: --out {simulation} holds a simulation's ground truth (truth.parquet, truth-model.bin), a datagen's folder: a glob over it ('{simulation}/*.parquet') " +
            "would read the seen.parquet written there as one of its log's parts; export into another folder", ErrorOf(files.Checkpoint, simulation));
        Assert.Equal(before, Directory.GetFileSystemEntries(simulation).Order().ToList());
        var below = Path.Combine(simulation, "model");
        Assert.StartsWith($"error: --out {below} is inside {simulation}, a datagen's log (its ground truth is there): seen.parquet written there would be read as one of its parts",
            ErrorOf(files.Checkpoint, below));
        Assert.False(Directory.Exists(below));
    }
}
