using InverseLearning.Training.Methods;
using InverseLearning.Training.Tests.Runner;
using InverseLearning.Training.Plans;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Tests.EndToEnd;

/// <summary>
/// The trainer's plan runner on hand-built plans (through its plan seam): phase-local
/// epochs and step counts, learning rates, optimizer resets, which epochs compete for the
/// best, restarted selection, the phase hook's moment, and resume at and inside a phase.
/// The plans train on the valid split (small) with step programs that record what they see.
/// </summary>
public class PlanRunnerTests : IClassFixture<TinyFeed>
{
    private const int BatchSize = 512;
    private static readonly Objective Bce = new("bce", Objectives.Bce);
    private readonly TinyFeed _feed;

    public PlanRunnerTests(TinyFeed feed) => _feed = feed;

    private int BatchesPerEpoch => (_feed.Data.Valid.Count + BatchSize - 1) / BatchSize;

    private static readonly TrainSettings Settings = new()
    {
        Model = "gmf", Method = "ns", Epochs = 1, BatchSize = BatchSize, LearningRate = 1e-2, Dim = 8, Threads = 1, Seed = 5,
    };

    private static Phase Phase(string name, IStepProgram program, int epochs, double lr = 1e-2, bool reset = false, bool competes = true,
        bool restarts = false, IPhaseHook? hook = null, Objective? objective = null) =>
        new(name, new PhaseSchedule(epochs, lr, reset, competes, restarts),
            [new Pass(name, new DataSource("valid", d => d.Valid, 0, Stream: 4), objective ?? Bce, program)], hook);

    private Trainer Train(params Phase[] phases) => Train(null, phases);

    private Trainer Train(ITrainingObserver? observer, params Phase[] phases) => new(Settings, _feed.Data, observer, plan: _ => new TrainingPlan(phases, Bce));

    private sealed record Seen(int Epoch, long Iteration, long PhaseIteration, float LearningRate, long OptimizerStep, bool FreshState);

    /// <summary>Records what each step sees, then runs <paramref name="inner"/> (none: the step changes nothing).</summary>
    private sealed class Recorder(IStepProgram? inner = null) : IStepProgram
    {
        public List<Seen> Steps { get; } = [];

        public float Step(StepContext context, StepRows rows, Objective objective)
        {
            var store = (HostParameterStore)context.Engine.Store;
            Steps.Add(new(context.Epoch, context.Iteration, context.PhaseIteration, context.LearningRate, store.Step,
                store.All.All(p => p.State.All(s => s.All(v => v == 0)))));
            return inner?.Step(context, rows, objective) ?? 0.5f;
        }
    }

    /// <summary>Makes the model useless: every parameter 1, so every logit is --dim + 1 and every row predicted positive (3 gave logits past 100, which now stop the run as divergence).</summary>
    private sealed class Damage : IStepProgram
    {
        public float Step(StepContext context, StepRows rows, Objective objective)
        {
            foreach (var p in ((HostParameterStore)context.Engine.Store).All) p.Values.AsSpan().Fill(1f);
            return 0.5f;
        }
    }

    /// <summary>Counts its calls, noting the trainer's epochs at each; its state is the call count.</summary>
    private sealed class Hook : IPhaseHook, IStatefulPart
    {
        public Trainer? Trainer { get; set; }
        public List<int> Calls { get; } = [];
        public int Restored { get; private set; } = -1;
        public string StateKey => "test.hook";
        public void PhaseCompleted(StepContext context) => Calls.Add(Trainer!.EpochsDone);
        public void SaveState(BinaryWriter writer) => writer.Write(Calls.Count);
        public void LoadState(BinaryReader reader) => Restored = reader.ReadInt32();
    }

