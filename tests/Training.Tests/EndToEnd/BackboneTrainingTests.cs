using InverseLearning.Training.Strategies;
using InverseLearning.Training.Artifacts;
using Microsoft.ML.OnnxRuntime;

namespace InverseLearning.Training.Tests.EndToEnd;

/// <summary>
/// The backbones that derive what they score from (CDAE's history, LightGCN's graph) on the
/// tiny feed: every method and every extra-feedback strategy trains them, resume is exact,
/// export scores as the trainer does, full ranking runs.
/// </summary>
public class BackboneTrainingTests : IClassFixture<TinyFeed>
{
    private readonly TinyFeed _feed;

    public BackboneTrainingTests(TinyFeed feed) => _feed = feed;

    private static TrainSettings Settings(string model, string method, int epochs = 2) => new()
    {
        Model = model, Method = method, Epochs = epochs, BatchSize = 256, LearningRate = 1e-2, Dim = 8, Threads = 1, Seed = 5,
    };

    private static readonly string[] Backbones = ["cdae", "lightgcn"];

    public static TheoryData<string> Models => new(Backbones);

    public static TheoryData<string, string> ModelsAndMethods => Pairs(Training.Methods.MethodRegistry.Names);

    public static TheoryData<string, string> ModelsAndResumedMethods => Pairs(["ns", "ig"]);

    private static TheoryData<string, string> Pairs(IReadOnlyList<string> methods)
    {
        var data = new TheoryData<string, string>();
        foreach (var model in Backbones)
            foreach (var method in methods) data.Add(model, method);
        return data;
    }

    [Theory]
    [MemberData(nameof(ModelsAndMethods))]
    public void Every_method_trains_the_backbone_and_exports_it(string model, string method)
    {
        var outcome = TrainingRun.Execute(Settings(model, method), _feed.Data, _feed.Truth, _feed.Scratch($"{model}-{method}"));
        Assert.True(double.IsFinite(outcome.Test.Auc), $"{model} {method}: test AUC {outcome.Test.Auc}");
        Assert.True(File.Exists(Path.Combine(outcome.OutputDirectory, InferenceModel.FileName)));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void The_backbone_learns_better_than_chance(string model)
    {
        var outcome = TrainingRun.Execute(Settings(model, "ns", epochs: 5), _feed.Data, _feed.Truth, _feed.Scratch($"{model}-learn"));
        Assert.True(outcome.CleanTest!.Auc > 0.55, $"{model}: clean test AUC {outcome.CleanTest.Auc:F3} is not above 0.55");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Warmup_finetune_colliding_inference_and_full_ranking_run_with_the_backbone(string model)
    {
        var settings = (Settings(model, "ig") with { FullRankingTopK = [5, 20] })
            .WithOption(Warmup.Epochs, 1).WithOption(Finetune.Epochs, 1).WithOption(Colliding.Neighbors, 3);
        var outcome = TrainingRun.Execute(settings, _feed.Data, _feed.Truth, _feed.Scratch($"{model}-strategies"));
        Assert.True(double.IsFinite(outcome.Test.Auc));
        Assert.InRange(outcome.FullRanking!.RecallAt(20), 1e-6, 1);
        Assert.True(File.Exists(Path.Combine(outcome.OutputDirectory, InferenceModel.FileName)));
    }

    [Theory]
    [MemberData(nameof(ModelsAndResumedMethods))]
    public void Resuming_reproduces_an_uninterrupted_run(string model, string method)
    {
        var whole = TrainingRun.Execute(Settings(model, method, epochs: 3), _feed.Data, _feed.Truth, _feed.Scratch($"{model}-whole-{method}"));
        var dir = _feed.Scratch($"{model}-interrupted-{method}");
        TrainingRun.Execute(Settings(model, method, epochs: 2), _feed.Data, _feed.Truth, dir);
        var resumed = TrainingRun.Execute(Settings(model, method, epochs: 3), _feed.Data, _feed.Truth, dir, resumeFrom: Path.Combine(dir, "last.checkpoint"));
        Assert.Equal(whole.Test, resumed.Test);
        Assert.Equal(File.ReadAllBytes(Path.Combine(whole.OutputDirectory, "last.checkpoint")), File.ReadAllBytes(Path.Combine(dir, "last.checkpoint")));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void The_same_seed_gives_the_same_parameters_and_metrics(string model)
    {
        var a = TrainingRun.Execute(Settings(model, "ig"), _feed.Data, _feed.Truth, _feed.Scratch($"{model}-seed-a"));
        var b = TrainingRun.Execute(Settings(model, "ig"), _feed.Data, _feed.Truth, _feed.Scratch($"{model}-seed-b"));
        Assert.Equal(a.Test, b.Test);
        Assert.Equal(File.ReadAllBytes(Path.Combine(a.OutputDirectory, "last.checkpoint")), File.ReadAllBytes(Path.Combine(b.OutputDirectory, "last.checkpoint")));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Exported_model_scores_raw_ids_as_the_trainer_scored_them_and_unknown_users_get_the_reserved_row(string model)
    {
        var outcome = TrainingRun.Execute(Settings(model, "ns", epochs: 1), _feed.Data, _feed.Truth, _feed.Scratch($"{model}-export"));
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

        using var trainer = new Trainer(Settings(model, "ns", epochs: 1), data);
        Checkpoint.Load(Path.Combine(outcome.OutputDirectory, "checkpoint"), trainer.Store);
        var logits = trainer.Scorer.Logits(test);
        for (var r = 0; r < n; r++) Assert.Equal(1 / (1 + Math.Exp(-logits[r])), exported[r], 1e-5);
        var unknown = new float[1];
        trainer.Engine.Score([0], [test.Items[0]], unknown);
        Assert.Equal(1 / (1 + Math.Exp(-unknown[0])), exported[n], 1e-5);
    }
}
