using InverseLearning.Training.Models;
using InverseLearning.Data;
using InverseLearning.Data.Simulation;
using InverseLearning.Training.Artifacts;
using InverseLearning.Training.Reports;
using InverseLearning.Serving.Models.Contract;
using Microsoft.ML.OnnxRuntime;

namespace InverseLearning.Training.Tests.EndToEnd;

/// <summary>Whole runs on the simulator's tiny preset: learning happens, runs repeat exactly, resume is exact, export agrees.</summary>
public class TrainerTests : IClassFixture<TinyFeed>
{
    private readonly TinyFeed _feed;

    public TrainerTests(TinyFeed feed) => _feed = feed;

    private static TrainSettings Settings(string method, string model = "gmf", int epochs = 5) => new TrainSettings
    {
        Model = model, Method = method, Epochs = epochs, BatchSize = 256, LearningRate = 1e-2, Dim = 8, Threads = 1, Seed = 5,
    }.WithOption(TowerOptions.Layers, 2);

    [Theory]
    [InlineData("none")]
    [InlineData("ns")]
    [InlineData("tce")]
    [InlineData("rce")]
    [InlineData("dns")]
    [InlineData("srns")]
    [InlineData("cw")]
    [InlineData("idl")]
    [InlineData("ig")]
    public void Every_method_learns_better_than_chance(string method)
    {
        var outcome = TrainingRun.Execute(Settings(method), _feed.Data, _feed.Truth, _feed.Scratch($"learn-{method}"));
        Assert.True(outcome.CleanTest!.Auc > 0.55, $"{method}: clean test AUC {outcome.CleanTest.Auc:F3} is not above 0.55");
        Assert.True(File.Exists(Path.Combine(outcome.OutputDirectory, MetricsJson.FileName)));
    }

    [Theory]
    [InlineData("neumf")]
    [InlineData("mlp")]
    public void Deeper_models_train_with_dropout_and_export(string model)
    {
        var settings = Settings("ig", model, epochs: 2) .WithOption(TowerOptions.Dropout, 0.2);
        var outcome = TrainingRun.Execute(settings, _feed.Data, _feed.Truth, _feed.Scratch($"model-{model}"));
        Assert.True(double.IsFinite(outcome.Test.Auc));
        Assert.True(File.Exists(Path.Combine(outcome.OutputDirectory, InferenceModel.FileName)));
    }

    [Fact]
    public void Same_seed_same_numbers()
    {
        var first = TrainingRun.Execute(Settings("ig"), _feed.Data, _feed.Truth, _feed.Scratch("repeat-a"));
        var second = TrainingRun.Execute(Settings("ig"), _feed.Data, _feed.Truth, _feed.Scratch("repeat-b"));
        Assert.Equal(first.Test, second.Test);
        Assert.Equal(File.ReadAllText(Path.Combine(first.OutputDirectory, ConvergenceLog.FileName)),
            File.ReadAllText(Path.Combine(second.OutputDirectory, ConvergenceLog.FileName)));
    }

    public static TheoryData<string> Methods => new(Training.Methods.MethodRegistry.Names);

    [Theory]
    [InlineData("dns")]
    [InlineData("ig")]
    [InlineData("cw")]
    public void Resuming_from_a_checkpoint_inside_an_epoch_reproduces_an_uninterrupted_run(string method)
    {
        Runner.StopAfterBatches.AssertResumeIsExact(Settings(method, epochs: 2) with { CheckpointEvery = 5 }, _feed.Data, _feed.Truth,
            _feed.Scratch($"mid-whole-{method}"), _feed.Scratch($"mid-interrupted-{method}"), epoch: 2, batches: 32);
    }

