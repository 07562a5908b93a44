using System.CommandLine;
using InverseLearning.Data;
using InverseLearning.Training.Cli;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>Datasets of part files from the command line: `datagen --partition-by day`, then `inspect --data DIR --where`, and the one-line errors for bad ones.</summary>
[Collection("Console")]
public sealed class LakeCommandLineTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "il-lake-cli-" + Guid.NewGuid().ToString("N"));

    public LakeCommandLineTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Output, string Error) Run(params string[] args) => CliRunner.Run(args);

    private string Generate()
    {
        var (code, _, error) = Run("datagen", "--preset", "tiny", "--out", _dir, "--partition-by", "day");
        Assert.True(code == 0, error);
        return Path.Combine(_dir, "interactions");
    }

    [Fact]
    public void Partitioned_datagen_is_read_whole_or_pruned_by_where()
    {
        var lake = Generate();

        var all = Run("inspect", "--data", lake);
        var some = Run("inspect", "--data", lake, "--where", "day<2024-01-04");

        Assert.Equal(0, all.Code);
        Assert.Equal(0, some.Code);
        Assert.Contains("rows:          10,000", all.Output);
        Assert.Contains("read 3 of 30 part files, partition columns: day", some.Error);
        Assert.DoesNotContain("rows:          10,000", some.Output);
    }

    [Fact]
    public void Extra_feedback_from_a_named_column_reads_a_directory_or_a_glob_as_the_log_does()
    {
        var lake = Generate();

        var directory = Run("inspect", "--data", lake, "--extra-feedback", "column:like");
        var glob = Run("inspect", "--data", Path.Combine(lake, "**", "*.parquet"), "--extra-feedback", "column:like", "--where", "day<2024-01-04");
        var likeFlag = Run("inspect", "--data", lake, "--extra-feedback", "like");

        Assert.True(directory.Code == 0, directory.Error);
        Assert.True(glob.Code == 0, glob.Error);
        // The named column marks the same rows as the log's own like column.
        Assert.Equal(ExtraFeedbackLine(likeFlag.Output), ExtraFeedbackLine(directory.Output).Replace("column:like", "like"));
        Assert.Contains("read 3 of 30 part files", glob.Error);
    }

    private static string ExtraFeedbackLine(string output) => output.Split('\n').Single(l => l.StartsWith("extra feedback:"));

    [Fact]
    public void Truth_is_found_beside_a_dataset_directory_with_or_without_a_trailing_slash()
    {
        var lake = Generate();
        Assert.NotNull(DatasetLoader.TruthBeside(lake));
        Assert.NotNull(DatasetLoader.TruthBeside(lake + Path.DirectorySeparatorChar));
        Assert.Null(DatasetLoader.TruthBeside(Path.Combine(lake, "day=2024-01-01", "part-0.parquet")));
    }

    [Fact]
    public void Truth_is_found_for_a_glob_where_the_folder_it_selects_from_finds_it()
    {
        var lake = Generate();
        var whole = DatasetLoader.TruthBeside(lake)!;
        Assert.NotNull(whole.Stamp);

        // A glob below the lake selects parts of it, as --where does: the whole lake's truth is its truth.
        Assert.Equal(whole.Stamp, DatasetLoader.TruthBeside(Path.Combine(lake, "**", "*.parquet"))?.Stamp);
        Assert.Equal(whole.Stamp, DatasetLoader.TruthBeside(Path.Combine(lake, "day=2024-01-0*", "*.parquet"))?.Stamp);
    }

    /// <summary>A file imported into a partition (import-ratings --out lake/day=…) was told as the truth's fault; the added part is named.</summary>
    [Fact]
    public void A_part_added_to_a_simulations_lake_is_named_when_the_truth_is_refused()
    {
        var lake = Generate();
        var added = Path.Combine(lake, "day=2024-01-05", "interactions.parquet");
        InteractionLogParquet.Write(LogDataset.Open(Path.Combine(lake, "day=2024-01-05", "part-0.parquet")).Read().Log, added); // unstamped, as import-ratings writes

        var error = Assert.Throws<DataException>(() => DatasetLoader.TruthBeside(lake));

        Assert.Contains($"rows: {added} was not written by this simulation (added to its log since, by another tool or a copy); move it out of the dataset", error.Message);
    }

    /// <summary>A simulation's own lake with a part removed or copied was told its truth was another log's, and to move the truth away.</summary>
    [Fact]
    public void A_simulations_lake_that_lost_or_repeats_a_part_is_told_as_changed_not_as_another_logs()
    {
        var lake = Generate();
        var (kept, copy) = (Path.Combine(lake, "day=2024-01-05", "part-0.parquet"), Path.Combine(lake, "day=2024-01-05", "part-copy.parquet"));
        File.Copy(kept, copy);

        var repeated = Assert.Throws<DataException>(() => DatasetLoader.TruthBeside(lake)).Message;

        Assert.Contains("rows, though every part carries this simulation's stamp: the lake changed since datagen wrote it (", repeated);
        Assert.Contains($"rows more: a part copied; {copy} repeats {kept}), it is not another log's truth; restore its parts, or write the simulation again with datagen", repeated);
        Assert.DoesNotContain("move truth.parquet", repeated);

        File.Delete(copy);
        File.Delete(kept);
        Assert.Contains("rows fewer: a part removed or emptied), it is not another log's truth", Assert.Throws<DataException>(() => DatasetLoader.TruthBeside(lake)).Message);

        // Two parts emptied by a tool that keeps their metadata, the simulation's stamp with it: each named as holding no rows, and
        // the two, alike to the byte, not told as a copy of each other.
        var stamp = LogDataset.Open(lake).Footers().Select(part => Data.Simulation.SimulationStamp.In(part.Metadata)).First(found => found is not null);
        var emptied = new[] { Path.Combine(lake, "day=2024-01-06", "part-0.parquet"), Path.Combine(lake, "day=2024-01-07", "part-0.parquet") };
        foreach (var part in emptied) InteractionLogParquet.Write(new InteractionLog(0), part, metadata: Data.Simulation.SimulationStamp.Metadata(stamp));
        var fewer = Assert.Throws<DataException>(() => DatasetLoader.TruthBeside(lake)).Message;
        Assert.Contains($"rows fewer: a part removed or emptied; {emptied[0]} holds 0 rows; {emptied[1]} holds 0 rows), it is not another log's truth", fewer);
        Assert.DoesNotContain("repeats", fewer);
    }

    /// <summary>A damaged part --where leaves out refused the run, only because the truth beside the lake is checked against every part: said so.</summary>
    [Fact]
    public void A_damaged_part_where_leaves_out_is_told_as_read_for_the_truth()
    {
        var lake = Generate();
        var damaged = Path.Combine(lake, "day=2024-01-01", "part-0.parquet");
        File.WriteAllBytes(damaged, []);

        var run = Run("train", "--data", lake, "--where", "day>=2024-01-20", "--out", Path.Combine(_dir, "run"), "--epochs", "1");

        Assert.Contains($"{damaged}: ", run.Error);
        CliRunner.AssertOneLineFailure(run, $"(read to check {Path.Combine(_dir, "truth.parquet")} beside the lake against every part's rows, whatever --where selects: " +
            "repair or remove the part, or move truth.parquet and truth-model.bin away)");
    }

    [Fact]
    public void Where_naming_an_unknown_column_or_matching_nothing_is_one_line()
    {
        var lake = Generate();
        CliRunner.AssertOneLineFailure(Run("inspect", "--data", lake, "--where", "hour=3"), "unknown partition column 'hour'");
        CliRunner.AssertOneLineFailure(Run("train", "--data", lake, "--where", "day>2099-01-01"), "matches none of the 30 part file(s)");
    }

    [Fact]
    public void Empty_directory_and_empty_glob_are_one_line()
    {
        CliRunner.AssertOneLineFailure(Run("inspect", "--data", _dir), "without Parquet part files");
        CliRunner.AssertOneLineFailure(Run("inspect", "--data", Path.Combine(_dir, "*.parquet")), "the glob matches no files");
    }

    [Fact]
    public void Mixed_schemas_name_the_part_and_the_column()
    {
        var with = new InteractionLog(1) { Rating = new NullableColumn<float>([4f], [true]) };
        InteractionLogParquet.Write(with, Path.Combine(_dir, "part-0.parquet"));
        InteractionLogParquet.Write(new InteractionLog(1), Path.Combine(_dir, "part-1.parquet"));

        CliRunner.AssertOneLineFailure(Run("inspect", "--data", _dir), $"{Path.Combine(_dir, "part-1.parquet")}: column 'rating' is missing");
    }
}
