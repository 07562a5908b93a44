using System.Text.RegularExpressions;
using InverseLearning.Training.Reports;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>
/// `--stream` from the command line on a day-partitioned datagen lake: train announces the
/// streamed run, eval and export stream again from the checkpoint's record, resume keeps
/// streaming, and flags that contradict it are one line.
/// </summary>
[Collection("Console")]
public sealed class StreamCommandLineTests : DatagenLakeTest
{
    [Fact]
    public void Train_streams_and_eval_export_and_resume_stream_again()
    {
        var trained = Train("--stream", "--shuffle-buffer", "1000");
        Assert.True(trained.Code == 0, trained.Error);
        Assert.Contains("split by hash, seed 42; streaming: the first pass holds", trained.Error);
        // A small log's first pass holds well under a MiB: told in KiB, not as "0 MB".
        Assert.Matches(@"the first pass holds [1-9][0-9.]* KiB, the [0-9,]+ training rows are read again", trained.Error);
        Assert.Contains("through a shuffle buffer of 1,000 rows", trained.Error);
        var metrics = MetricsJson.Read(Path.Combine(_run, MetricsJson.FileName));
        Assert.True((bool)metrics.Extra["settings"]!["Stream"]!);

        // The checkpoint records the streamed run: eval rebuilds it (a held dataset would be refused as other data).
        var eval = CliRunner.Run("eval", "--data", _lake, "--checkpoint", Path.Combine(_run, "checkpoint"));
        Assert.True(eval.Code == 0, eval.Error);
        Assert.Contains("streaming:", eval.Error);
        Assert.Contains(metrics.Test.Auc.ToString("F4"), eval.Output);

        // A resumed run streams as its checkpoint says, so --shuffle-buffer needs no --stream; it must agree with the checkpoint's.
        CliRunner.AssertOneLineFailure(Resume("--epochs", "2", "--shuffle-buffer", "999"), "--shuffle-buffer 999 contradicts the checkpoint's 1000");
        var resumed = Resume("--epochs", "2", "--shuffle-buffer", "1000");
        Assert.True(resumed.Code == 0, resumed.Error);
        Assert.Contains("streaming:", resumed.Error);
    }

    /// <summary>
    /// A part added to the lake while a streamed run trains is read by none of its passes (they read the parts the first pass
    /// listed), nor by eval and export of its checkpoint: it was passed over without a word, the run ending rc 0.
    /// </summary>
    [Theory]
    [InlineData("train", "this run trained, and the run did not read it", "the run's checkpoint")]
    [InlineData("experiment", "this experiment's runs trained, and none of them read it", "their checkpoints")]
    public async Task A_part_added_while_a_streamed_run_trains_is_told_when_the_run_ends(string verb, string trained, string checkpoints)
    {
        var added = Path.Combine(_lake, "day=999", "part-0.parquet");
        var existing = Directory.EnumerateFiles(_lake, "*.parquet", SearchOption.AllDirectories).First();
        var last = verb == "train" ? Path.Combine(_run, "last.checkpoint") : Path.Combine(_run, "gmf", "none", "seed42", "last.checkpoint");
        // Added once epoch 1 has ended (its last.checkpoint written), while the epochs after it train.
        var adder = Task.Run(async () =>
        {
            while (!File.Exists(last)) await Task.Delay(5);
            Directory.CreateDirectory(Path.GetDirectoryName(added)!);
            File.Copy(existing, added);
        });

        string[] plan = verb == "train" ? [] : ["--methods", "none", "--repeats", "1"];
        var run = CliRunner.Run([verb, .. plan, "--data", _lake, "--out", _run, "--epochs", "50", "--dim", "4", "--threads", "1", "--batch-size", "512", "--stream"]);
        await adder.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(run.Code == 0, run.Error);
        Assert.Contains($"warning: {added} was added to the lake while {trained}; " +
            $"eval and export of {checkpoints} leave it out too, reading the parts the run read", run.Error);
    }

    [Fact]
    public void Split_by_hash_in_memory_is_the_streamed_split()
    {
        var held = Train("--split", "hash");
        Assert.True(held.Code == 0, held.Error);
        var streamed = CliRunner.Run(["train", "--data", _lake, "--out", Path.Combine(_dir, "streamed"), .. Fast, "--stream"]);
        Assert.True(streamed.Code == 0, streamed.Error);
        var random = CliRunner.Run(["train", "--data", _lake, "--out", Path.Combine(_dir, "random"), .. Fast]);
        Assert.True(random.Code == 0, random.Error);
        // The same training rows by hash, held or streamed; a random split of exact shares draws others.
        Assert.Equal(TrainingRows(held.Error), TrainingRows(streamed.Error));
        Assert.NotEqual(TrainingRows(held.Error), TrainingRows(random.Error));
        // inspect shows the split asked for.
        var inspected = CliRunner.Run("inspect", "--data", _lake, "--split", "hash");
        Assert.True(inspected.Code == 0, inspected.Error);
        Assert.Matches($@"train:\s+{TrainingRows(held.Error)} \(", inspected.Output);
        Assert.Contains("split:         by hash of (user, item, seed) 60/20/20", inspected.Output);
    }

