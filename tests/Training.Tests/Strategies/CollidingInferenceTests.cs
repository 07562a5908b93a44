using InverseLearning.Data;
using InverseLearning.Training.Tests.Runner;
using InverseLearning.Training.Stages;
using InverseLearning.Training.Artifacts;
using InverseLearning.Training.Models;
using InverseLearning.Training.Optimizers;
using InverseLearning.Training.Runtime;
using InverseLearning.Training.Strategies;
using InverseLearning.Training.Tests.EndToEnd;
using Microsoft.ML.OnnxRuntime;

namespace InverseLearning.Training.Tests.Strategies;

/// <summary>Colliding inference (Eq. 8): neighbours by inner product, the blended score, tuning, and the exported graph.</summary>
public class CollidingInferenceTests : IClassFixture<TinyFeed>
{
    private readonly TinyFeed _feed;

    public CollidingInferenceTests(TinyFeed feed) => _feed = feed;

    /// <summary>GMF of width 2 over 6 users and 4 items with hand-set rows; w = (1, 1), b = 0.</summary>
    private static HostParameterStore Store()
    {
        var store = new HostParameterStore(new Gmf(2), userRows: 6, itemRows: 4, stateSlots: 2, seed: 1);
        float[] users = [0, 0, 1, 0, 0.9f, 0.1f, -1, 0, 0, 1, 0.7f, 0.7f];
        float[] items = [0, 0, 2, 1, -1, 0.5f, 0.3f, -2];
        users.CopyTo(store.Tables[0].Values, 0);
        items.CopyTo(store.Tables[1].Values, 0);
        store.Dense[0].Values.AsSpan().Fill(1f);
        return store;
    }

    [Fact]
    public void Neighbours_are_the_users_with_the_largest_inner_product_other_than_oneself()
    {
        var warmup = new WarmupUserEmbeddings();
        warmup.Capture(Store());
        var sparse = new[] { false, true, false, true, false, false };
        var colliding = CollidingInference.Build(warmup, sparse, Everyone, maxK: 3, k: 2, lambda: 0.5);
        // User 1 = (1, 0): products with users 2..5 are 0.9, −1, 0, 0.7.
        Assert.Equal([2, 5], colliding.NeighborsOf(1).ToArray());
        Assert.Equal([2, 5, 4], colliding.With(3, 0.5).NeighborsOf(1).ToArray());
        // User 3 = (−1, 0): users 4 (0), 2 (−0.9)... best first, itself excluded.
        Assert.Equal([4, 5], colliding.NeighborsOf(3).ToArray());
        // A user who is not sparse keeps its own score: λ = 1.
        Assert.Equal([1f, 0.5f, 1f, 0.5f, 1f, 1f], colliding.LambdaPerUser());
    }

    // Every user of the hand-set store has training rows.
    private static readonly bool[] Everyone = [false, true, true, true, true, true];

    [Fact]
    public void Users_without_training_rows_are_never_neighbours()
    {
        // A user with no training row keeps the embedding it was initialised with: user 2, the nearest to user 1, was a neighbour.
        var warmup = new WarmupUserEmbeddings();
        warmup.Capture(Store());
        var colliding = CollidingInference.Build(warmup, [false, true, false, true, false, false], [false, true, false, true, true, true], maxK: 3, k: 3, lambda: 0.5);
        // User 1 = (1, 0): products with users 3..5 are −1, 0, 0.7; user 2's 0.9 is left out.
        Assert.Equal([5, 4, 3], colliding.NeighborsOf(1).ToArray());
        Assert.Equal([4, 5, 1], colliding.NeighborsOf(3).ToArray());
        // K is bounded by the trained users less the user itself: 4 users with training rows give 3 others.
        Assert.Equal(3, CollidingInference.Build(warmup, [false, true, false, true, false, false], [false, true, false, true, true, true], maxK: 5, k: 5, lambda: 0.5).MaxK);
    }

    [Fact]
    public void A_sparse_users_score_is_lambda_times_its_own_plus_the_rest_times_its_neighbours_mean()
    {
        var store = Store();
        var warmup = new WarmupUserEmbeddings();
        warmup.Capture(store);
        var colliding = CollidingInference.Build(warmup, [false, true, false, false, false, false], Everyone, maxK: 2, k: 2, lambda: 0.3);
        using var engine = new TrainingEngine(store, new Adam(), new ExecutionDevice("cpu", 1), maxRows: 8);
        int[] users = [1, 2, 1];
        int[] items = [1, 1, 3];
        var logits = new float[3];
        engine.Score(users, items, logits);
        var plain = logits.ToArray();
        colliding.Apply(engine, users, items, logits);

        double Sigmoid(double s) => 1 / (1 + Math.Exp(-s));
        double Gmf(int u, int i) => Enumerable.Range(0, 2).Sum(k => store.Tables[0].Values[u * 2 + k] * (double)store.Tables[1].Values[i * 2 + k]);
        foreach (var r in new[] { 0, 2 })
        {
            var expected = 0.3 * Sigmoid(Gmf(1, items[r])) + 0.7 * (Sigmoid(Gmf(2, items[r])) + Sigmoid(Gmf(5, items[r]))) / 2;
            Assert.Equal(expected, Sigmoid(logits[r]), 5);
        }
        Assert.Equal(plain[1], logits[1]);      // user 2 is not sparse
    }

