using System.Diagnostics;
using InverseLearning.Data;
using InverseLearning.Training.Artifacts;
using InverseLearning.Training.Methods;
using InverseLearning.Training.Optimizers;
using InverseLearning.Training.Plans;
using InverseLearning.Training.Runtime;
using InverseLearning.Training.Selection;

namespace InverseLearning.Training;

/// <summary>
/// Runs a <see cref="TrainingPlan"/> over a prepared dataset: phase by phase, epoch by
/// epoch, pass by pass; validates after every epoch (and every --eval-every steps), keeps
/// the best parameters by the run's selection metric (<see cref="ModelSelection"/>) among
/// the epochs that compete, and checkpoints everything a resumed run needs (parameters,
/// optimizer state, where the plan stands, its parts' state). Its <see cref="Scorer"/> scores the sets it
/// validates on, and a <see cref="CheckpointRestorer"/> restores the checkpoints it resumes from or loads.
/// It knows nothing of any method: methods and strategies build the plan.
/// </summary>
public sealed class Trainer : IDisposable
{
    private readonly ITrainingObserver? _observer;
    private readonly StepContext _context;
    private readonly CheckpointRestorer _checkpoints;
    private StoreSnapshot? _best;
    private double _epochLoss;
    private int _epochSteps;
    // The pass of the epoch running and its batches trained, for a mid-epoch checkpoint; and where a resumed run picks up.
    private (int Pass, long Batches) _position;
    // This worker's part of the epoch running, among how many (0 of 1: the whole epoch).
    private (int Part, int Parts) _part = (0, 1);
    private EpochPosition? _resumeAt;
    private CancellationToken _cancel;
    private long _lastValidatedStep = -1;
    private double _lastValidation;
    private bool _lastWasBest;
    private string? _checkpointDir;

    /// <param name="plan">Builds the plan instead of <see cref="RunPlan.Build"/> (tests run hand-built plans through it).</param>
    /// <param name="store">Where the parameters live; by default the settings' --store.</param>
    /// <param name="selection">What picks the best parameters (the trainer owns it); by default the settings' --select-by without ground truth.</param>
    /// <param name="sync">This trainer's part among data-parallel workers; null for a trainer alone.</param>
    public Trainer(TrainSettings settings, PreparedDataset data, ITrainingObserver? observer = null, Func<PlanContext, TrainingPlan>? plan = null,
        Func<StoreRequest, IParameterStore>? store = null, ModelSelection? selection = null, IEpochSync? sync = null)
    {
        Sync = sync;
        settings.Validate();
        foreach (var strategy in Strategies.StrategyRegistry.On(settings))
            if (strategy.Check(settings, data) is { } problem) throw new ArgumentException(problem);
        Settings = settings;
        Data = data;
        _observer = observer;
        Sampler = UnlabeledSamplers.Create(settings.UnlabeledSource, settings.UnlabeledMix, data);
        Method = MethodRegistry.Get(settings.Method);
        var interactions = data.Streamed is null ? data.Train : Models.ModelRegistry.Get(settings.Model).ReadsInteractions ? data.HistoryRows() : null;
        var model = Models.ModelRegistry.Create(new Models.ModelContext(settings, data.Users.Count, data.Items.Count, interactions));
        var optimizer = OptimizerFactory.Create(settings.Optimizer);
        var request = new StoreRequest(model, data.Users.Count, data.Items.Count, optimizer.StateNames.Count, settings.Seed, settings.InitScheme);
        var device = new ExecutionDevice(settings.Device, settings.Threads);
        Store = store?.Invoke(request) ?? (settings.DeviceResident ? new DeviceParameterStore(request, device) : new HostParameterStore(request));
        var maxRows = (int)settings.RowsPerStep;
        Engine = new TrainingEngine(Store, optimizer, device, maxRows);
        Rows = new StepRows(maxRows, data.Items.Count);
        var context = new PlanContext(settings, data, Sampler);
        Plan = plan is null ? RunPlan.Build(context) : plan(context).WithStreams();
        Validation = ValidationRows(data, Sampler, settings.EffectiveSplitSeed);
        Selection = selection ?? ModelSelection.Create(settings, data, truth: null);
        BestValue = Selection.Metric.Worst;
        _context = new StepContext(Engine, settings.FreshOptimizer);
        Fingerprint = DataFingerprint.Of(data).ForRun(settings);
        Scorer = new SetScorer(Engine);
        _checkpoints = new CheckpointRestorer(data, Store, Plan, Fingerprint);
    }