    /// <summary>A split by hash sets a log's own split (import-ratings' train=/valid=/test=) aside: said, never silently.</summary>
    [Fact]
    public void A_split_by_hash_held_streamed_or_inspected_says_it_does_not_use_the_logs_split_column()
    {
        var log = Data.LogDataset.Open(_lake).Read().Log;
        log.Split = [.. Enumerable.Range(0, log.Count).Select(row => (row % 5) switch { 3 => Data.SplitTag.Valid, 4 => Data.SplitTag.Test, _ => Data.SplitTag.Train })];
        var tagged = Path.Combine(_dir, "tagged", "interactions.parquet"); // away from the lake's truth, which is not this log's
        Directory.CreateDirectory(Path.GetDirectoryName(tagged)!);
        Data.InteractionLogParquet.Write(log, tagged);
        const string line = @"split by hash: train [\d,]+ \(training-train [\d,]+, training-test [\d,]+\), valid [\d,]+, test [\d,]+ labeled rows; the log's split column is not used";

        var held = CliRunner.Run(["train", "--data", tagged, "--out", Path.Combine(_dir, "held"), .. Fast, "--split", "hash"]);
        var streamed = CliRunner.Run(["train", "--data", tagged, "--out", Path.Combine(_dir, "streamed"), .. Fast, "--stream"]);
        var inspected = CliRunner.Run("inspect", "--data", tagged, "--split", "hash");

        Assert.True(held.Code == 0, held.Error);
        Assert.Matches(line, held.Error);
        Assert.True(streamed.Code == 0, streamed.Error);
        Assert.Matches(line, streamed.Error);
        Assert.Contains("split:         by hash of (user, item, seed) 60/20/20; the log's split column is not used", inspected.Output);
        Assert.DoesNotContain("split column", CliRunner.Run("inspect", "--data", _lake, "--split", "hash").Output); // a log without one
    }

    [Fact]
    public void Train_streams_a_split_by_time_and_eval_rebuilds_it()
    {
        var trained = Train("--stream", "--split", "time", "--valid-days", "2", "--test-days", "1", "--method", "ig");
        Assert.True(trained.Code == 0, trained.Error);
        Assert.Contains("split by time, training-test by hash, seed 42; streaming: the first pass holds", trained.Error);
        Assert.Matches(@"split by time, days from the day= partitions: train .+, valid .+ \(2 days\), test \d{4}-\d\d-\d\d", trained.Error);
        Assert.Contains("cold in test:", trained.Error);
        Assert.Matches(@"split by time: train [\d,]+ \(training-train [\d,]+, training-test [\d,]+\), valid [\d,]+, test [\d,]+ labeled rows", trained.Error);
        var metrics = MetricsJson.Read(Path.Combine(_run, MetricsJson.FileName));
        Assert.Equal(2, (int)metrics.Extra["time_split"]!["valid_days"]!["days"]!);

        // The held read of the same split by time holds out the same test rows: the same test count.
        var held = CliRunner.Run(["train", "--data", _lake, "--out", Path.Combine(_dir, "held"), .. Fast, "--split", "time", "--valid-days", "2", "--test-days", "1"]);
        Assert.True(held.Code == 0, held.Error);
        Assert.Equal(Regex.Match(held.Error, @"cold in test:.*").Value, Regex.Match(trained.Error, @"cold in test:.*").Value);

        var eval = CliRunner.Run("eval", "--data", _lake, "--checkpoint", Path.Combine(_run, "checkpoint"));
        Assert.True(eval.Code == 0, eval.Error);
        Assert.Contains("split by time, training-test by hash", eval.Error);
        Assert.Contains(metrics.Test.Auc.ToString("F4"), eval.Output);
    }

    private (int Code, string Output, string Error) Resume(params string[] args) =>
        CliRunner.Run(["train", "--data", _lake, "--out", _run, "--resume", "--dim", "4", "--threads", "1", "--batch-size", "512", .. args]);

    private static string TrainingRows(string log) => Regex.Match(log, @"on ([\d,]+) labeled rows").Groups[1].Value;

    [Theory]
    [InlineData("--stream --split random", "--stream splits by hash")]
    [InlineData("--shuffle-buffer 10", "--shuffle-buffer applies to --stream only")]
    [InlineData("--stream --shuffle-buffer 0", "--shuffle-buffer must be from 1")]
    [InlineData("--stream --shuffle-buffer 2000000000", "--shuffle-buffer must be from 1")]
    [InlineData("--stream --labels play-time", "--stream cannot label by play-time")]
    [InlineData("--stream --checkpoint-every -1", "--checkpoint-every must be from 0")]
    public void Contradicting_flags_are_one_line(string flags, string expected)
    {
        var args = flags.Split(' ');
        CliRunner.AssertOneLineFailure(Train(args), expected);
    }

    [Fact]
    public void Experiment_streams_every_run_of_its_plan()
    {
        var run = CliRunner.Run(["experiment", "--data", _lake, "--out", Path.Combine(_dir, "experiment"), "--methods", "none,ig", "--repeats", "1",
            "--epochs", "1", "--dim", "4", "--threads", "1", "--batch-size", "512", "--stream"]);
        Assert.True(run.Code == 0, run.Error);
        Assert.Contains("streaming: the first pass holds", run.Error);
        Assert.Matches(@"split by hash: train [\d,]+ \(training-train [\d,]+, training-test [\d,]+\), valid [\d,]+, test [\d,]+ labeled rows", run.Error);
        Assert.Contains("| ig", run.Output);
    }

    [Fact]
    public void Resume_refuses_to_stream_a_run_trained_in_memory()
    {
        Assert.Equal(0, Train().Code);
        CliRunner.AssertOneLineFailure(Resume("--epochs", "2", "--stream"), "--stream contradicts the checkpoint");
        CliRunner.AssertOneLineFailure(Resume("--epochs", "2", "--shuffle-buffer", "50"), "--shuffle-buffer applies to streamed runs, and the checkpoint was trained on the log held in memory");
    }
}
