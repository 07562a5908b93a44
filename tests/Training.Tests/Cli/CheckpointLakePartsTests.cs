using InverseLearning.Data;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>
/// Eval and export of a run's checkpoint after its lake changed: a part added since (today's partition, as a live lake grows)
/// refused the checkpoint as of other data, so a job with an open window over a live lake never published a version. They read
/// the parts the run recorded, and tell in one line of those added; a part the run read that is gone or rewritten is refused.
/// </summary>
[Collection("Console")]
public sealed class CheckpointLakePartsTests : DatagenLakeTest
{
    private readonly string _where, _checkpoint;
    private readonly IReadOnlyList<string> _readDays;
    private readonly int _lakeDays;

    public CheckpointLakePartsTests()
    {
        var days = Directory.GetDirectories(_lake, "day=*").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        _lakeDays = days.Count;
        _readDays = days[^3..]!;
        _where = $"day>={_readDays[0]!["day=".Length..]}";
        _checkpoint = Path.Combine(_run, "checkpoint");
        var trained = Train("--where", _where);
        Assert.True(trained.Code == 0, trained.Error);
    }

    private (int Code, string Output, string Error) Eval() => CliRunner.Run("eval", "--checkpoint", _checkpoint, "--data", _lake, "--where", _where);

    private (int Code, string Output, string Error) Export() =>
        CliRunner.Run("export", "--checkpoint", _checkpoint, "--data", _lake, "--where", _where, "--repository", Path.Combine(_dir, "repository"));

    private string Part(string day) => Path.Combine(_lake, day, "part-0.parquet");

    // A copy of a read day's part as the day after the last: a live lake's new partition, of the same simulation.
    private string AddNextDay()
    {
        var nextDay = DateOnly.Parse(_readDays[^1]["day=".Length..], System.Globalization.CultureInfo.InvariantCulture).AddDays(1);
        var added = Path.Combine(_lake, $"day={nextDay:yyyy-MM-dd}", "part-1.parquet");
        Directory.CreateDirectory(Path.GetDirectoryName(added)!);
        File.Copy(Part(_readDays[0]), added);
        return added;
    }

    [Fact]
    public void A_part_added_since_the_run_is_left_out_of_eval_and_export_in_one_line()
    {
        var added = AddNextDay();

        var note = $"note: 1 part file added to {_lake} since {_checkpoint}'s run listed it ({added}) is left out: the log is read as the run read it, 3 part files";
        var eval = Eval();
        Assert.True(eval.Code == 0, eval.Error);
        Assert.Single(eval.Error.Split('\n'), line => line == note);
        var export = Export();
        Assert.True(export.Code == 0, export.Error);
        Assert.Single(export.Error.Split('\n'), line => line == note);
        Assert.True(File.Exists(Path.Combine(_dir, "repository", "1", "model.onnx")));
    }

    /// <summary>
    /// The run read a window of the lake (--where); eval given the whole lake read the same parts, and counted the truth beside
    /// the lake without those the window left out: "another log's ground truth", though the simulation wrote every part.
    /// </summary>
    [Fact]
    public void Eval_without_the_runs_window_reads_its_parts_and_the_truth_beside_the_lake()
    {
        var eval = CliRunner.Run("eval", "--checkpoint", _checkpoint, "--data", _lake);
        Assert.True(eval.Code == 0, eval.Error);
        Assert.Contains("clean test", eval.Output);
        Assert.Equal(CliRunner.Run("eval", "--checkpoint", _checkpoint, "--data", _lake, "--where", _where).Output, eval.Output);
    }

