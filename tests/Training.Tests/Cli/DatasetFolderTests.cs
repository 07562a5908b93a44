using InverseLearning.Data.Simulation;
using InverseLearning.Training.Cli;
using InverseLearning.Training.Tests.Reports;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>
/// The folders a verb's outputs are kept out of: anywhere below a lake's root, however deep, and the root itself, since the
/// lake's reader reads every part below it; not below a '_' folder, which it skips.
/// </summary>
[Collection("Console")]
public class DatasetFolderTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _lake;

    public DatasetFolderTests()
    {
        _lake = Path.Combine(_folder.File("lake"), "interactions");
        PartitionedSimulationFiles.Write(FeedSimulator.Run(SimulatorPresets.Get("tiny") with { Impressions = 500 }, 3), _folder.File("lake"));
    }

    public void Dispose() => _folder.Dispose();

    private static string Refusal(string dir) =>
        Assert.Throws<ArgumentException>(() => DatasetFolder.RequireNotInside(dir, "--out", "seen.parquet", datagens: false)).Message;

    [Fact]
    public void A_folder_two_levels_below_a_lakes_root_or_the_root_itself_is_refused_naming_the_root()
    {
        var deep = Path.Combine(_lake, "runs", "x");
        var partition = Path.GetFileName(Directory.EnumerateDirectories(_lake).Order().First());

        Assert.StartsWith($"--out {deep} is inside {_lake}, a lake (it holds the partition day=", Refusal(deep));
        Assert.StartsWith($"--out {_lake} is a lake (it holds the partition day=", Refusal(_lake));
        Assert.StartsWith($"--out {Path.Combine(_lake, partition)} is a lake's partition: seen.parquet written there would be read", Refusal(Path.Combine(_lake, partition)));
    }

    [Fact]
    public void A_folder_below_one_the_lakes_reader_skips_or_beside_the_lake_is_not_refused()
    {
        DatasetFolder.RequireNotInside(Path.Combine(_lake, "_runs", "x"), "--out", "seen.parquet", datagens: false);
        DatasetFolder.RequireNotInside(Path.Combine(_lake, ".runs", "x", "y"), "--out", "seen.parquet", datagens: false);
        DatasetFolder.RequireNotInside(Path.Combine(_lake, "runs", "_x"), "--out", "seen.parquet", datagens: false);
        DatasetFolder.RequireNotInside(_folder.File("runs"), "--out", "seen.parquet", datagens: false);
        // Below a partition too: the reader skips the '_' folder wherever it lies.
        var partition = Directory.EnumerateDirectories(_lake).Order().First();
        DatasetFolder.RequireNotInside(Path.Combine(partition, "_runs", "x"), "--out", "seen.parquet", datagens: false);
    }

    [Fact]
    public void A_datagens_own_folder_is_no_folder_inside_one_to_datagen_which_replaces_its_simulation()
    {
        var datagen = _folder.File("lake");
        DatasetFolder.RequireNotInside(datagen, "--out", "the simulated log and its ground truth");
        var below = Path.Combine(datagen, "x");
        Assert.StartsWith($"--out {below} is inside {datagen}, a datagen's log (its ground truth is there)",
            Assert.Throws<ArgumentException>(() => DatasetFolder.RequireNotInside(below, "--out", "the simulated log and its ground truth")).Message);
    }

    [Theory]
    [InlineData("train")]
    [InlineData("experiment")]
    [InlineData("export")]
    public void Train_experiment_and_export_to_a_repository_refuse_a_folder_inside_another_lake_before_any_work(string verb)
    {
        // They wrote seen.parquet there, and every later read of the lake failed on its parts' other columns.
        var log = _folder.File("log.parquet");
        Assert.Equal(0, CliRunner.Run("datagen", "--preset", "tiny", "--users", "20", "--items", "50", "--impressions", "200", "--out", log).Code);
        var inside = Path.Combine(_lake, "runs", "x");
        string[] args = verb == "export"
            ? ["export", "--checkpoint", _folder.File("no-checkpoint"), "--data", Path.Combine(log, "interactions.parquet"), "--repository", inside]
            : [verb, "--data", Path.Combine(log, "interactions.parquet"), "--out", inside];

        var (code, _, error) = CliRunner.Run(args);

        Assert.Equal(1, code);
        Assert.StartsWith($"error: {(verb == "export" ? "--repository" : "--out")} {inside} is inside {_lake}, a lake", error.Trim().Split('\n')[^1]);
        Assert.False(Directory.Exists(Path.Combine(_lake, "runs")));
    }
}