    [Fact]
    public void Epochs_and_phase_iterations_count_from_each_phases_start_and_steps_use_its_learning_rate()
    {
        var (a, b) = (new Recorder(), new Recorder());
        using var trainer = Train(Phase("a", a, epochs: 2, lr: 0.25), Phase("b", b, epochs: 3, lr: 0.5));
        trainer.Run();

        var n = BatchesPerEpoch;
        Assert.Equal(Enumerable.Range(0, 2 * n).Select(s => 1 + s / n), a.Steps.Select(s => s.Epoch));
        Assert.Equal(Enumerable.Range(0, 3 * n).Select(s => 1 + s / n), b.Steps.Select(s => s.Epoch));
        Assert.Equal(Enumerable.Range(0, 2 * n).Select(s => (long)s), a.Steps.Select(s => s.Iteration));
        Assert.Equal(Enumerable.Range(0, 2 * n).Select(s => (long)s), a.Steps.Select(s => s.PhaseIteration));
        Assert.Equal(Enumerable.Range(2 * n, 3 * n).Select(s => (long)s), b.Steps.Select(s => s.Iteration));
        Assert.Equal(Enumerable.Range(0, 3 * n).Select(s => (long)s), b.Steps.Select(s => s.PhaseIteration));
        Assert.All(a.Steps, s => Assert.Equal(0.25f, s.LearningRate));
        Assert.All(b.Steps, s => Assert.Equal(0.5f, s.LearningRate));
        Assert.Equal((5, 5L * n, 2, 0, 0L), (trainer.EpochsDone, trainer.Iterations, trainer.PhaseIndex, trainer.PhaseEpochsDone, trainer.PhaseIterations));
        Assert.Equal(_feed.Data.Valid.Count * 5L, trainer.RowsTrained);
        // The steps changed nothing: every epoch validates alike, and only a strictly lower loss is a new best.
        Assert.Equal(1, trainer.BestEpoch);
        Assert.Equal(trainer.Scorer.LogLoss(trainer.Validation), trainer.BestValue);
    }

    /// <summary>Notes the step count each bind is given (T of T-CE's schedule).</summary>
    private sealed class InputsRecorder : IObjectiveInputs
    {
        public List<long> Bound { get; } = [];
        public void Bind(GraphSession step, StepRows rows, long phaseIteration) => Bound.Add(phaseIteration);
    }

    [Fact]
    public void Objective_inputs_are_bound_with_the_phases_own_step_count()
    {
        var inputs = new InputsRecorder();
        using var trainer = Train(Phase("a", new Recorder(), epochs: 1), Phase("b", PlainStep.Instance, epochs: 2, objective: new("bce", Objectives.Bce, inputs)));
        trainer.Run();
        Assert.Equal(Enumerable.Range(0, 2 * BatchesPerEpoch).Select(s => (long)s), inputs.Bound);
    }

    [Fact]
    public void A_phase_that_resets_the_optimizer_starts_from_zero_state_and_step_count()
    {
        var (a, b, c) = (new Recorder(PlainStep.Instance), new Recorder(PlainStep.Instance), new Recorder(PlainStep.Instance));
        using var trainer = Train(Phase("a", a, epochs: 1), Phase("b", b, epochs: 1, reset: true), Phase("c", c, epochs: 1));
        trainer.Run();

        var n = BatchesPerEpoch;
        Assert.Equal(Enumerable.Range(0, n).Select(s => (long)s), a.Steps.Select(s => s.OptimizerStep));
        Assert.Equal(Enumerable.Range(0, n).Select(s => (long)s), b.Steps.Select(s => s.OptimizerStep));
        Assert.True(b.Steps[0].FreshState);
        Assert.False(b.Steps[1].FreshState);
        // Without a reset the next phase carries on from the optimizer's state.
        Assert.Equal((long)n, c.Steps[0].OptimizerStep);
        Assert.False(c.Steps[0].FreshState);
    }