    public TrainSettings Settings { get; }
    public PreparedDataset Data { get; }
    public IEpochSync? Sync { get; }
    /// <summary>Validates, keeps the best and checkpoints: a trainer alone, or the coordinator of workers.</summary>
    public bool Coordinates => Sync?.IsCoordinator ?? true;
    public TrainingMethod Method { get; }
    public TrainingPlan Plan { get; }
    public IParameterStore Store { get; }
    public TrainingEngine Engine { get; }
    public StepRows Rows { get; }
    public UnlabeledSampler Sampler { get; }
    public DataFingerprint Fingerprint { get; }

    /// <summary>The validation rows of the row metrics (loss, AUC, GAUC): the valid split, plus one sampled negative per row when it has no negatives (implicit feedback).</summary>
    public LabeledSet Validation { get; }

    /// <summary>What picks the best parameters (--select-by).</summary>
    public ModelSelection Selection { get; }

    /// <summary>Scores labeled sets with the model as it is now; a strategy's rewrite of the scores, once set, goes into every score the trainer reports.</summary>
    public SetScorer Scorer { get; }

    /// <summary>Steps taken so far, over all phases.</summary>
    public long Iterations { get; private set; }
    public int EpochsDone { get; private set; }
    /// <summary>The phase the plan is in (= the phase count when done), and its epochs and steps done.</summary>
    public int PhaseIndex { get; private set; }
    public int PhaseEpochsDone { get; private set; }
    public long PhaseIterations { get; private set; }
    /// <summary>The best value of the selection metric so far (its worst before any validation).</summary>
    public double BestValue { get; private set; }
    /// <summary>The epoch and the step (over all phases) at which <see cref="BestValue"/> was measured; 0 before any.</summary>
    public int BestEpoch { get; private set; }
    public long BestStep { get; private set; }
    public double TrainSeconds { get; private set; }
    /// <summary>
    /// Time spent validating (the selection metric, the epoch-end valid loss, keeping a new best
    /// and, mid-epoch, saving it), and how many validations there were. Times count this
    /// process's part of a resumed run; the count is the whole run's.
    /// </summary>
    public double ValidationSeconds { get; private set; }
    public int Validations { get; private set; }
    public long RowsTrained { get; private set; }

    /// <summary>
    /// Called after each epoch's training and validation, before its checkpoint, with the run's epoch number: what a handler
    /// saves beside the checkpoint is there whenever the checkpoint is (the IDL annotation analysis of epoch 1).
    /// </summary>
    public event Action<int>? EpochTrained;

    /// <summary>Trains the rest of the plan, then restores the best parameters.</summary>
    public void Run(string? checkpointDir = null, CancellationToken cancel = default)
    {
        _checkpointDir = checkpointDir;
        _cancel = cancel;
        _context.Cancel = cancel;
        while (PhaseIndex < Plan.Phases.Count)
        {
            var phase = Plan.Phases[PhaseIndex];
            // A phase starts afresh once: a run resumed inside its first epoch goes on with the state its checkpoint holds.
            var startsPhase = PhaseEpochsDone == 0 && _resumeAt is null;
            if (startsPhase && phase.Schedule.ResetOptimizer) Store.ResetOptimizer();
            if (startsPhase && phase.Schedule.RestartsSelection) BestValue = Selection.Metric.Worst;
            _context.LearningRate = (float)phase.Schedule.LearningRate;
            for (var epoch = PhaseEpochsDone + 1; epoch <= phase.Schedule.Epochs; epoch++)
            {
                cancel.ThrowIfCancellationRequested();
                RunEpoch(phase, epoch);
            }
            PhaseIndex++;
            PhaseEpochsDone = 0;
            PhaseIterations = 0;
        }
        if (_best is not null) Store.Restore(_best);
    }