    /// <summary>
    /// The first epoch of a phase that starts with a fresh optimizer (the method's after warm-up, fine-tuning's) and its own
    /// selection, stopped inside: the resume goes on with the optimizer state and best value the checkpoint holds, not afresh.
    /// </summary>
    [Theory]
    [InlineData(2, 256)]
    [InlineData(3, 8)]
    public void Resuming_inside_the_first_epoch_of_a_phase_with_a_fresh_optimizer_reproduces_an_uninterrupted_run(int stoppedEpoch, int batchSize)
    {
        // Fine-tuning reads the likes alone: small batches give its epoch the 16 a stop is reported after.
        var settings = (Settings("ns", epochs: 1) with { CheckpointEvery = 5, EvalEvery = 5, BatchSize = batchSize })
            .WithOption(Training.Strategies.Warmup.Epochs, 1).WithOption(Training.Strategies.Finetune.Epochs, 1);
        Runner.StopAfterBatches.AssertResumeIsExact(settings, _feed.Data, _feed.Truth,
            _feed.Scratch($"fresh-whole-{stoppedEpoch}"), _feed.Scratch($"fresh-interrupted-{stoppedEpoch}"), epoch: stoppedEpoch, batches: 16);
    }

    [Fact]
    public void A_mid_epoch_checkpoint_records_where_in_the_epoch_it_was_taken()
    {
        var dir = _feed.Scratch("mid-position");
        Runner.StopAfterBatches.Interrupt(Settings("ig", epochs: 2) with { CheckpointEvery = 10 }, _feed.Data, _feed.Truth, dir, epoch: 1, batches: 16);
        var run = Checkpoint.ReadHeader(Path.Combine(dir, "last.checkpoint")).Run;
        Assert.Equal(0, run.EpochsDone);
        Assert.Equal(10, run.Iterations);
        Assert.Equal(new EpochPosition(0, 10, run.Position!.Loss, 10), run.Position);
        Assert.True(run.Position.Loss > 0);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Resuming_from_the_last_checkpoint_reproduces_an_uninterrupted_run(string method)
    {
        var whole = TrainingRun.Execute(Settings(method, epochs: 3), _feed.Data, _feed.Truth, _feed.Scratch($"whole-{method}"));
        var dir = _feed.Scratch($"interrupted-{method}");
        TrainingRun.Execute(Settings(method, epochs: 2), _feed.Data, _feed.Truth, dir);
        var resumed = TrainingRun.Execute(Settings(method, epochs: 3), _feed.Data, _feed.Truth, dir, resumeFrom: Path.Combine(dir, "last.checkpoint"));
        Assert.Equal(whole.Test, resumed.Test);
        if (method == "ig")
            Assert.Equal(File.ReadAllText(Path.Combine(whole.OutputDirectory, ConvergenceLog.FileName)), File.ReadAllText(Path.Combine(dir, ConvergenceLog.FileName)));
        // The last epoch's parameters, optimizer state and run state, byte for byte.
        Assert.Equal(File.ReadAllBytes(Path.Combine(whole.OutputDirectory, "last.checkpoint")), File.ReadAllBytes(Path.Combine(dir, "last.checkpoint")));
    }

    [Fact]
    public void Exported_model_scores_raw_ids_as_the_trainer_scored_them()
    {
        var outcome = TrainingRun.Execute(Settings("ns", epochs: 1), _feed.Data, _feed.Truth, _feed.Scratch("export"));
        var data = _feed.Data;
        var test = data.Test;
        var n = Math.Min(test.Count, 500);
        var users = new long[n];
        var items = new long[n];
        for (var r = 0; r < n; r++)
        {
            users[r] = data.Users.RawIds[test.Users[r]];
            items[r] = data.Items.RawIds[test.Items[r]];
        }
        using var session = new InferenceSession(Path.Combine(outcome.OutputDirectory, InferenceModel.FileName));
        using var u = OrtValue.CreateTensorValueFromMemory(users, [n]);
        using var i = OrtValue.CreateTensorValueFromMemory(items, [n]);
        using var results = session.Run(new RunOptions(), new Dictionary<string, OrtValue> { ["user_id"] = u, ["item_id"] = i }, ["score"]);
        var exported = results[0].GetTensorDataAsSpan<float>().ToArray();

        using var trainer = new Trainer(Settings("ns", epochs: 1), data);
        Checkpoint.Load(Path.Combine(outcome.OutputDirectory, "checkpoint"), trainer.Store);
        var logits = trainer.Scorer.Logits(test);
        for (var r = 0; r < n; r++) Assert.Equal(1 / (1 + Math.Exp(-logits[r])), exported[r], 1e-5); // a tolerance, not rounding to 5 places, which fails on values that straddle a rounding edge
        Assert.Equal("ns", session.ModelMetadata.CustomMetadataMap["method"]);
    }

    [Fact]
    public async Task Export_stamps_the_model_and_its_seen_list_alike_so_the_server_can_tell_them_apart_from_another_exports()
    {
        var outcome = TrainingRun.Execute(Settings("ns", epochs: 1), _feed.Data, _feed.Truth, _feed.Scratch("stamp"));

        using var session = new InferenceSession(Path.Combine(outcome.OutputDirectory, InferenceModel.FileName));
        await using var seen = File.OpenRead(Path.Combine(outcome.OutputDirectory, InferenceModel.SeenFileName));
        await using var footer = await Parquet.ParquetReader.CreateAsync(seen);

        var stamp = Assert.Contains(ExportStamp.Key, session.ModelMetadata.CustomMetadataMap);
        Assert.Equal(32, stamp.Length);
        Assert.Equal(stamp, footer.CustomMetadata[ExportStamp.Key]);
    }

    [Fact]
    public void A_checkpoint_for_another_model_is_refused_with_a_clear_message()
    {
        var outcome = TrainingRun.Execute(Settings("ns", epochs: 1), _feed.Data, _feed.Truth, _feed.Scratch("mismatch"));
        using var trainer = new Trainer(Settings("ns", "neumf", epochs: 1), _feed.Data);
        var error = Assert.Throws<CheckpointException>(() => Checkpoint.Load(Path.Combine(outcome.OutputDirectory, "checkpoint"), trainer.Store));
        Assert.Contains("checkpoint", error.Message);
        Assert.Contains("expects", error.Message);
    }
}

/// <summary>
/// A small simulated feed, prepared once for all the tests of a class: the tiny preset's
/// scale with more impressions per user and item and fewer latent factors, so that a
/// few epochs have something learnable.
/// </summary>
public sealed class TinyFeed : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "il-tests-" + Guid.NewGuid().ToString("N"));

    public TinyFeed()
    {
        var options = SimulatorPresets.Get("tiny") with { Users = 300, Items = 600, Impressions = 40_000, Factors = 4, UserActivitySigma = 0.3 };
        var simulation = FeedSimulator.Run(options, seed: 3);
        Truth = simulation.Truth;
        Log = simulation.Log;
        Data = PreparedDataset.Prepare(simulation.Log, new LabelingOptions(LabelRule.FinishRate), new SplitOptions(Seed: 3));
    }

    public InteractionLog Log { get; }
    public PreparedDataset Data { get; }
    public GroundTruth Truth { get; }

    public string Scratch(string name) => Directory.CreateDirectory(Path.Combine(_root, name)).FullName;

    /// <summary><see cref="Data"/> prepared from a copy of the log with every like flipped: the same labeled rows, other extra feedback.</summary>
    public PreparedDataset WithLikesFlipped()
    {
        var copy = new InteractionLog(Log.Count) { PlayTimeMs = Log.PlayTimeMs, DurationMs = Log.DurationMs, Rating = Log.Rating, Hate = Log.Hate, TimestampMs = Log.TimestampMs,
            Split = Log.Split };
        Log.UserId.CopyTo(copy.UserId, 0);
        Log.ItemId.CopyTo(copy.ItemId, 0);
        var likes = Log.Like!;
        copy.Like = new NullableColumn<bool>([.. likes.Values.Select(like => !like)], likes.HasValue);
        return PreparedDataset.Prepare(copy, new LabelingOptions(LabelRule.FinishRate), new SplitOptions(Seed: 3));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }
}
