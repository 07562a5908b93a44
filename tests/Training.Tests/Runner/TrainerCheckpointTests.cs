using InverseLearning.Data;
using InverseLearning.Training.Artifacts;
using InverseLearning.Training.Methods;
using InverseLearning.Training.Plans;
using InverseLearning.Training.Runtime;
using InverseLearning.Training.Tests.EndToEnd;

namespace InverseLearning.Training.Tests.Runner;

/// <summary>
/// The trainer's two checkpoints (the best epoch's and the last epoch's), what a resume
/// restores from each, and the refusal of a checkpoint trained on other data.
/// </summary>
public class TrainerCheckpointTests : IClassFixture<TinyFeed>
{
    private static readonly Objective Bce = new("bce", Objectives.Bce);
    private readonly TinyFeed _feed;

    public TrainerCheckpointTests(TinyFeed feed) => _feed = feed;

    private static TrainSettings Settings => new()
    {
        Model = "gmf", Method = "ns", Epochs = 1, BatchSize = 64, LearningRate = 1e-2, Dim = 4, Threads = 1, Seed = 5,
    };

    /// <summary>Makes the model useless: every parameter 1, so every logit is --dim + 1 and every row predicted positive (3 gave logits past 100, which now stop the run as divergence).</summary>
    private sealed class Damage : IStepProgram
    {
        public float Step(StepContext context, StepRows rows, Objective objective)
        {
            foreach (var p in ((HostParameterStore)context.Engine.Store).All) p.Values.AsSpan().Fill(1f);
            return 0.5f;
        }
    }

    // Epoch 1 learns a little (plain BCE steps), epoch 2 damages the model: epoch 1 stays the best.
    private Trainer Train(bool secondCompetes = true, PreparedDataset? data = null, ITrainingObserver? observer = null, TrainSettings? settings = null)
    {
        var rows = SmallSets.First(_feed.Data.Valid, 200);
        return new Trainer(settings ?? Settings, data ?? _feed.Data, observer, plan: _ => new TrainingPlan(
        [
            new Phase("learn", new PhaseSchedule(1, 1e-2), [SmallSets.Pass("learn", rows, PlainStep.Instance)]),
            new Phase("damage", new PhaseSchedule(1, 1e-2, CompetesForBest: secondCompetes), [SmallSets.Pass("damage", rows, new Damage())]),
        ], Bce));
    }

    private static float[] Values(Trainer trainer) => ((HostParameterStore)trainer.Store).All.SelectMany(p => p.Values).ToArray();

    private (string Dir, float[] AfterEpoch1, Trainer Trainer) RunToTheEnd(string name, TrainSettings? settings = null, PreparedDataset? data = null)
    {
        var dir = _feed.Scratch(name);
        var atEpochEnd = new AtEpochEnd();
        var trainer = Train(observer: atEpochEnd, settings: settings, data: data);
        float[] afterEpoch1 = [];
        atEpochEnd.Then = epoch => { if (epoch == 1) afterEpoch1 = Values(trainer); };
        trainer.Run(dir);
        return (dir, afterEpoch1, trainer);
    }

    [Fact]
    public void The_best_checkpoint_keeps_the_best_epoch_and_the_last_checkpoint_the_last()
    {
        var (dir, afterEpoch1, run) = RunToTheEnd("best-and-last");
        using (run)
        {
            Assert.Equal(1, run.BestEpoch);
            Assert.Equal(afterEpoch1, Values(run));     // the run ends on its best parameters
        }
        using var best = Train();
        best.Load(Path.Combine(dir, "checkpoint"));
        Assert.Equal(afterEpoch1, Values(best));
        using var last = Train();
        last.Load(Path.Combine(dir, "last.checkpoint"));
        Assert.All(Values(last), v => Assert.Equal(1f, v));
    }

    [Fact]
    public void No_best_checkpoint_is_written_while_no_epoch_competes()
    {
        var dir = _feed.Scratch("no-best");
        var existed = new List<bool>();
        using var trainer = Train(secondCompetes: false, observer: new AtEpochEnd(_ => existed.Add(File.Exists(Path.Combine(dir, "checkpoint")))));
        trainer.Run(dir);
        Assert.Equal([true, true], existed);      // epoch 1 competed and was written; epoch 2 did not replace it
        using var best = Train();
        best.Load(Path.Combine(dir, "checkpoint"));
        Assert.DoesNotContain(Values(best), v => v == 1f);

        var none = _feed.Scratch("no-competing");
        using var plain = new Trainer(Settings, _feed.Data, plan: _ => new TrainingPlan(
            [new Phase("p", new PhaseSchedule(1, 1e-2, CompetesForBest: false), [SmallSets.Pass("p", SmallSets.First(_feed.Data.Valid, 50), PlainStep.Instance)])], Bce));
        plain.Run(none);
        Assert.False(File.Exists(Path.Combine(none, "checkpoint")));
        Assert.True(File.Exists(Path.Combine(none, "last.checkpoint")));
    }

