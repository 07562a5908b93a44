using System.Globalization;
using System.Text.Json.Nodes;
using InverseLearning.Data;
using InverseLearning.Training.Reports;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>
/// `--split time` from the command line on a day-partitioned datagen lake: train records the
/// split and its report, eval, export and resume rebuild it from the checkpoint, experiment and
/// inspect take it, and wrong day flags are one line.
/// </summary>
[Collection("Console")]
public sealed class TimeSplitCommandLineTests : DatagenLakeTest
{
    /// <summary>Labeled rows (finish-rate) per day of the lake (datagen's: partitioned by its rows' UTC days), counted without the splitter.</summary>
    private SortedDictionary<string, int> LabeledRowsPerDay()
    {
        var read = LogDataset.Open(_lake).Read();
        var labels = Labeler.Label(read.Log, new LabelingOptions(LabelRule.FinishRate));
        var perDay = new SortedDictionary<string, int>(StringComparer.Ordinal);
        for (var row = 0; row < labels.Length; row++)
            if (labels[row] != Labeler.Unlabeled)
            {
                var day = DateTimeOffset.FromUnixTimeMilliseconds(read.Log.TimestampMs![row]).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                perDay[day] = perDay.GetValueOrDefault(day) + 1;
            }
        return perDay;
    }

    [Fact]
    public void Train_holds_out_the_last_days_and_records_the_split_with_its_cold_counts()
    {
        var perDay = LabeledRowsPerDay();
        var days = perDay.Keys.ToList();

        var run = Train("--split", "time", "--valid-days", "2", "--test-days", "3");

        Assert.True(run.Code == 0, run.Error);
        var metrics = MetricsJson.Read(Path.Combine(_run, MetricsJson.FileName)).Extra;
        var split = metrics["time_split"]!;
        Assert.Equal(days[^5], (string?)split["valid_days"]!["first"]);
        Assert.Equal(days[^4], (string?)split["valid_days"]!["last"]);
        Assert.Equal(days[^3], (string?)split["test_days"]!["first"]);
        Assert.Equal(days.Count - 5, (int)split["train_days"]!["days"]!);
        Assert.Equal(perDay[days[^5]] + perDay[days[^4]], (int)split["cold_valid"]!["rows"]!);
        Assert.Equal(days[^3..].Sum(d => perDay[d]), (int)split["cold_test"]!["rows"]!);
        // datagen spreads a user's sessions over the log's days, so most held-out users were seen in training (when each watched
        // in one sitting, every held-out user was new, and a time split tested the model on users it never trained on).
        foreach (var part in new[] { "cold_valid", "cold_test" })
        {
            Assert.True((int)split[part]!["cold_users"]! * 2 < (int)split[part]!["users"]!, split[part]!.ToJsonString());
            Assert.True((int)split[part]!["cold_rows"]! * 2 < (int)split[part]!["rows"]!, split[part]!.ToJsonString());
        }
        Assert.Equal(2, (int)metrics["settings"]!["TimeSplit"]!["ValidDays"]!);
        Assert.Contains($"split by time, days from the day= partitions: train {days[0]} to {days[^6]} ({days.Count - 5} days), valid {days[^5]} to {days[^4]} (2 days)", run.Error);
        Assert.Contains("  cold in test:  ", run.Error);
    }

    [Fact]
    public void Eval_export_and_resume_rebuild_the_split_the_checkpoint_records()
    {
        var trained = Train("--split", "time", "--valid-days", "2", "--test-days", "2");
        Assert.True(trained.Code == 0, trained.Error);
        var test = MetricsJson.Read(Path.Combine(_run, MetricsJson.FileName)).Test;

        // No split flags: the checkpoint's split by time is rebuilt (a random split would be refused as other rows).
        var eval = CliRunner.Run("eval", "--checkpoint", Path.Combine(_run, "checkpoint"), "--data", _lake);
        var export = CliRunner.Run("export", "--checkpoint", Path.Combine(_run, "checkpoint"), "--data", _lake, "--out", Path.Combine(_dir, "export"));
        var resumed = CliRunner.Run(["train", "--data", _lake, "--out", _run, "--resume", "--epochs", "2", "--threads", "1"]);
        // --split time agrees with the checkpoint; the day counts it leaves at their defaults are not a contradiction.
        var resumedNamingTheSplit = CliRunner.Run(["train", "--data", _lake, "--out", _run, "--resume", "--epochs", "3", "--threads", "1", "--split", "time"]);

        Assert.True(eval.Code == 0, eval.Error);
        Assert.Contains($"  test          {test.Auc:F4}  {test.Gauc:F4}", eval.Output);
        Assert.Contains("split by time", eval.Error);
        Assert.True(export.Code == 0, export.Error);
        Assert.True(File.Exists(Path.Combine(_dir, "export", "model.onnx")));
        Assert.True(resumed.Code == 0, resumed.Error);
        Assert.Contains("split by time", resumed.Error);
        Assert.True(resumedNamingTheSplit.Code == 0, resumedNamingTheSplit.Error);
    }

