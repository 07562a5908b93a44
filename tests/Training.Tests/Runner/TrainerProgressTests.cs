using InverseLearning.Data;
using InverseLearning.Training.Methods;
using InverseLearning.Training.Plans;
using InverseLearning.Training.Tests.EndToEnd;

namespace InverseLearning.Training.Tests.Runner;

/// <summary>
/// What the trainer tells its observer while it runs, and how a run stops: progress every
/// 16th batch and at a pass's end, each epoch's mean step loss and validation loss, the
/// phase names; a loss that is not a number, and cancellation.
/// </summary>
public class TrainerProgressTests : IClassFixture<TinyFeed>
{
    private const int BatchSize = 10;
    private static readonly Objective Bce = new("bce", Objectives.Bce);
    private readonly TinyFeed _feed;

    public TrainerProgressTests(TinyFeed feed) => _feed = feed;

    private static TrainSettings Settings => new()
    {
        Model = "gmf", Method = "ns", Epochs = 1, BatchSize = BatchSize, LearningRate = 1e-2, Dim = 4, Threads = 1, Seed = 5,
    };

    private sealed class Observer : ITrainingObserver
    {
        public List<(int Epoch, string Phase, int Done, int Total, float Loss, double RowsPerSecond)> Batches { get; } = [];
        public List<EpochSummary> Epochs { get; } = [];
        public void OnBatch(int epoch, string phase, int done, int total, float loss, double rowsPerSecond) => Batches.Add((epoch, phase, done, total, loss, rowsPerSecond));
        public void OnEpoch(EpochSummary summary) => Epochs.Add(summary);
    }

    // Phase "first": 1 epoch of pass "a" (345 rows = 35 batches of 10). Phase "second": 2 epochs
    // of pass "b" (35 batches) then pass "c" (25 rows = 3 batches). Steps 0–34 are epoch 1,
    // 35–72 epoch 2, 73–110 epoch 3.
    private Trainer Train(IStepProgram program, ITrainingObserver? observer = null)
    {
        var (large, small) = (SmallSets.First(_feed.Data.Valid, 345), SmallSets.First(_feed.Data.Valid, 25));
        TrainingPlan Plan(PlanContext _) => new(
        [
            new Phase("first", new PhaseSchedule(1, 1e-2), [SmallSets.Pass("a", large, program)]),
            new Phase("second", new PhaseSchedule(2, 1e-2), [SmallSets.Pass("b", large, program), SmallSets.Pass("c", small, program, stream: 5)]),
        ], Bce);
        return new Trainer(Settings, _feed.Data, observer, Plan);
    }

    [Fact]
    public void Progress_comes_every_sixteenth_batch_and_at_each_passes_end_with_that_steps_loss()
    {
        var observer = new Observer();
        using var trainer = Train(new ScriptedStep(iteration => iteration + 1), observer);
        trainer.Run();

        // Per pass: (run epoch, pass, batches done, batches in the pass, the step number whose loss is shown).
        var expected = new List<(int, string, int, int, float)>();
        var step = 0;
        foreach (var (epoch, passes) in new[] { (1, new[] { ("a", 35) }), (2, [("b", 35), ("c", 3)]), (3, [("b", 35), ("c", 3)]) })
            foreach (var (pass, batches) in passes)
            {
                foreach (var done in new[] { 16, 32, batches }.Where(d => d <= batches).Distinct())
                    expected.Add((epoch, pass, done, batches, step + done));
                step += batches;
            }
        Assert.Equal(expected, observer.Batches.Select(b => (b.Epoch, b.Phase, b.Done, b.Total, b.Loss)));
        Assert.All(observer.Batches, b => Assert.True(b.RowsPerSecond > 0 && double.IsFinite(b.RowsPerSecond), $"rows/s {b.RowsPerSecond}"));
    }

    [Fact]
    public void Each_epoch_reports_its_own_mean_step_loss_its_validation_loss_and_its_phase()
    {
        var observer = new Observer();
        using var trainer = Train(new ScriptedStep(iteration => iteration + 1), observer);
        trainer.Run();

        // Losses 1..35, 36..73 and 74..111: the mean of consecutive numbers is the mean of the first and last.
        Assert.Equal([1, 2, 3], observer.Epochs.Select(e => e.Epoch));
        Assert.Equal([18.0, 54.5, 92.5], observer.Epochs.Select(e => e.TrainLoss));
        Assert.Equal(["first", "second", "second"], observer.Epochs.Select(e => e.Phase));
        // The steps change nothing, so every epoch validates alike: only the first is strictly better.
        Assert.Equal([true, false, false], observer.Epochs.Select(e => e.Best));
        var validation = trainer.Validation;
        var logits = new float[validation.Count];
        trainer.Engine.Score(validation.Users.AsSpan(0, validation.Count), validation.Items.AsSpan(0, validation.Count), logits);
        var reference = Enumerable.Range(0, validation.Count).Average(r => SmallSets.Bce(logits[r], validation.Labels[r]));
        Assert.All(observer.Epochs, e => Assert.Equal(reference, e.ValidLoss, 9));
        Assert.All(observer.Epochs, e => Assert.True(e.Seconds >= 0 && e.RowsPerSecond > 0, $"{e.Seconds} s, {e.RowsPerSecond} rows/s"));
        Assert.Equal(345 * 3 + 25 * 2, trainer.RowsTrained);
    }