    private void RunEpoch(Phase phase, int epoch)
    {
        var clock = Stopwatch.StartNew();
        var validationBefore = ValidationSeconds;
        var rowsBefore = RowsTrained;
        var resumeAt = _resumeAt;
        _resumeAt = null;
        (_epochLoss, _epochSteps) = resumeAt is null ? (0, 0) : (resumeAt.Loss, resumeAt.Steps);
        _context.Epoch = epoch;
        _part = Sync?.BeforeEpoch(EpochsDone + 1) ?? (0, 1);
        for (var p = resumeAt?.Pass ?? 0; p < phase.Passes.Count; p++)
            RunPass(phase.Passes[p], p, epoch, phase, skip: p == resumeAt?.Pass ? resumeAt.Batches : 0);
        _position = (0, 0);
        Sync?.AfterEpoch(EpochsDone + 1, Store);
        clock.Stop();
        var seconds = clock.Elapsed.TotalSeconds - (ValidationSeconds - validationBefore);
        TrainSeconds += seconds;
        var best = Coordinates && Validate(phase, EpochsDone + 1);
        var validLoss = !Coordinates ? double.NaN : Selection.Metric == SelectionMetric.Loss ? _lastValidation : TimeValidation(() => Scorer.LogLoss(Validation));
        // A finite blow-up (lr 1e9 gave 7e26) is divergence as NaN is: past a wrong prediction's clipped logloss on average, the
        // logits are beyond anything the metrics tell apart. Refused before the epoch is checkpointed or kept.
        if (validLoss > Evaluation.Metrics.MaxLogLoss)
            // The figure is the unclipped BCE, which has no ceiling; the clipped logloss the table prints stops at the bound it passed.
            throw new TrainingDivergedException($"the validation loss (the mean BCE of the unclipped logits) became {validLoss:G3} at epoch {EpochsDone + 1} ({phase.Name}), " +
                $"past {Evaluation.Metrics.MaxLogLoss:F1}, the most the clipped logloss reaches (every row predicted wrong with full confidence, " +
                $"probabilities clipped at {Evaluation.Metrics.LogLossEpsilon:G1}); lower --lr");
        EpochsDone++;
        PhaseEpochsDone = epoch;
        // The hook runs before the checkpoint of the phase's last epoch, so what it keeps is saved with it.
        if (epoch == phase.Schedule.Epochs) phase.OnCompleted?.PhaseCompleted(_context);
        EpochTrained?.Invoke(EpochsDone);
        if (_checkpointDir is not null)
        {
            if (best) SaveBest();
            Checkpoint.Save(Path.Combine(_checkpointDir, Checkpoint.LastFileName), Store, State, Plan.StatefulParts);
        }
        _observer?.OnEpoch(new EpochSummary(EpochsDone, _epochSteps == 0 ? double.NaN : _epochLoss / _epochSteps, validLoss, best,
            seconds, (RowsTrained - rowsBefore) / seconds, phase.Name, Selection.Metric.ToString(), _lastValidation,
            !best && BestEpoch == EpochsDone ? BestStep : null, Validated: Coordinates));
    }

    /// <summary>
    /// Measures the selection metric now (once per step: the epoch's end reuses a validation
    /// its last step already made) and, in a phase that competes, keeps the parameters when
    /// they are the best so far. Returns whether they were.
    /// </summary>
    private bool Validate(Phase phase, int epoch)
    {
        if (_lastValidatedStep == Iterations) return _lastWasBest;
        _lastValidatedStep = Iterations;
        _lastValidation = TimeValidation(() => Selection.Measure(this));
        Validations++;
        _lastWasBest = phase.Schedule.CompetesForBest && Selection.Metric.Improves(_lastValidation, BestValue);
        if (!_lastWasBest) return false;
        BestValue = _lastValidation;
        BestEpoch = epoch;
        BestStep = Iterations;
        TimeValidation(() => { _best = Store.Snapshot(reuse: _best); });
        return true;
    }

    private double TimeValidation(Func<double> measure)
    {
        var value = 0.0;
        TimeValidation(() => { value = measure(); });
        return value;
    }