    [Fact]
    public void Resume_refuses_split_flags_that_contradict_the_checkpoint()
    {
        Assert.Equal(0, Train("--split", "time").Code);

        var random = CliRunner.Run(["train", "--data", _lake, "--out", _run, "--resume", "--epochs", "2", "--split", "random"]);
        var otherDays = CliRunner.Run(["train", "--data", _lake, "--out", _run, "--resume", "--epochs", "2", "--split", "time", "--test-days", "2"]);

        CliRunner.AssertOneLineFailure(random, "--resume: --split random contradicts the checkpoint, which was trained with --split time --valid-days 1 --test-days 1");
        CliRunner.AssertOneLineFailure(otherDays, "--resume: --test-days 2 contradicts the checkpoint, which was trained with --split time --valid-days 1 --test-days 1");
    }

    [Fact]
    public void Experiment_runs_every_method_on_the_split_by_time()
    {
        var output = Path.Combine(_dir, "experiment");

        var run = CliRunner.Run(["experiment", "--data", _lake, "--out", output, "--models", "gmf", "--methods", "none,ns", .. Fast, "--split", "time", "--test-days", "2"]);

        Assert.True(run.Code == 0, run.Error);
        var runs = Directory.GetFiles(output, MetricsJson.FileName, SearchOption.AllDirectories);
        Assert.Equal(2, runs.Length);
        Assert.All(runs, path => Assert.Equal(2, (int)MetricsJson.Read(path).Extra["time_split"]!["test_days"]!["days"]!));
    }

    [Fact]
    public void Inspect_prints_the_split_by_time_and_its_cold_counts()
    {
        var perDay = LabeledRowsPerDay();

        var run = CliRunner.Run("inspect", "--data", _lake, "--split", "time");

        Assert.True(run.Code == 0, run.Error);
        Assert.Contains($"split:         by time, days from the day= partitions: train {perDay.Keys.First()} to ", run.Output);
        Assert.Contains($"  test:        {perDay.Values.Last():N0}\n", run.Output);
        Assert.Contains($"  valid:       {perDay.Values.SkipLast(1).Last():N0}\n", run.Output);
        Assert.Contains("cold in valid: ", run.Output);
    }

    [Fact]
    public void The_random_split_records_no_time_split()
    {
        Assert.Equal(0, Train().Code);

        var metrics = MetricsJson.Read(Path.Combine(_run, MetricsJson.FileName)).Extra;

        Assert.Null(metrics["time_split"]);
        Assert.False(metrics["settings"]!.AsObject().ContainsKey("TimeSplit"));
    }

    [Fact]
    public void Wrong_day_flags_are_one_line_naming_the_flag()
    {
        CliRunner.AssertOneLineFailure(Train("--valid-days", "2"), "--valid-days applies to --split time only; add --split time or leave --valid-days out");
        CliRunner.AssertOneLineFailure(Train("--test-days", "2"), "--test-days applies to --split time only");
        CliRunner.AssertOneLineFailure(Train("--split", "time", "--valid-days", "-1"), "--valid-days must be at least 1 (the validation days pick the best epoch), got -1");
        CliRunner.AssertOneLineFailure(Train("--split", "time", "--test-days", "0"), "--test-days must be at least 1, got 0");
        CliRunner.AssertOneLineFailure(Train("--split", "time", "--valid-days", "20", "--test-days", "10"),
            $"{_lake}: --valid-days 20 + --test-days 10 hold out 30 days, but the log has rows on 30 days, 2024-01-01 to 2024-01-30 by the day= partitions");
        CliRunner.AssertOneLineFailure(CliRunner.Run("experiment", "--data", _lake, "--out", Path.Combine(_dir, "x"), "--valid-days", "3"), "--valid-days applies to --split time only");
    }

    [Fact]
    public void A_log_without_timestamps_or_day_partitions_is_one_line()
    {
        var file = Path.Combine(_dir, "no-time", "no-time.parquet"); // a folder of its own: not beside the simulation's truth
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var log = new InteractionLog(2) { Rating = new NullableColumn<float>([5f, 1f], [true, true]) };
        InteractionLogParquet.Write(log, file);

        CliRunner.AssertOneLineFailure(CliRunner.Run("train", "--data", file, "--split", "time"),
            $"{file}: --split time needs each row's day, but the log has no 'timestamp' column and no day= partition directories");
    }
}
