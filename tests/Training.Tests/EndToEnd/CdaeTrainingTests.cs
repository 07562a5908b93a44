using InverseLearning.Training.Artifacts;
using Microsoft.ML.OnnxRuntime;

namespace InverseLearning.Training.Tests.EndToEnd;

/// <summary>CDAE on the tiny feed: every method and every extra-feedback strategy trains it, resume is exact, export scores as the trainer does.</summary>
public class CdaeTrainingTests : IClassFixture<TinyFeed>
{
    private readonly TinyFeed _feed;

    public CdaeTrainingTests(TinyFeed feed) => _feed = feed;

    private static TrainSettings Settings(string method, int epochs = 2) => new()
    {
        Model = "cdae", Method = method, Epochs = epochs, BatchSize = 256, LearningRate = 1e-2, Dim = 8, Threads = 1, Seed = 5,
    };

    public static TheoryData<string> Methods => new(Training.Methods.MethodRegistry.Names);

    [Theory]
    [MemberData(nameof(Methods))]
    public void Every_method_trains_cdae_and_exports_it(string method)
    {
        var outcome = TrainingRun.Execute(Settings(method), _feed.Data, _feed.Truth, _feed.Scratch($"cdae-{method}"));
        Assert.True(double.IsFinite(outcome.Test.Auc), $"{method}: test AUC {outcome.Test.Auc}");
        Assert.True(File.Exists(Path.Combine(outcome.OutputDirectory, InferenceModel.FileName)));
    }

    [Fact]
    public void Cdae_learns_better_than_chance()
    {
        var outcome = TrainingRun.Execute(Settings("ns", epochs: 5), _feed.Data, _feed.Truth, _feed.Scratch("cdae-learn"));
        Assert.True(outcome.CleanTest!.Auc > 0.55, $"clean test AUC {outcome.CleanTest.Auc:F3} is not above 0.55");
    }

    [Fact]
    public void Warmup_finetune_and_colliding_inference_run_with_cdae()
    {
        var settings = Settings("ig") with { WarmupEpochs = 1, FinetuneEpochs = 1, CollidingNeighbors = 3 };
        var outcome = TrainingRun.Execute(settings, _feed.Data, _feed.Truth, _feed.Scratch("cdae-strategies"));
        Assert.True(double.IsFinite(outcome.Test.Auc));
        Assert.True(File.Exists(Path.Combine(outcome.OutputDirectory, InferenceModel.FileName)));
    }

    [Theory]
    [InlineData("ns")]
    [InlineData("ig")]
    public void Resuming_reproduces_an_uninterrupted_run(string method)
    {
        var whole = TrainingRun.Execute(Settings(method, epochs: 3), _feed.Data, _feed.Truth, _feed.Scratch($"cdae-whole-{method}"));
        var dir = _feed.Scratch($"cdae-interrupted-{method}");
        TrainingRun.Execute(Settings(method, epochs: 2), _feed.Data, _feed.Truth, dir);
        var resumed = TrainingRun.Execute(Settings(method, epochs: 3), _feed.Data, _feed.Truth, dir, resumeFrom: Path.Combine(dir, "last.checkpoint"));
        Assert.Equal(whole.Test, resumed.Test);
        Assert.Equal(File.ReadAllBytes(Path.Combine(whole.OutputDirectory, "last.checkpoint")), File.ReadAllBytes(Path.Combine(dir, "last.checkpoint")));
    }

    [Fact]
    public void The_same_seed_gives_the_same_parameters_and_metrics()
    {
        var a = TrainingRun.Execute(Settings("ig"), _feed.Data, _feed.Truth, _feed.Scratch("cdae-seed-a"));
        var b = TrainingRun.Execute(Settings("ig"), _feed.Data, _feed.Truth, _feed.Scratch("cdae-seed-b"));
        Assert.Equal(a.Test, b.Test);
        Assert.Equal(File.ReadAllBytes(Path.Combine(a.OutputDirectory, "last.checkpoint")), File.ReadAllBytes(Path.Combine(b.OutputDirectory, "last.checkpoint")));
    }

    [Fact]
    public void Exported_model_scores_raw_ids_as_the_trainer_scored_them_and_unknown_users_get_the_reserved_row()
    {
        var outcome = TrainingRun.Execute(Settings("ns", epochs: 1), _feed.Data, _feed.Truth, _feed.Scratch("cdae-export"));
        var data = _feed.Data;
        var test = data.Test;
        var n = Math.Min(test.Count, 500);
        var users = new long[n + 1];
        var items = new long[n + 1];
        for (var r = 0; r < n; r++)
        {
            users[r] = data.Users.RawIds[test.Users[r]];
            items[r] = data.Items.RawIds[test.Items[r]];
        }
        users[n] = long.MinValue;     // an id no user has
        items[n] = items[0];
        using var session = new InferenceSession(Path.Combine(outcome.OutputDirectory, InferenceModel.FileName));
        using var u = OrtValue.CreateTensorValueFromMemory(users, [n + 1]);
        using var i = OrtValue.CreateTensorValueFromMemory(items, [n + 1]);
        using var results = session.Run(new RunOptions(), new Dictionary<string, OrtValue> { ["user_id"] = u, ["item_id"] = i }, ["score", "user_known"]);
        var exported = results[0].GetTensorDataAsSpan<float>().ToArray();
        Assert.False(results[1].GetTensorDataAsSpan<bool>()[n]);

        using var trainer = new Trainer(Settings("ns", epochs: 1), data);
        Checkpoint.Load(Path.Combine(outcome.OutputDirectory, "checkpoint"), trainer.Store);
        var logits = trainer.Logits(test);
        for (var r = 0; r < n; r++) Assert.Equal(1 / (1 + Math.Exp(-logits[r])), exported[r], 1e-5);
        var unknown = new float[1];
        trainer.Engine.Score([0], [test.Items[0]], unknown);
        Assert.Equal(1 / (1 + Math.Exp(-unknown[0])), exported[n], 1e-5);
    }
}