    [Fact]
    public void Warm_up_embeddings_are_the_user_tables_when_warm_up_ends_and_survive_a_checkpoint()
    {
        var settings = new TrainSettings { Model = "neumf", Method = "ns", Epochs = 1, BatchSize = 256, Dim = 4, Threads = 1, Seed = 2 }
            .WithOption(TowerOptions.Layers, 1).WithOption(Warmup.Epochs, 1).WithOption(Colliding.Neighbors, 3);
        var atEpochEnd = new AtEpochEnd();
        using var trainer = new Trainer(settings, _feed.Data, atEpochEnd);
        float[]? userTables = null;
        atEpochEnd.Then = epoch =>
        {
            if (epoch == 1) userTables = UserTables(trainer).Select(t => t.Values.ToArray()).Aggregate(Interleave(trainer));
        };
        var dir = _feed.Scratch("colliding-checkpoint");
        trainer.Run(dir);
        Assert.Equal(userTables, Colliding.Embeddings(trainer)!.Rows);

        using var reloaded = new Trainer(settings, _feed.Data);
        reloaded.Load(Path.Combine(dir, "checkpoint"));
        Assert.Equal(Colliding.Embeddings(trainer)!.Rows, Colliding.Embeddings(reloaded)!.Rows);
    }

    private static IEnumerable<ParameterBuffer> UserTables(Trainer trainer) =>
        ((HostParameterStore)trainer.Store).All.Where((_, k) => trainer.Store.Parameters[k].Side == TableSide.User);

    // Concatenates per user the rows of the user tables (NeuMF: GMF then MLP), as the warm-up embeddings hold them.
    private static Func<float[], float[], float[]> Interleave(Trainer trainer)
    {
        var widths = UserTables(trainer).Select(t => t.RowWidth).ToArray();
        return (a, b) =>
        {
            var users = b.Length / widths[1];
            var result = new float[a.Length + b.Length];
            for (var u = 0; u < users; u++)
            {
                a.AsSpan(u * widths[0], widths[0]).CopyTo(result.AsSpan(u * (widths[0] + widths[1])));
                b.AsSpan(u * widths[1], widths[1]).CopyTo(result.AsSpan(u * (widths[0] + widths[1]) + widths[0]));
            }
            return result;
        };
    }

    [Fact]
    public void Tuning_picks_from_the_papers_grid_and_never_does_worse_on_validation_than_no_colliding()
    {
        var settings = new TrainSettings { Model = "gmf", Method = "ns", Epochs = 2, BatchSize = 256, Dim = 8, LearningRate = 1e-2, Threads = 1, Seed = 2 }
            .WithOption(Warmup.Epochs, 1).WithOption(Colliding.Neighbors, 20).WithOption(Colliding.Tune, 1).WithOption(Colliding.MaxRatio, 0.5);
        using var trainer = new Trainer(settings, _feed.Data);
        trainer.Run();
        var report = (Dictionary<string, object?>)EvaluateStage.AfterTraining(trainer)["colliding"]!;
        var colliding = (CollidingInference)trainer.Scorer.Rewrite!;
        Assert.Contains(colliding.K, CollidingInference.KGrid);
        Assert.Contains(colliding.Lambda, CollidingInference.LambdaGrid);
        Assert.True((double)report["valid_auc"]! >= (double)report["valid_auc_without"]!);
        Assert.True(colliding.SparseUserCount > 0);
        // The reported validation AUC is the one the chosen blend gets.
        Assert.Equal((double)report["valid_auc"]!, trainer.Scorer.Evaluate(trainer.Validation).Auc, 6);
    }

    [Fact]
    public void Colliding_reports_its_table_as_set_and_takes_every_other_user_as_neighbours()
    {
        var settings = new TrainSettings { Model = "gmf", Method = "ns", Epochs = 1, BatchSize = 256, Dim = 8, LearningRate = 1e-2, Threads = 1, Seed = 2 }
            .WithOption(Warmup.Epochs, 1).WithOption(Colliding.Neighbors, 5).WithOption(Colliding.Lambda, 0.2).WithOption(Colliding.MaxRatio, 0.5);
        using var trainer = new Trainer(settings, _feed.Data);
        trainer.Run();
        var plainTest = trainer.Scorer.Evaluate(_feed.Data.Test);
        var reports = EvaluateStage.AfterTraining(trainer);
        var report = (Dictionary<string, object?>)reports["colliding"]!;
        var colliding = (CollidingInference)trainer.Scorer.Rewrite!;
        Assert.Equal((5, 0.2), (colliding.K, colliding.Lambda));
        Assert.Equal([("lambda", 0.2), ("max_ratio", 0.5), ("neighbors", 5.0), ("sparse_users", (double)colliding.SparseUserCount)],
            report.Select(e => (e.Key, Convert.ToDouble(e.Value))).Order());
        Assert.Equal(plainTest, reports["test_without_colliding"]);

        // Every other user may be a neighbour (more are refused before training: ExtraFeedbackStrategiesTests).
        var others = _feed.Data.Users.Count - 2;
        using var fits = new Trainer(settings.WithOption(Colliding.Neighbors, others), _feed.Data);
        fits.Run();
        EvaluateStage.AfterTraining(fits);
        Assert.Equal(others, ((CollidingInference)fits.Scorer.Rewrite!).K);
    }