    private void TimeValidation(Action work)
    {
        var started = Stopwatch.GetTimestamp();
        work();
        ValidationSeconds += Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private void SaveBest() => Checkpoint.Save(Path.Combine(_checkpointDir!, Checkpoint.BestFileName), Store, State, Plan.StatefulParts);

    public RunState State => new(Settings, EpochsDone, Iterations, BestValue, BestEpoch, PhaseIndex, PhaseEpochsDone, PhaseIterations, Fingerprint, BestStep, Validations,
        _position == (0, 0) ? null : new EpochPosition(_position.Pass, _position.Batches, _epochLoss, _epochSteps), Data.ReadParts, Data.LakeListing);

    /// <summary>Continues a run from its last checkpoint, with the same settings and batches, where it was taken: at an epoch's end, or inside one (--checkpoint-every).</summary>
    public void Resume(string lastCheckpoint, string? bestCheckpoint)
    {
        if (_checkpoints.LoadBest(lastCheckpoint, bestCheckpoint)) _best = Store.Snapshot(reuse: _best);
        var run = _checkpoints.LoadLast(lastCheckpoint);
        (EpochsDone, Iterations, BestValue, BestEpoch, BestStep, Validations) = (run.EpochsDone, run.Iterations, run.BestValue, run.BestEpoch, run.BestStep, run.Validations);
        (PhaseIndex, PhaseEpochsDone, PhaseIterations) = (run.PhaseIndex, run.PhaseEpochsDone, run.PhaseIterations);
        _resumeAt = run.Position;
    }

    /// <summary>Loads a checkpoint's parameters and parts' state (for eval and export), refusing one trained on other data.</summary>
    public CheckpointHeader Load(string checkpoint) => _checkpoints.Load(checkpoint);

    /// <summary>
    /// One pass of mini-batches: each batch through the pass's transform and step program. The
    /// first <paramref name="skip"/> batches, trained before a mid-epoch checkpoint this run resumed
    /// from, are drawn (so that the batches after them are the same) but not trained again.
    /// </summary>
    private void RunPass(Pass pass, int passIndex, int epoch, Phase phase, long skip)
    {
        var set = pass.Data.Rows(Data);
        var ng = pass.Data.UnlabeledPerRow;
        var batches = set.Batches(Settings.LabeledPerStep(ng), ng, ng > 0 ? Sampler : null, Settings.Seed * 7919 + pass.Data.Stream!.Value);
        // A worker's part of an epoch is about its share of the batches (exactly, for a log held in memory).
        var total = (batches.BatchCount + _part.Parts - 1 - _part.Part) / _part.Parts;
        var clock = Stopwatch.StartNew();
        var done = 0;
        var rowsBefore = RowsTrained;
        using var prefetcher = new BatchPrefetcher(_part.Parts > 1 ? batches.Epoch(epoch, _part.Part, _part.Parts) : batches.Epoch(epoch));
        for (var skipped = 0L; skipped < skip && prefetcher.MoveNext(); skipped++) prefetcher.PrepareNext();
        done = (int)skip;
        while (prefetcher.MoveNext())
        {
            _cancel.ThrowIfCancellationRequested();
            var batch = prefetcher.Current;
            Rows.Set(batch.Users, batch.Items, batch.Labels, batch.LabeledCount,
                batch.UniqueUsers, batch.UserSlots, batch.UniqueItems, batch.ItemSlots);
            var labeled = batch.LabeledCount;
            prefetcher.PrepareNext();    // the next batch is drawn while this one trains
            _context.Iteration = Iterations;
            _context.PhaseIteration = PhaseIterations;
            pass.Transform?.Apply(_context, Rows);
            var loss = pass.Program.Step(_context, Rows, pass.Objective);
            if (!float.IsFinite(loss))
                throw new TrainingDivergedException($"the loss became {loss} at epoch {EpochsDone + 1}, step {Iterations + 1} ({pass.Name}); lower --lr");
            Iterations++;
            PhaseIterations++;
            RowsTrained += labeled;
            _epochLoss += loss;
            _epochSteps++;
            done++;
            if (_observer is not null && (done % 16 == 0 || done == total))
                _observer.OnBatch(EpochsDone + 1, pass.Name, done, total, loss, (RowsTrained - rowsBefore) / Math.Max(clock.Elapsed.TotalSeconds, 1e-9));
            if (Settings.EvalEvery > 0 && Iterations % Settings.EvalEvery == 0 && phase.Schedule.CompetesForBest && Validate(phase, EpochsDone + 1) && _checkpointDir is not null)
                TimeValidation(SaveBest);
            _position = (passIndex, done);
            // Not after an epoch's last batch: its end saves the epoch whole.
            if (Settings.CheckpointEvery > 0 && Iterations % Settings.CheckpointEvery == 0 && _checkpointDir is not null && (done < total || passIndex < phase.Passes.Count - 1))
                Checkpoint.Save(Path.Combine(_checkpointDir, Checkpoint.LastFileName), Store, State, Plan.StatefulParts);
        }
    }

    /// <summary>
    /// DenoisingRec's validation for implicit feedback (all labels positive): each positive
    /// with one negative sampled among the user's unseen items, seeded by the split seed so
    /// that every run on the split is judged on the same rows.
    /// </summary>
    private static LabeledSet ValidationRows(PreparedDataset data, UnlabeledSampler sampler, int seed)
    {
        var valid = data.Valid;
        var hasNegative = false;
        for (var r = 0; r < valid.Count && !hasNegative; r++) hasNegative = valid.Labels[r] < 0.5f;
        if (hasNegative || valid.Count == 0) return valid;
        var n = valid.Count;
        var rows = new LabeledSet(new int[2 * n], new int[2 * n], new float[2 * n]);
        valid.CopyUsers(0, rows.Users.AsSpan(0, n));   // not valid.Users: grouped validation rows would keep that column
        rows.Users.AsSpan(0, n).CopyTo(rows.Users.AsSpan(n));
        valid.Items.AsSpan(0, n).CopyTo(rows.Items);
        for (var r = 0; r < n; r++) rows.Labels[r] = valid.Labels[r];
        sampler.Sample(rows.Users.AsSpan(0, n), 1, rows.Items.AsSpan(n), new SavableRandom(seed));
        return rows;
    }

    public void Dispose()
    {
        Selection.Dispose();
        _context.Dispose();
        Engine.Dispose();
        _best?.Dispose();
        // A device store's memory is the GPU's: freed with its run, not at the collector's leisure.
        if (Store is DeviceParameterStore device) device.Dispose();
    }
}
