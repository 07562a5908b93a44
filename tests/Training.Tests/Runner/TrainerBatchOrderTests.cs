using InverseLearning.Training.Methods;
using InverseLearning.Training.Plans;
using InverseLearning.Training.Tests.EndToEnd;

namespace InverseLearning.Training.Tests.Runner;

/// <summary>A pass's batches depend on the run's seed, the pass's stream and the epoch: the same three give the same batches, any other differs.</summary>
public class TrainerBatchOrderTests : IClassFixture<TinyFeed>
{
    private readonly TinyFeed _feed;

    public TrainerBatchOrderTests(TinyFeed feed) => _feed = feed;

    /// <summary>The first user of every batch, per pass, over two epochs of two passes (streams 4 and 5) on the same 300 rows.</summary>
    private (int[] Four, int[] Five) Orders(int seed)
    {
        var rows = SmallSets.First(_feed.Data.Valid, 300);
        var (four, five) = (new ScriptedStep(), new ScriptedStep());
        var settings = new TrainSettings { Model = "gmf", Method = "ns", Epochs = 1, BatchSize = 10, Dim = 4, Threads = 1, Seed = seed };
        using var trainer = new Trainer(settings, _feed.Data, plan: _ => new TrainingPlan(
            [new Phase("p", new PhaseSchedule(2, 1e-2), [SmallSets.Pass("four", rows, four, stream: 4), SmallSets.Pass("five", rows, five, stream: 5)])],
            new Objective("bce", Objectives.Bce)));
        trainer.Run();
        return (four.Steps.Select(s => s.FirstUser).ToArray(), five.Steps.Select(s => s.FirstUser).ToArray());
    }

    [Fact]
    public void Batches_follow_the_seed_the_stream_and_the_epoch()
    {
        var (four, five) = Orders(seed: 5);
        var (againFour, againFive) = Orders(seed: 5);
        Assert.Equal(four, againFour);
        Assert.Equal(five, againFive);
        Assert.NotEqual(four, five);                        // streams
        Assert.NotEqual(four[..30], four[30..]);            // epochs
        var (otherFour, otherFive) = Orders(seed: 6);       // seeds
        Assert.NotEqual(four, otherFour);
        Assert.NotEqual(five, otherFive);
    }
}