    /// <summary>
    /// The run read a window of the lake (--where), and the lake gained a part since; eval given the whole lake guessed which parts
    /// the truth counts by trying the whole lake, then the lake without every part the run did not read, and refused both as
    /// another log's truth. The run's checkpoint records the lake as it listed it: the parts it did not list are the new ones.
    /// </summary>
    [Fact]
    public void Eval_without_the_runs_window_of_a_lake_grown_since_counts_the_truth_without_the_added_part_and_names_it()
    {
        var added = AddNextDay();

        var eval = CliRunner.Run("eval", "--checkpoint", _checkpoint, "--data", _lake);

        Assert.True(eval.Code == 0, eval.Error);
        Assert.Contains("clean test", eval.Output);
        Assert.Single(eval.Error.Split('\n'), line => line.StartsWith($"note: 1 part file added to {_lake} since {_checkpoint}'s run listed it ({added}) is left out", StringComparison.Ordinal));
        Assert.Single(eval.Error.Split('\n'), line => line.StartsWith($"note: {_lakeDays - 3} part files of {_lake} that {_checkpoint}'s run's --where or glob left out (", StringComparison.Ordinal));
        Assert.Equal(CliRunner.Run("eval", "--checkpoint", _checkpoint, "--data", _lake, "--where", _where).Output, eval.Output);
    }

    /// <summary>A checkpoint written before runs recorded the lake's listing: the parts the run did not read are told apart by the truth's count, as before.</summary>
    [Fact]
    public void A_checkpoint_that_records_no_listing_tells_the_window_by_the_truths_count()
    {
        Artifacts.CheckpointHeaders.Rewrite(_checkpoint, header => Assert.True(header["run"]!.AsObject().Remove("lake_listing")));

        var whole = CliRunner.Run("eval", "--checkpoint", _checkpoint, "--data", _lake);
        Assert.True(whole.Code == 0, whole.Error);
        Assert.Contains("clean test", whole.Output);
        Assert.Contains($"note: {_lakeDays - 3} part files of {_lake} that {_checkpoint}'s run did not read (", whole.Error);

        var added = AddNextDay();
        var grown = Eval();
        Assert.True(grown.Code == 0, grown.Error);
        Assert.Contains($"note: 1 part file of {_lake} that {_checkpoint}'s run did not read ({added}) is left out", grown.Error);
    }

    [Fact]
    public void A_lake_as_the_run_read_it_or_a_checkpoint_that_records_no_parts_is_evaluated_without_a_note()
    {
        var unchanged = Eval();
        Assert.True(unchanged.Code == 0, unchanged.Error);
        Assert.DoesNotContain("note:", unchanged.Error);

        // Written before runs recorded the parts they read: nothing to hold the lake to, and no part to tell added.
        Artifacts.CheckpointHeaders.Rewrite(_checkpoint, header => Assert.True(header["run"]!.AsObject().Remove("lake_parts")));
        var unrecorded = Eval();
        Assert.True(unrecorded.Code == 0, unrecorded.Error);
        Assert.DoesNotContain("note:", unrecorded.Error);
    }

    [Fact]
    public void A_part_the_run_read_that_is_gone_is_refused_naming_it()
    {
        File.Delete(Part(_readDays[1]));

        var why = $"{_checkpoint}'s run read {_readDays[1]}/part-0.parquet, which {_lake} under --where '{_where}' no longer holds";
        CliRunner.AssertOneLineFailure(Eval(), why);
        CliRunner.AssertOneLineFailure(Export(), why);
    }

    [Fact]
    public void A_part_the_run_read_that_is_there_but_outside_the_where_given_is_told_so_not_as_a_changed_lake()
    {
        // It was told the lake no longer holds the part, which was there: the --where given reads less of the lake than the run's.
        var narrower = $"day>={_readDays[1]!["day=".Length..]}";

        var eval = CliRunner.Run("eval", "--checkpoint", _checkpoint, "--data", _lake, "--where", narrower);

        CliRunner.AssertOneLineFailure(eval, $"{_checkpoint}'s run read {_readDays[0]}/part-0.parquet, which is in the lake but not among the parts {_lake} " +
            $"under --where '{narrower}' reads; give the --data (and --where) the run was trained with");
    }