    [Theory]
    [InlineData(true, true, 1)]
    [InlineData(false, true, 3)]
    [InlineData(false, false, 0)]
    public void Only_epochs_of_competing_phases_can_become_best(bool firstCompetes, bool secondCompetes, int bestEpoch)
    {
        using var trainer = Train(Phase("a", new Recorder(), epochs: 2, competes: firstCompetes), Phase("b", new Recorder(), epochs: 2, competes: secondCompetes));
        trainer.Run();
        Assert.Equal(bestEpoch, trainer.BestEpoch);
        Assert.Equal(bestEpoch == 0, double.IsPositiveInfinity(trainer.BestValue));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_phase_that_restarts_selection_keeps_its_own_best_even_when_worse(bool restarts)
    {
        using var trainer = Train(Phase("a", new Recorder(), epochs: 1), Phase("b", new Damage(), epochs: 1, restarts: restarts));
        var initial = ((HostParameterStore)trainer.Store).All.SelectMany(p => p.Values).ToArray();
        trainer.Run();
        Assert.Equal(restarts ? 2 : 1, trainer.BestEpoch);
        // The best epoch's parameters are the ones left in the store.
        var values = ((HostParameterStore)trainer.Store).All.SelectMany(p => p.Values).ToArray();
        if (restarts) Assert.All(values, v => Assert.Equal(1f, v));
        else Assert.Equal(initial, values);
    }

    [Fact]
    public void The_phase_hook_runs_once_after_its_last_epoch_and_before_that_epochs_checkpoint()
    {
        var hook = new Hook();
        var dir = _feed.Scratch("plan-hook");
        var copy = Path.Combine(dir, "after-epoch-2");
        var atEpochEnd = new AtEpochEnd(epoch => { if (epoch == 2) File.Copy(Path.Combine(dir, "last.checkpoint"), copy); });
        using var trainer = Train(atEpochEnd, Phase("a", new Recorder(), epochs: 2, hook: hook), Phase("b", new Recorder(), epochs: 1));
        hook.Trainer = trainer;
        trainer.Run(dir);

        Assert.Equal([2], hook.Calls);
        var fresh = new Hook();
        using var reader = Train(Phase("a", new Recorder(), epochs: 2, hook: fresh), Phase("b", new Recorder(), epochs: 1));
        reader.Load(copy);
        Assert.Equal(1, fresh.Restored);
    }

    [Theory]
    [InlineData(2, false)]    // at the boundary: phase b has not started, its reset is still to come
    [InlineData(3, true)]     // inside phase b: no second reset, its epoch and step counts continue
    public void Resuming_at_or_inside_a_phase_continues_as_the_uninterrupted_run(int stopAfter, bool insidePhase)
    {
        var whole = _feed.Scratch($"plan-whole-{stopAfter}");
        var stopped = Path.Combine(whole, "stopped.checkpoint");
        Phase[] Plan(Recorder a, Recorder b) =>
            [Phase("a", a, epochs: 2), Phase("b", b, epochs: 2, lr: 5e-3, reset: true)];
        var uninterrupted = new Recorder(PlainStep.Instance);
        var atEpochEnd = new AtEpochEnd(epoch => { if (epoch == stopAfter) File.Copy(Path.Combine(whole, "last.checkpoint"), stopped); });
        using (var trainer = Train(atEpochEnd, Plan(new Recorder(PlainStep.Instance), uninterrupted)))
        {
            trainer.Run(whole);
        }

        var resumedDir = _feed.Scratch($"plan-resumed-{stopAfter}");
        var (a, b) = (new Recorder(PlainStep.Instance), new Recorder(PlainStep.Instance));
        using (var trainer = Train(Plan(a, b)))
        {
            trainer.Resume(stopped, bestCheckpoint: null);
            Assert.Equal((insidePhase ? 1 : 0, insidePhase ? 1 : 2), (trainer.PhaseIndex, trainer.PhaseEpochsDone));
            trainer.Run(resumedDir);
        }

        Assert.Empty(a.Steps);
        var n = BatchesPerEpoch;
        Assert.Equal(uninterrupted.Steps.Skip(insidePhase ? n : 0), b.Steps);
        Assert.Equal(insidePhase ? 2 : 1, b.Steps[0].Epoch);
        Assert.Equal(insidePhase ? n : 0, b.Steps[0].PhaseIteration);
        Assert.Equal(File.ReadAllBytes(Path.Combine(whole, "last.checkpoint")), File.ReadAllBytes(Path.Combine(resumedDir, "last.checkpoint")));
    }
}