    [Fact]
    public void A_pass_of_whole_batches_counts_exactly_its_batches()
    {
        var observer = new Observer();
        using var trainer = new Trainer(Settings, _feed.Data, observer, _ => new TrainingPlan(
            [new Phase("p", new PhaseSchedule(1, 1e-2), [SmallSets.Pass("p", SmallSets.First(_feed.Data.Valid, 340), new ScriptedStep())])], Bce));
        trainer.Run();
        Assert.Equal([(16, 34), (32, 34), (34, 34)], observer.Batches.Select(b => (b.Done, b.Total)));
    }

    [Fact]
    public void An_epoch_without_batches_reports_no_train_loss()
    {
        var observer = new Observer();
        var program = new ScriptedStep();
        using var trainer = new Trainer(Settings, _feed.Data, observer,
            _ => new TrainingPlan([new Phase("empty", new PhaseSchedule(1, 1e-2), [SmallSets.Pass("none", new LabeledSet(), program)])], Bce));
        trainer.Run();
        Assert.Empty(program.Steps);
        Assert.Empty(observer.Batches);
        Assert.True(double.IsNaN(Assert.Single(observer.Epochs).TrainLoss));
        Assert.Equal((1, 0L), (trainer.EpochsDone, trainer.Iterations));
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void A_loss_that_is_not_a_number_stops_the_run_naming_the_epoch_step_and_pass(float bad)
    {
        // Step 40 (from 0) is the sixth batch of pass b in the run's second epoch.
        using var trainer = Train(new ScriptedStep(iteration => iteration == 40 ? bad : 0.5f));
        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Run());
        Assert.Contains($"the loss became {bad} at epoch 2, step 41 (b)", error.Message);
        Assert.Contains("--lr", error.Message);
        Assert.Equal(40, trainer.Iterations);
    }

    [Fact]
    public void A_validation_loss_past_what_the_clipped_logloss_can_reach_stops_the_run_as_divergence()
    {
        // It was finite (7e26) and the run finished and exported its model; only NaN was caught.
        using var trainer = new Trainer(Settings with { Epochs = 2, BatchSize = 256, LearningRate = 1e9 }, _feed.Data);
        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Run());
        // The figure is the unclipped BCE, which may pass 16.1; the clipped logloss cannot, and was named as the one that did.
        Assert.Contains("the validation loss (the mean BCE of the unclipped logits) became ", error.Message);
        Assert.Contains("at epoch 1 (ns), past 16.1, the most the clipped logloss reaches (every row predicted wrong with full confidence", error.Message);
        Assert.Contains("lower --lr", error.Message);
    }

    /// <summary>Sets every parameter to one value, as a step that blew up would leave them.</summary>
    private sealed class Fill(float value) : IStepProgram
    {
        public float Step(StepContext context, InverseLearning.Training.Runtime.StepRows rows, Objective objective)
        {
            foreach (var p in ((InverseLearning.Training.Runtime.HostParameterStore)context.Engine.Store).All) p.Values.AsSpan().Fill(value);
            return 0.5f;
        }
    }

    [Fact]
    public void A_validation_loss_just_past_what_the_clipped_logloss_can_reach_stops_the_run_too()
    {
        // Every parameter 3: every logit 4·27 + 3 = 111, a negative row's loss about 111, the mean past 16.1 yet far from
        // lr 1e9's 7e26. The bound is the clipped logloss's worst, not some larger blow-up.
        using var trainer = Train(new Fill(3f));
        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Run());
        Assert.Contains("the validation loss (the mean BCE of the unclipped logits) became ", error.Message);
        Assert.Contains("at epoch 1 (first), past 16.1", error.Message);
    }

    [Fact]
    public void A_cancelled_run_stops_before_its_next_epoch()
    {
        var program = new ScriptedStep();
        using var cancel = new CancellationTokenSource();
        using var trainer = Train(program, new AtEpochEnd(epoch => { if (epoch == 2) cancel.Cancel(); }));
        Assert.ThrowsAny<OperationCanceledException>(() => trainer.Run(cancel: cancel.Token));
        Assert.Equal(2, trainer.EpochsDone);
        Assert.Equal(35 + 38, program.Steps.Count);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Steps_see_the_settings_choice_of_a_fresh_optimizer_and_ng_sampled_rows_per_labeled_row(bool fresh)
    {
        var program = new ScriptedStep();
        var settings = Settings with { FreshOptimizer = fresh, Ng = 3, BatchSize = 16 };
        var rows = SmallSets.First(_feed.Data.Valid, 40);
        using var trainer = new Trainer(settings, _feed.Data, plan: _ =>
            new TrainingPlan([new Phase("p", new PhaseSchedule(1, 1e-2), [SmallSets.Pass("p", rows, program, unlabeledPerRow: 3)])], Bce));
        trainer.Run();
        // 40 rows in batches of 16: 16, 16, 8, each with 3 sampled rows per labeled row.
        Assert.Equal([(64, 16, fresh), (64, 16, fresh), (32, 8, fresh)], program.Steps.Select(s => (s.Rows, s.Labeled, s.FreshOptimizer)));
    }

    [Fact]
    public void Invalid_settings_are_refused_before_anything_is_built() =>
        Assert.Contains("--lr", Assert.Throws<ArgumentException>(() => new Trainer(Settings with { LearningRate = -1 }, _feed.Data)).Message);
}
