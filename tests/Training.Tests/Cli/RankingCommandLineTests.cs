using System.CommandLine;
using InverseLearning.Data;
using InverseLearning.Training.Cli;
using InverseLearning.Training.Tests.Evaluation;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>Bad extra-feedback and full-ranking flags: one line on stderr and exit code 1, before any training.</summary>
[Collection("Console")]
public sealed class RankingCommandLineTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("il-ranking-cli-").FullName;
    private readonly string _log;

    public RankingCommandLineTests()
    {
        _log = Path.Combine(_folder, "log.parquet");
        var log = RankingLogs.Random(rows: 600, users: 30, items: 40, seed: 1);
        log.Like = new NullableColumn<bool>(Enumerable.Range(0, log.Count).Select(r => r % 5 == 0).ToArray(), Enumerable.Repeat(true, log.Count).ToArray());
        InteractionLogParquet.Write(log, _log);
    }

    private static (int Code, string Output, string Error) Run(params string[] args) => CliRunner.Run(args);

    private (int Code, string Output, string Error) Train(params string[] extra) =>
        Run(["train", "--data", _log, "--labels", "rating", "--epochs", "1", "--out", Path.Combine(_folder, "run"), .. extra]);

    private static void AssertOneLine(int code, string error, string expected)
    {
        Assert.Equal(1, code);
        Assert.Contains(expected, error);
        Assert.Single(error.Trim().Split('\n'), line => line.StartsWith("error:"));
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void Topk_zero_is_refused()
    {
        var (code, _, error) = Train("--eval", "full-ranking", "--topk", "20,0");
        AssertOneLine(code, error, "--topk: '0' is not a positive integer");
    }

    [Theory]
    [InlineData("Like")]
    [InlineData("column:like")]
    [InlineData("rating:x")]
    public void A_test_positives_rule_it_cannot_take_is_refused_listing_the_ones_it_can(string rule)
    {
        var (code, _, error) = Train("--eval", "full-ranking", "--test-positives", rule);
        AssertOneLine(code, error, $"--test-positives: '{rule}' is not supported; expected truth, like or rating:N");
    }

    [Fact]
    public void A_near_miss_of_a_test_positives_rule_is_told_what_it_likely_meant()
    {
        // Like said only what was expected, where other sets' near misses are told "did you mean".
        var (code, _, error) = Train("--eval", "full-ranking", "--test-positives", "Like");
        AssertOneLine(code, error, "--test-positives: 'Like' is not supported; expected truth, like or rating:N; did you mean like?");
    }

    [Fact]
    public void Topk_without_full_ranking_is_refused()
    {
        var (code, _, error) = Train("--topk", "5");
        AssertOneLine(code, error, "--topk needs --eval full-ranking");
    }

    [Fact]
    public void Test_positives_without_full_ranking_are_refused_not_ignored()
    {
        var (code, _, error) = Train("--test-positives", "like");
        AssertOneLine(code, error, "--test-positives needs --eval full-ranking");
        (code, _, error) = Run("eval", "--data", _log, "--checkpoint", Path.Combine(_folder, "none"), "--test-positives", "rating:4");
        AssertOneLine(code, error, "--test-positives needs --eval full-ranking");
        (code, _, error) = Run("experiment", "--data", _log, "--methods", "none", "--models", "gmf", "--out", Path.Combine(_folder, "experiment"), "--test-positives", "like");
        AssertOneLine(code, error, "--test-positives needs --eval full-ranking");
    }

    [Fact]
    public void Export_has_no_test_positives_flag_since_it_ranks_no_catalogue()
    {
        // Listed by its --help and refused whenever given, it is not a flag of export at all.
        Assert.DoesNotContain("--test-positives", Run("export", "--help").Output);
        Assert.Contains("--test-positives", Run("eval", "--help").Output);
        var (code, _, error) = Run("export", "--data", _log, "--checkpoint", Path.Combine(_folder, "none"), "--out", Path.Combine(_folder, "export"), "--test-positives", "like");
        Assert.Equal(1, code);
        Assert.Contains("'--test-positives'", error);
    }

    [Theory]
    [InlineData("10,,20", "--topk: '10,,20' has an empty entry; expected a comma-separated list such as 20,50,100")]
    [InlineData("10,20,", "--topk: '10,20,' has an empty entry")]
    [InlineData("", "--topk: '' has an empty entry")]
    [InlineData("10,20,10", "--topk: 10 is given twice in '10,20,10'")]
    public void Topk_with_an_empty_or_repeated_entry_is_refused(string topk, string expected)
    {
        var (code, _, error) = Train("--eval", "full-ranking", "--topk", topk);
        AssertOneLine(code, error, expected);
    }

    [Fact]
    public void Topk_above_the_catalogue_is_refused_before_training()
    {
        var (code, _, error) = Train("--eval", "full-ranking", "--topk", "20,41", "--test-positives", "rating:4");
        AssertOneLine(code, error, "--topk: K = 41 is outside [1, 40]");
        Assert.False(File.Exists(Path.Combine(_folder, "run", "metrics.json")));
    }

    [Fact]
    public void Topk_of_the_protocol_above_the_catalogue_is_credited_to_the_protocol()
    {
        // --topk was blamed alone, a flag never given: the K are --protocol denoisingrec's 50,100.
        var (code, _, error) = Train("--protocol", "denoisingrec", "--test-positives", "rating:4");
        AssertOneLine(code, error, "--topk: K = 50 is outside [1, 40] (the catalogue has 40 items) (--topk: --protocol denoisingrec's value; give the flag to change it)");
    }

    [Fact]
    public void Test_positives_that_mark_no_test_row_are_refused()
    {
        // A range past the log's ratings (1 to 5) lets rating:6 through to the test rows, which it marks none of.
        var (code, _, error) = Train("--eval", "full-ranking", "--topk", "5", "--test-positives", "rating:6", "--rating-max", "10");
        AssertOneLine(code, error, "--test-positives rating:6: no true positive among the test rows");
    }

    [Fact]
    public void Truth_positives_without_ground_truth_are_refused()
    {
        var (code, _, error) = Train("--eval", "full-ranking", "--topk", "5");
        AssertOneLine(code, error, "--test-positives truth needs the simulator's ground truth");
    }

    [Fact]
    public void Test_positives_from_a_column_the_log_lacks_are_refused()
    {
        var path = Path.Combine(_folder, "plain.parquet");
        InteractionLogParquet.Write(RankingLogs.Random(rows: 50, users: 5, items: 5, seed: 2), path);

        var (code, _, error) = Run("train", "--data", path, "--eval", "full-ranking", "--topk", "2", "--test-positives", "like", "--out", Path.Combine(_folder, "plain"));

        AssertOneLine(code, error, "--test-positives like: the log has no 'like' column");
    }

    [Fact]
    public void Extra_feedback_naming_a_missing_column_is_refused()
    {
        var (code, _, error) = Run("inspect", "--data", _log, "--extra-feedback", "column:purchase");
        AssertOneLine(code, error, "--extra-feedback column:purchase names a missing column");
    }

    [Fact]
    public void An_explicit_extra_feedback_the_log_lacks_is_refused()
    {
        var path = Path.Combine(_folder, "plain.parquet");
        InteractionLogParquet.Write(RankingLogs.Random(rows: 50, users: 5, items: 5, seed: 2), path);

        var (code, _, error) = Run("inspect", "--data", path, "--extra-feedback", "like");

        AssertOneLine(code, error, "--extra-feedback like names a missing column 'like'");
        Assert.Equal(0, Run("inspect", "--data", path).Code); // the default may be absent
    }

    [Fact]
    public void Inspect_reports_the_extra_feedback_and_its_share_per_user()
    {
        var (code, output, _) = Run("inspect", "--data", _log, "--labels", "implicit");

        Assert.Equal(0, code);
        Assert.Contains("labels:        implicit", output);
        Assert.Contains("extra feedback: like: 120 rows (train ", output);
        Assert.Contains("share per user: extra ÷ implicit training positives over ", output);
        Assert.Contains("sparse users:  < 0.1: ", output);
    }

    [Fact]
    public void A_full_ranking_run_writes_recall_and_ndcg_to_metrics_json()
    {
        var (code, output, error) = Train("--eval", "full-ranking", "--topk", "5,10", "--test-positives", "rating:4", "--ng", "1", "--threads", "1");

        Assert.True(code == 0, error);
        Assert.Contains("full ranking (", output);
        var report = InverseLearning.Training.Reports.MetricsJson.Read(Path.Combine(_folder, "run", "metrics.json"));
        var ranking = report.Extra["full_ranking"]!.AsObject();
        Assert.Equal("rating:4", (string?)ranking["test_positives"]);
        Assert.True((int)ranking["users"]! > 0);
        foreach (var name in new[] { "recall@5", "recall@10", "ndcg@5", "ndcg@10" })
            Assert.InRange((double)ranking[name]!, 0, 1);
        Assert.True((double)ranking["recall@10"]! >= (double)ranking["recall@5"]!);

        // eval of the best checkpoint gives the same figures.
        var (evalCode, evalOutput, evalError) = Run("eval", "--checkpoint", Path.Combine(_folder, "run", "checkpoint"), "--data", _log, "--labels", "rating",
            "--eval", "full-ranking", "--topk", "5,10", "--test-positives", "rating:4");
        Assert.True(evalCode == 0, evalError);
        Assert.Contains($"Recall@5 {(double)ranking["recall@5"]!:F4}", evalOutput);
        Assert.Contains($"NDCG@10 {(double)ranking["ndcg@10"]!:F4}", evalOutput);
    }

    [Fact]
    public void Experiment_writes_and_prints_the_ranking_table()
    {
        var outDir = Path.Combine(_folder, "experiment");
        var (code, output, error) = Run("experiment", "--data", _log, "--labels", "rating", "--methods", "none,ns", "--models", "gmf",
            "--epochs", "1", "--threads", "1", "--eval", "full-ranking", "--topk", "5,10", "--test-positives", "rating:4", "--out", outDir);

        Assert.True(code == 0, error);
        var table = File.ReadAllText(Path.Combine(outDir, "ranking_table.md"));
        // The heading was the experiment's title with the data paragraph inside it: "… every flag).: full ranking".
        Assert.StartsWith("# 2 methods × 1 model, 1 repeat: full ranking\n\nData: ", table);
        Assert.DoesNotContain(".: full ranking", table);
        Assert.Contains("| Model | Method | Recall@5 | Recall@10 | NDCG@5 | NDCG@10 |", table);
        Assert.Contains("| gmf | none |", table);
        Assert.Contains("| gmf | ns |", table);
        Assert.Contains("| Model | Method | Recall@5", output);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
