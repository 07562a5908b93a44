using InverseLearning.Training.Strategies;
using InverseLearning.Training.Tests.Runner;
using InverseLearning.Data;
using InverseLearning.Training.Methods;
using InverseLearning.Training.Tests.EndToEnd;

namespace InverseLearning.Training.Tests.Strategies;

/// <summary>Warm-up and finetune on extra feedback: what each phase trains on, where the method starts, which epoch is kept.</summary>
public class ExtraFeedbackStrategiesTests : IClassFixture<TinyFeed>
{
    private readonly TinyFeed _feed;

    public ExtraFeedbackStrategiesTests(TinyFeed feed) => _feed = feed;

    private static TrainSettings Settings(string method) => new()
    {
        Model = "gmf", Method = method, Epochs = 1, BatchSize = 256, LearningRate = 1e-2, Dim = 8, Threads = 1, Seed = 5,
    };

    [Fact]
    public void The_plan_is_warm_up_then_the_method_with_a_fresh_optimizer_then_finetune()
    {
        using var trainer = new Trainer(Settings("tce").WithOption(Warmup.Epochs, 2).WithOption(Finetune.Epochs, 3), _feed.Data);
        var phases = trainer.Plan.Phases;
        Assert.Equal(["warm-up", "tce", "finetune"], phases.Select(p => p.Name));
        var (warmup, method, finetune) = (phases[0], phases[1], phases[2]);
        Assert.Equal(2, warmup.Schedule.Epochs);
        Assert.False(warmup.Schedule.CompetesForBest);
        Assert.Same(_feed.Data.Extra.Train, warmup.Passes.Single().Data.Rows(_feed.Data));
        Assert.Equal(1, warmup.Passes.Single().Data.UnlabeledPerRow);
        Assert.True(method.Schedule.ResetOptimizer);
        Assert.Equal(3, finetune.Schedule.Epochs);
        Assert.True(finetune.Schedule.ResetOptimizer && finetune.Schedule.RestartsSelection);
        Assert.Same(_feed.Data.Extra.Train, finetune.Passes.Single().Data.Rows(_feed.Data));
        // Warm-up and finetune streams differ from the method's and from each other.
        Assert.Equal(3, phases.SelectMany(p => p.Passes).Select(p => p.Data.Stream).Distinct().Count());
    }

    [Fact]
    public void Warm_up_trains_on_extra_feedback_only_and_the_method_starts_with_a_fresh_optimizer()
    {
        var extra = _feed.Data.Extra.Train.Count;
        Assert.True(extra > 0, "the tiny feed should carry likes");
        var atEpochEnd = new AtEpochEnd();
        using var trainer = new Trainer(Settings("none").WithOption(Warmup.Epochs, 1), _feed.Data, atEpochEnd);
        long rowsAfterWarmup = -1, stepAfterWarmup = -1;
        atEpochEnd.Then = epoch => { if (epoch == 1) (rowsAfterWarmup, stepAfterWarmup) = (trainer.RowsTrained, trainer.Store.Step); };
        trainer.Run();
        Assert.Equal(extra, rowsAfterWarmup);
        Assert.Equal((extra + 255) / 256, stepAfterWarmup);
        // The optimizer was reset when the method began: its count is the method's steps alone.
        Assert.Equal((_feed.Data.Train.Count + 255) / 256, trainer.Store.Step);
        Assert.Equal(2, trainer.EpochsDone);
        Assert.Equal(2, trainer.BestEpoch);     // warm-up epochs never compete
    }

    [Fact]
    public void Finetune_keeps_its_own_best_epoch_even_when_the_method_validated_better()
    {
        var atEpochEnd = new AtEpochEnd();
        using var trainer = new Trainer((Settings("ns") with { Epochs = 2, LearningRate = 0.5 }).WithOption(Finetune.Epochs, 1), _feed.Data, atEpochEnd);
        var losses = new List<double>();
        atEpochEnd.Then = _ => losses.Add(trainer.Scorer.LogLoss(trainer.Validation));
        trainer.Run();
        Assert.Equal(3, trainer.BestEpoch);
        Assert.Equal(losses[2], trainer.BestValue, 9);
    }

    [Theory]
    [InlineData("auc")]
    [InlineData("recall@20")]
    public void Finetune_chooses_among_its_own_validations_by_any_selection_metric(string selectBy)
    {
        var atEpochEnd = new AtEpochEnd();
        using var trainer = new Trainer((Settings("ns") with { Epochs = 2, LearningRate = 0.5, SelectBy = selectBy }).WithOption(Finetune.Epochs, 1), _feed.Data, atEpochEnd);
        var values = new List<double>();
        atEpochEnd.Then = _ => values.Add(trainer.Selection.Measure(trainer));
        trainer.Run();
        // Finetune's one epoch is the best whatever the method's epochs scored: selection restarted at the metric's worst.
        Assert.Equal(3, trainer.BestEpoch);
        Assert.Equal(values[2], trainer.BestValue, 9);
    }