    [Fact]
    public void The_exported_model_computes_the_colliding_score_itself()
    {
        var settings = new TrainSettings { Model = "gmf", Method = "ns", Epochs = 1, BatchSize = 256, Dim = 8, LearningRate = 1e-2, Threads = 1, Seed = 2 }
            .WithOption(Warmup.Epochs, 1).WithOption(Colliding.Neighbors, 5).WithOption(Colliding.Lambda, 0.2).WithOption(Colliding.MaxRatio, 0.5);
        var outcome = TrainingRun.Execute(settings, _feed.Data, _feed.Truth, _feed.Scratch("colliding-export"));
        using var trainer = new Trainer(settings, _feed.Data);
        trainer.Load(Path.Combine(outcome.OutputDirectory, "checkpoint"));
        EvaluateStage.AfterTraining(trainer);
        var colliding = (CollidingInference)trainer.Scorer.Rewrite!;

        var test = _feed.Data.Test;
        var n = Math.Min(test.Count, 400);
        var users = test.Users[..n].Select(u => _feed.Data.Users.RawIds[u]).ToArray();
        var items = test.Items[..n].Select(i => _feed.Data.Items.RawIds[i]).ToArray();
        using var session = new InferenceSession(Path.Combine(outcome.OutputDirectory, InferenceModel.FileName));
        using var u = OrtValue.CreateTensorValueFromMemory(users, [n]);
        using var i = OrtValue.CreateTensorValueFromMemory(items, [n]);
        using var results = session.Run(new RunOptions(), new Dictionary<string, OrtValue> { ["user_id"] = u, ["item_id"] = i }, ["score"]);
        var exported = results[0].GetTensorDataAsSpan<float>().ToArray();

        var logits = trainer.Scorer.Logits(test);
        var plain = new float[n];
        trainer.Engine.Score(test.Users.AsSpan(0, n), test.Items.AsSpan(0, n), plain);
        var changed = 0;
        for (var r = 0; r < n; r++)
        {
            Assert.True(Math.Abs(1 / (1 + Math.Exp(-logits[r])) - exported[r]) < 1e-5, $"row {r}: trainer {1 / (1 + Math.Exp(-logits[r]))}, exported {exported[r]}");
            if (colliding.Sparse[test.Users[r]] && Math.Abs(logits[r] - plain[r]) > 1e-4) changed++;
        }
        Assert.True(changed > 0, "no sparse user's score changed: the test would not see colliding inference missing");
    }

    [Fact]
    public void A_user_is_sparse_when_its_extra_to_implicit_ratio_is_defined_and_strictly_below_the_bound()
    {
        // Training positives and likes: user 1 has 4 and 1 (ratio 0.25), user 2 has 2 and 2 (1.0),
        // user 3 has 2 and none (0), user 4 only a negative (no positive: the ratio is undefined).
        var log = new InteractionLog(9)
        {
            Rating = new NullableColumn<float>([5, 5, 5, 5, 4, 4, 5, 4, 1], Enumerable.Repeat(true, 9).ToArray()),
            Like = new NullableColumn<bool>([true, false, false, false, true, true, false, false, false], Enumerable.Repeat(true, 9).ToArray()),
            Split = Enumerable.Repeat(SplitTag.Train, 9).ToArray(),
        };
        long[] users = [1, 1, 1, 1, 2, 2, 3, 3, 4];
        users.CopyTo(log.UserId, 0);
        for (var r = 0; r < 9; r++) log.ItemId[r] = r;
        var data = PreparedDataset.Prepare(log, new LabelingOptions(LabelRule.Rating), new SplitOptions(TrainTestShare: 0));
        bool[] SparseAmong(double maxRatio)
        {
            var sparse = CollidingInference.SparseUsers(data, maxRatio);
            return [.. new long[] { 1, 2, 3, 4 }.Select(user => sparse[data.Users.IndexOf(user)])];
        }

        Assert.Equal([true, false, true, false], SparseAmong(1.0));     // 1.0 is not below 1.0
        Assert.Equal([false, false, true, false], SparseAmong(0.25));
        Assert.Equal([true, true, true, false], SparseAmong(1.5));      // an undefined ratio never counts as sparse
    }
}