    /// <summary>A cluster run's worker given a narrower --where than its coordinator's is told to give the coordinator's, not the checkpoint's run's advice.</summary>
    [Fact]
    public void A_part_the_coordinator_read_outside_a_workers_where_tells_the_worker_to_give_the_coordinators_data()
    {
        var narrower = $"day>={_readDays[1]!["day=".Length..]}";
        var run = InverseLearning.Training.Artifacts.Checkpoint.ReadHeader(_checkpoint).Run;
        var data = new InverseLearning.Training.Cli.DataOptions();
        var train = new System.CommandLine.Command("train");
        data.AddTo(train);
        var parse = train.Parse(["--data", _lake, "--where", narrower]);

        data.ReadAsCoordinatorRead(run.LakeParts!, run.LakeListing, "r1");

        var refused = Assert.Throws<DataException>(() => data.Open(parse));
        Assert.Equal($"run r1's coordinator read {_readDays[0]}/part-0.parquet, which is in the lake but not among the parts {_lake} under --where '{narrower}' reads; " +
            "give every worker the coordinator's --data (and --where)", refused.Message);
    }

    [Fact]
    public void A_part_the_run_read_that_was_rewritten_with_other_rows_is_refused_naming_it()
    {
        var rewritten = Part(_readDays[1]);
        var other = Directory.GetDirectories(_lake, "day=*").Select(day => Path.Combine(day, "part-0.parquet"))
            .First(part => LogDataset.Open(part).CountRows() != LogDataset.Open(rewritten).CountRows());
        File.Copy(other, rewritten, overwrite: true);

        CliRunner.AssertOneLineFailure(Eval(), $"{rewritten}: changed since {_checkpoint}'s run read it (");
    }

    /// <summary>
    /// A part the run read, rewritten with as many rows of other values: its rows' count alone was recorded, so the data's
    /// fingerprint refused it later, naming no part. The checkpoint records each part's length and footer hash.
    /// </summary>
    [Fact]
    public void A_part_the_run_read_rewritten_with_as_many_other_rows_is_refused_naming_it_by_eval_export_and_resume()
    {
        var rewritten = Part(_readDays[1]);
        var rows = (int)LogDataset.Open(rewritten).CountRows();
        var other = Directory.GetDirectories(_lake, "day=*").Select(day => Path.Combine(day, "part-0.parquet"))
            .First(part => part != rewritten && LogDataset.Open(part).CountRows() > rows);
        var log = InteractionLogParquet.Read(other);
        log.Truncate(rows);
        InteractionLogParquet.Write(log, rewritten, metadata: LogDataset.Open(other).Footers()[0].Metadata);
        Assert.Equal(rows, LogDataset.Open(rewritten).CountRows());

        var why = $"{rewritten}: changed since {_checkpoint}'s run read it (as many rows, {rows:N0}, rewritten: ";
        CliRunner.AssertOneLineFailure(Eval(), why);
        CliRunner.AssertOneLineFailure(Export(), why);
        var resumed = CliRunner.Run(["train", "--data", _lake, "--where", _where, "--out", _run, "--resume", .. Fast[2..], "--epochs", "2"]);
        CliRunner.AssertOneLineFailure(resumed, $"{rewritten}: changed since {Path.Combine(_run, "last.checkpoint")}'s run read it (as many rows, {rows:N0}, rewritten: ");
    }

    /// <summary>A checkpoint written before runs recorded the parts' stamps: its parts are held to their rows, and it is evaluated as before.</summary>
    [Fact]
    public void A_checkpoint_whose_parts_have_no_stamp_is_evaluated()
    {
        Artifacts.CheckpointHeaders.Rewrite(_checkpoint, header =>
        {
            foreach (var part in header["run"]!["lake_parts"]!.AsArray()) Assert.True(part!.AsObject().Remove("stamp"));
        });

        var eval = Eval();
        Assert.True(eval.Code == 0, eval.Error);
        Assert.Contains("clean test", eval.Output);
    }
}
