using InverseLearning.Training.Evaluation;
using InverseLearning.Training.Selection;
using InverseLearning.Training.Tests.EndToEnd;

namespace InverseLearning.Training.Tests.Selection;

/// <summary>
/// The trainer's model selection: it validates at epoch ends and every --eval-every steps,
/// keeps the parameters of the best value in the metric's direction, and restores them.
/// </summary>
public class TrainerSelectionTests : IClassFixture<TinyFeed>
{
    private readonly TinyFeed _feed;

    public TrainerSelectionTests(TinyFeed feed) => _feed = feed;

    private sealed class Epochs : ITrainingObserver
    {
        public List<EpochSummary> Summaries { get; } = [];
        public void OnBatch(int epoch, string phase, int done, int total, float loss, double rowsPerSecond) { }
        public void OnEpoch(EpochSummary summary) => Summaries.Add(summary);
    }

    private TrainSettings Settings(string selectBy, int evalEvery) => new()
    {
        Model = "gmf", Method = "ns", Epochs = 3, BatchSize = 2048, LearningRate = 5e-3, Dim = 8, Threads = 1, Seed = 11,
        SelectBy = selectBy, EvalEvery = evalEvery,
    };

    private int StepsPerEpoch => (_feed.Data.Train.Count + 2047) / 2048;

    [Theory]
    [InlineData("auc")]
    [InlineData("loss")]
    [InlineData("recall@10")]
    public void Ends_on_the_parameters_that_scored_the_best_value_of_every_validation(string selectBy)
    {
        var epochs = new Epochs();
        using var trainer = new Trainer(Settings(selectBy, evalEvery: 5), _feed.Data, epochs);

        trainer.Run();

        // Restored: measuring again gives the kept value, which no epoch-end validation beat.
        Assert.Equal(trainer.BestValue, trainer.Selection.Measure(trainer), 12);
        Assert.All(epochs.Summaries, s => Assert.False(trainer.Selection.Metric.Improves(s.SelectionValue, trainer.BestValue)));
        Assert.Equal(selectBy, epochs.Summaries[0].Selection);
        Assert.True(trainer.BestStep % 5 == 0 || trainer.BestStep % StepsPerEpoch == 0, $"best at step {trainer.BestStep}");
        Assert.Equal(trainer.BestEpoch, (int)((trainer.BestStep - 1) / StepsPerEpoch) + 1);
        // The epoch line of the kept parameters says so: "(best)" at its end, or the step inside it.
        var bestEpoch = epochs.Summaries[trainer.BestEpoch - 1];
        Assert.True(bestEpoch.Best ? bestEpoch.BestStepWithin is null : bestEpoch.BestStepWithin == trainer.BestStep,
            $"epoch {bestEpoch.Epoch}: best {bestEpoch.Best}, best step within {bestEpoch.BestStepWithin}, kept step {trainer.BestStep}");
    }

    [Fact]
    public void Validates_every_n_steps_and_at_each_epochs_end_but_never_twice_at_one_step()
    {
        var total = 3 * StepsPerEpoch;
        Assert.True(StepsPerEpoch > 3, "the feed must give several steps an epoch");
        using var everyThree = new Trainer(Settings("auc", evalEvery: 3), _feed.Data);
        using var atEpochEnds = new Trainer(Settings("auc", evalEvery: 0), _feed.Data);

        everyThree.Run();
        atEpochEnds.Run();

        var coinciding = Enumerable.Range(1, 3).Count(e => e * StepsPerEpoch % 3 == 0);
        Assert.Equal(total / 3 + 3 - coinciding, everyThree.Validations);
        Assert.Equal(3, atEpochEnds.Validations);
        Assert.True(everyThree.ValidationSeconds > 0);
    }

    [Fact]
    public void A_ranking_metric_is_the_validation_full_ranking_of_the_restored_parameters()
    {
        using var trainer = new Trainer(Settings("ndcg@20", evalEvery: 0), _feed.Data);

        trainer.Run();

        var positives = ValidationPositives.Resolve(_feed.Data, ValidationPositives.Labels, truth: null);
        var ranking = FullRanking.ForValidation(_feed.Data, positives, "labels", [20]).Evaluate(trainer.Store, trainer.Engine.Device);
        Assert.Equal(ranking.NdcgAt(20), trainer.BestValue, 12);
        Assert.Equal(ranking.Users, trainer.Selection.RankedUsers);
        Assert.InRange(trainer.BestValue, 1e-6, 1);
    }

    [Fact]
    public void A_ranking_metric_ranks_a_sample_of_the_validation_users_fixed_by_the_split_seed()
    {
        var settings = Settings("recall@10", evalEvery: 0);
        using var all = ModelSelection.Create(settings with { ValidUsers = 0 }, _feed.Data, truth: null);
        using var again = ModelSelection.Create(settings with { ValidUsers = 40 }, _feed.Data, truth: null);
        using var otherSplit = ModelSelection.Create(settings with { ValidUsers = 40, SplitSeed = 12 }, _feed.Data, truth: null);
        using var trainer = new Trainer(settings with { ValidUsers = 40 }, _feed.Data);
        trainer.Run();

        Assert.True(all.RankedUsers > 200, $"{all.RankedUsers} users");
        Assert.InRange(trainer.Selection.RankedUsers, 35, 40);
        Assert.Equal(trainer.BestValue, again.Measure(trainer), 12);
        Assert.NotEqual(trainer.BestValue, otherSplit.Measure(trainer));
        Assert.NotEqual(trainer.BestValue, all.Measure(trainer));
    }

    [Fact]
    public void Batch_rows_size_each_pass_by_its_own_sampled_rows()
    {
        // IG: training-train steps sample nothing (64 labeled rows), training-test steps one row each (32 labeled rows).
        using var trainer = new Trainer(Settings("loss", evalEvery: 0) with { Method = "ig", Epochs = 1, BatchRows = 64, Ng = 1 }, _feed.Data);

        trainer.Run();

        var (trainTrain, trainTest) = (_feed.Data.TrainTrain.Count, _feed.Data.TrainTest.Count);
        Assert.Equal((trainTrain + 63) / 64 + (trainTest + 31) / 32, trainer.Iterations);
        Assert.Equal(trainTrain + trainTest, trainer.RowsTrained);
    }

    [Fact]
    public void The_default_selects_by_validation_loss_at_epoch_ends()
    {
        using var trainer = new Trainer(Settings("loss", evalEvery: 0) with { SelectBy = new TrainSettings().SelectBy }, _feed.Data);

        trainer.Run();

        Assert.Equal(SelectionMetric.Loss, trainer.Selection.Metric);
        Assert.Equal(trainer.Scorer.LogLoss(trainer.Validation), trainer.BestValue, 12);
        Assert.Equal(0, trainer.BestStep % StepsPerEpoch);
    }
}
