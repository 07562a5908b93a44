using System.Text.Json.Nodes;
using InverseLearning.Data.Simulation;
using Checkpoints = InverseLearning.Training.Artifacts.Checkpoint;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>
/// A run whose strategies train on D* records its --extra-feedback; eval, export and --resume mark D* by it. They took the flag's
/// default (like) instead, or any other rule given, and quietly evaluated, exported or resumed colliding inference over another D*.
/// </summary>
[Collection("Console")]
public class RecordedExtraFeedbackTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("il-extra-").FullName;
    private readonly string _log, _run;

    public RecordedExtraFeedbackTests()
    {
        var dir = Path.Combine(_root, "log");
        SimulationFiles.Write(FeedSimulator.Run(SimulatorPresets.Get("tiny") with { Impressions = 4_000, Feedback = FeedbackKind.Rating }, 1), dir);
        _log = Path.Combine(dir, SimulationFiles.InteractionsFileName);
        _run = Path.Combine(_root, "run");
        var (code, _, error) = CliRunner.Run("train", "--data", _log, "--out", _run, "--epochs", "1", "--dim", "4", "--threads", "1",
            "--extra-feedback", "rating:5", "--warmup-epochs", "1", "--colliding-neighbors", "3");
        Assert.True(code == 0, error);
    }

    private string Best => Path.Combine(_run, Checkpoints.BestFileName);

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void The_run_records_its_extra_feedback_in_the_checkpoint_and_metrics_json()
    {
        Assert.Equal("rating:5", Checkpoints.ReadHeader(Best).Run.Settings.ExtraFeedback);
        Assert.Equal("rating:5", Checkpoints.ReadHeader(Path.Combine(_run, Checkpoints.LastFileName)).Run.Settings.ExtraFeedback);
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(_run, InverseLearning.Training.Reports.MetricsJson.FileName)))!;
        Assert.Equal("rating:5", metrics["settings"]!["ExtraFeedback"]!.GetValue<string>());
    }

    [Fact]
    public void Eval_and_export_without_the_flag_mark_d_star_by_the_checkpoints_rule()
    {
        var eval = CliRunner.Run("eval", "--checkpoint", Best, "--data", _log);
        Assert.True(eval.Code == 0, eval.Error);
        Assert.Contains("extra feedback: rating:5", eval.Error);
        var export = CliRunner.Run("export", "--checkpoint", Best, "--data", _log, "--out", Path.Combine(_root, "export"));
        Assert.True(export.Code == 0, export.Error);
        Assert.Contains("extra feedback: rating:5", export.Error);
    }

    [Theory]
    [InlineData("eval")]
    [InlineData("export")]
    public void Eval_and_export_refuse_another_extra_feedback_naming_both(string verb)
    {
        string[] Out(string name) => verb == "eval" ? [] : ["--out", Path.Combine(_root, name)];
        var run = CliRunner.Run([verb, "--checkpoint", Best, "--data", _log, "--extra-feedback", "rating:4", .. Out("refused-export")]);
        CliRunner.AssertOneLineFailure(run, $"{Best}: --extra-feedback rating:4 contradicts the checkpoint, which was trained with --extra-feedback rating:5");
        // The same rule spelt otherwise is the same D*.
        var same = CliRunner.Run([verb, "--checkpoint", Best, "--data", _log, "--extra-feedback", "rating:5.0", .. Out("same-export")]);
        Assert.True(same.Code == 0, same.Error);
    }

    [Fact]
    public void Resume_refuses_another_extra_feedback_and_takes_the_checkpoints_without_the_flag()
    {
        var refused = CliRunner.Run("train", "--data", _log, "--out", _run, "--resume", "--epochs", "2", "--extra-feedback", "rating:4");
        CliRunner.AssertOneLineFailure(refused, "--resume: --extra-feedback rating:4 contradicts the checkpoint, which was trained with --extra-feedback rating:5");
        var resumed = CliRunner.Run("train", "--data", _log, "--out", _run, "--resume", "--epochs", "2");
        Assert.True(resumed.Code == 0, resumed.Error);
        Assert.Contains("extra feedback: rating:5", resumed.Error);
    }

    [Fact]
    public void A_checkpoint_that_records_none_takes_the_flag_as_before()
    {
        // A run no strategy trained on D* records none, as an earlier build's checkpoint: the flag given is taken.
        var plain = Path.Combine(_root, "plain");
        var train = CliRunner.Run("train", "--data", _log, "--out", plain, "--epochs", "1", "--dim", "4", "--threads", "1", "--extra-feedback", "rating:5");
        Assert.True(train.Code == 0, train.Error);
        Assert.Null(Checkpoints.ReadHeader(Path.Combine(plain, Checkpoints.BestFileName)).Run.Settings.ExtraFeedback);
        var eval = CliRunner.Run("eval", "--checkpoint", Path.Combine(plain, Checkpoints.BestFileName), "--data", _log, "--extra-feedback", "rating:4");
        Assert.True(eval.Code == 0, eval.Error);
        Assert.Contains("extra feedback: rating:4", eval.Error);
    }
}