    [Fact]
    public void Colliding_inference_counts_and_draws_neighbours_among_users_with_training_rows_only()
    {
        // Under a split by time a user whose rows all fall in validation or test is in the vocabulary with no training row: K was
        // allowed up to the vocabulary's users less one, and such users were neighbours with the embeddings they were initialised with.
        var log = _feed.Log;
        var heldOut = log.UserId.Distinct().Order().Take(40).ToHashSet();
        log.Split = Enumerable.Range(0, log.Count).Select(r => heldOut.Contains(log.UserId[r]) ? SplitTag.Test : (SplitTag)(1 + r % 3)).ToArray();
        PreparedDataset data;
        try
        {
            data = PreparedDataset.Prepare(log, new LabelingOptions(LabelRule.FinishRate), new SplitOptions(Seed: 3));
        }
        finally
        {
            log.Split = null;
        }
        var trained = Colliding.TrainedUsers(data);
        var withRows = trained.Count(t => t);
        Assert.True(withRows < data.Users.Count - 1, "every user of the vocabulary has training rows: the test proves nothing");
        var settings = Settings("ns").WithOption(Warmup.Epochs, 1).WithOption(Colliding.MaxRatio, 1e9);
        var refused = Assert.Throws<ArgumentException>(() => new Trainer(settings.WithOption(Colliding.Neighbors, withRows), data)).Message;
        Assert.Contains($"--colliding-neighbors must be at most {withRows - 1} on this log: each of its {withRows} users with training rows", refused);

        using var most = new Trainer(settings.WithOption(Colliding.Neighbors, withRows - 1), data);
        most.Run();
        InverseLearning.Training.Stages.EvaluateStage.AfterTraining(most);
        var table = Assert.IsType<CollidingInference>(most.Scorer.Rewrite);
        Assert.Equal(withRows - 1, table.K);
        var sparse = Enumerable.Range(1, table.Users - 1).Where(u => table.Sparse[u]).ToList();
        Assert.NotEmpty(sparse);
        Assert.All(sparse, u => Assert.All(table.NeighborsOf(u).ToArray(), v => Assert.True(trained[v], $"user {u}'s neighbour {v} has no training row")));
    }

    [Fact]
    public void A_strategy_on_a_log_without_extra_feedback_is_refused_naming_the_flag()
    {
        var log = _feed.Log;
        var likes = log.Like;
        log.Like = null;
        var data = PreparedDataset.Prepare(log, new LabelingOptions(LabelRule.FinishRate), new SplitOptions(Seed: 3));
        log.Like = likes;
        var error = Assert.Throws<DataException>(() => new Trainer(Settings("ns").WithOption(Warmup.Epochs, 1), data));
        Assert.Contains("--warmup-epochs", error.Message);
        Assert.Contains("like", error.Message);
        Assert.Contains("--finetune-epochs", Assert.Throws<DataException>(() => new Trainer(Settings("ns").WithOption(Finetune.Epochs, 1), data)).Message);
    }

    [Fact]
    public void The_trainer_keeps_warm_up_embeddings_only_when_colliding_inference_will_use_them()
    {
        using var plain = new Trainer(Settings("ns").WithOption(Warmup.Epochs, 1), _feed.Data);
        Assert.Null(Colliding.Embeddings(plain));
        using var colliding = new Trainer(Settings("ns").WithOption(Warmup.Epochs, 1).WithOption(Colliding.Neighbors, 1), _feed.Data);
        Assert.NotNull(Colliding.Embeddings(colliding));
        Assert.Same(Colliding.Embeddings(colliding), colliding.Plan.Phases[0].OnCompleted);
    }

    [Fact]
    public void Colliding_inference_asking_more_neighbours_than_the_log_has_is_refused_before_training_naming_the_most_allowed()
    {
        // It trained every epoch and only then failed, leaving checkpoints without metrics or a model.
        var others = Colliding.TrainedUsers(_feed.Data).Count(trained => trained) - 1;    // no user is its own neighbour
        var settings = Settings("ns").WithOption(Warmup.Epochs, 1).WithOption(Colliding.Neighbors, others + 1);
        Assert.Contains($"--colliding-neighbors must be at most {others} on this log", Assert.Throws<ArgumentException>(() => new Trainer(settings, _feed.Data)).Message);
        var tuned = Assert.Throws<ArgumentException>(() => new Trainer(settings.WithOption(Colliding.Tune, 1), _feed.Data)).Message;
        Assert.Contains($"--colliding-neighbors (the largest K --colliding-tune tries) must be at most {others} on this log", tuned);
        using var most = new Trainer(settings.WithOption(Colliding.Neighbors, others), _feed.Data);
        Assert.NotNull(Colliding.Embeddings(most));
    }

    [Fact]
    public void Colliding_inference_needs_a_warm_up() =>
        Assert.Contains("--warmup-epochs", Assert.Throws<ArgumentException>(() => Settings("ns").WithOption(Colliding.Neighbors, 3).Validate()).Message);

    [Fact]
    public void One_epoch_is_said_in_the_singular()
    {
        Assert.Equal("1 epoch", ExtraFeedbackStrategy.EpochCount(Settings("ns")));
        Assert.Equal("2 epochs (+1 warm-up)", ExtraFeedbackStrategy.EpochCount(Settings("ns").WithOption(Warmup.Epochs, 1) with { Epochs = 2 }));
    }
}