    [Fact]
    public void A_run_resumed_without_the_best_parameters_it_selected_is_refused_not_ended_on_its_last_ones()
    {
        var (dir, _, run) = RunToTheEnd("resume-without-best");
        using (run)
        {
            Assert.True(run.BestEpoch > 0);
            using var resumed = Train();
            var absent = Path.Combine(dir, "absent.checkpoint");

            var error = Assert.Throws<CheckpointException>(() => resumed.Resume(Path.Combine(dir, "last.checkpoint"), absent));

            Assert.StartsWith(absent, error.Message);
            Assert.Contains($"the parameters of the run's best epoch ({run.BestEpoch}) beside last.checkpoint", error.Message);
            Assert.Equal(0, resumed.EpochsDone);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_finished_run_resumed_restores_its_counters_and_ends_on_the_best_parameters_when_given_them(bool withBest)
    {
        var (dir, afterEpoch1, run) = RunToTheEnd($"resume-finished-{withBest}");
        using (run)
        {
            using var resumed = Train();
            // Without a best file to look for (a worker's resume), the last parameters are the run's.
            resumed.Resume(Path.Combine(dir, "last.checkpoint"), withBest ? Path.Combine(dir, "checkpoint") : null);
            Assert.Equal((run.EpochsDone, run.Iterations, run.BestValue, run.BestEpoch, run.BestStep, run.Validations), (resumed.EpochsDone, resumed.Iterations, resumed.BestValue, resumed.BestEpoch, resumed.BestStep, resumed.Validations));
            Assert.True(run.BestStep > 0);
            // Saved inside the last epoch: phase 1 (damage) with its 1 epoch of 4 batches (200 rows, 64 a batch) done.
            Assert.Equal((1, 1, 4L), (resumed.PhaseIndex, resumed.PhaseEpochsDone, resumed.PhaseIterations));
            resumed.Run();      // nothing left to train
            Assert.Equal((2, run.Iterations), (resumed.PhaseIndex, resumed.Iterations));
            if (withBest) Assert.Equal(afterEpoch1, Values(resumed));
            else Assert.All(Values(resumed), v => Assert.Equal(1f, v));
        }
    }

    [Fact]
    public void A_best_checkpoint_of_another_run_is_refused_naming_what_differs_and_one_of_the_run_under_other_epochs_and_threads_is_not()
    {
        var (dir, _, run) = RunToTheEnd("best-of-another-run");
        run.Dispose();
        var (otherDir, _, other) = RunToTheEnd("another-run", Settings with { Seed = 9, LearningRate = 3e-2 });
        other.Dispose();
        var foreign = Path.Combine(dir, "foreign.checkpoint");
        File.Copy(Path.Combine(otherDir, "checkpoint"), foreign);
        using var resumed = Train();
        var before = Values(resumed);

        var error = Assert.Throws<CheckpointException>(() => resumed.Resume(Path.Combine(dir, "last.checkpoint"), foreign));

        Assert.StartsWith($"{foreign}: cannot use this checkpoint: it is of another run than last.checkpoint beside it, trained with ", error.Message);
        Assert.Contains("--lr 0.03 (last.checkpoint: 0.01)", error.Message);
        Assert.Contains("--seed 9 (last.checkpoint: 5)", error.Message);
        Assert.Equal(before, Values(resumed));
        Assert.Equal(0, resumed.EpochsDone);

        // What a resumed run may change (--epochs, --threads) does not make its best checkpoint another run's.
        var (sameRunDir, afterEpoch1, sameRun) = RunToTheEnd("same-run-other-epochs", Settings with { Epochs = 3, Threads = 2, CheckpointEvery = 2 });
        sameRun.Dispose();
        var ownBest = Path.Combine(dir, "own.checkpoint");
        File.Copy(Path.Combine(sameRunDir, "checkpoint"), ownBest);
        using var accepted = Train();
        accepted.Resume(Path.Combine(dir, "last.checkpoint"), ownBest);
        accepted.Run();
        Assert.Equal(afterEpoch1, Values(accepted));
    }

    [Fact]
    public void A_best_checkpoint_of_another_seed_and_so_another_split_is_refused_as_another_run_not_as_other_data()
    {
        var (dir, _, run) = RunToTheEnd("best-of-another-split");
        run.Dispose();
        // Another --seed splits the log otherwise: that run's checkpoint holds another split's fingerprint.
        var otherSplit = PreparedDataset.Prepare(_feed.Log, new LabelingOptions(LabelRule.FinishRate), new SplitOptions(Seed: 7));
        var (otherDir, _, other) = RunToTheEnd("another-split", Settings with { Seed = 7 }, otherSplit);
        other.Dispose();
        var foreign = Path.Combine(dir, "foreign.checkpoint");
        File.Copy(Path.Combine(otherDir, "checkpoint"), foreign);
        using var resumed = Train();

        var error = Assert.Throws<CheckpointException>(() => resumed.Resume(Path.Combine(dir, "last.checkpoint"), foreign));

        // The user's flags match last.checkpoint: the refusal names the copied-in file's seed, not the data's flags.
        Assert.StartsWith($"{foreign}: cannot use this checkpoint: it is of another run than last.checkpoint beside it, trained with ", error.Message);
        Assert.Contains("--seed 7 (last.checkpoint: 5)", error.Message);
        Assert.DoesNotContain("this log has", error.Message);
        Assert.Equal(0, resumed.EpochsDone);
    }

    [Fact]
    public void A_checkpoint_of_other_data_is_refused_before_anything_is_loaded()
    {
        var (dir, _, run) = RunToTheEnd("other-data");
        run.Dispose();
        var implicitData = PreparedDataset.Prepare(_feed.Log, new LabelingOptions(LabelRule.Implicit), new SplitOptions(Seed: 3));
        using var other = Train(data: implicitData);
        var before = Values(other);
        var last = Path.Combine(dir, "last.checkpoint");
        var resume = Assert.Throws<CheckpointException>(() => other.Resume(last, Path.Combine(dir, "checkpoint")));
        Assert.StartsWith(last, resume.Message);
        Assert.Contains("this log has", resume.Message);
        // Other labels of the same log: the refusal names them among what to give again.
        Assert.EndsWith("(give the log, --where, --labels and its thresholds and the split flags it was trained with).", resume.Message);
        var load = Assert.Throws<CheckpointException>(() => other.Load(last));
        Assert.Contains("this log has", load.Message);
        Assert.Equal(before, Values(other));
        Assert.Equal(0, other.EpochsDone);
    }
}
