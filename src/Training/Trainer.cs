using System.Diagnostics;
using InverseLearning.Data;
using InverseLearning.Training.Artifacts;
using InverseLearning.Training.Evaluation;
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
/// optimizer state, where the plan stands, its parts' state).
/// It knows nothing of any method: methods and strategies build the plan.
/// </summary>
public sealed class Trainer : IDisposable
{
    private readonly ITrainingObserver? _observer;
    private readonly StepContext _context;
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
        Fingerprint = DataFingerprint.Of(data);
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

    /// <summary>A strategy's rewrite of the scores (colliding inference), once set up after training: every score the trainer reports then goes through it.</summary>
    public IScoreWrapper? Scores { get; set; }

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
        while (PhaseIndex < Plan.Phases.Count)
        {
            var phase = Plan.Phases[PhaseIndex];
            if (PhaseEpochsDone == 0 && phase.Schedule.ResetOptimizer) Store.ResetOptimizer();
            if (PhaseEpochsDone == 0 && phase.Schedule.RestartsSelection) BestValue = Selection.Metric.Worst;
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
        var validLoss = !Coordinates ? double.NaN : Selection.Metric == SelectionMetric.Loss ? _lastValidation : TimeValidation(() => LogLoss(Validation));
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
            !best && BestEpoch == EpochsDone ? BestStep : null));
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
        _position == (0, 0) ? null : new EpochPosition(_position.Pass, _position.Batches, _epochLoss, _epochSteps));

    /// <summary>Continues a run from its last checkpoint, with the same settings and batches, where it was taken: at an epoch's end, or inside one (--checkpoint-every).</summary>
    public void Resume(string lastCheckpoint, string? bestCheckpoint)
    {
        RequireSameData(lastCheckpoint);
        // Without it the run would end with its last parameters under its best epoch's name, in metrics.json and model.onnx.
        if (bestCheckpoint is not null && !File.Exists(bestCheckpoint) && Checkpoint.ReadHeader(lastCheckpoint).Run is { BestEpoch: > 0 } saved)
            throw new CheckpointException(bestCheckpoint, $"it does not exist, and would hold the parameters of the run's best epoch ({saved.BestEpoch}) beside {Path.GetFileName(lastCheckpoint)} " +
                $"(after epoch {saved.EpochsDone}): resume in the folder that holds both files");
        if (bestCheckpoint is not null && File.Exists(bestCheckpoint))
        {
            Checkpoint.Load(bestCheckpoint, Store, Plan.StatefulParts);
            _best = Store.Snapshot(reuse: _best);
        }
        var run = Checkpoint.Load(lastCheckpoint, Store, Plan.StatefulParts).Run;
        (EpochsDone, Iterations, BestValue, BestEpoch, BestStep, Validations) = (run.EpochsDone, run.Iterations, run.BestValue, run.BestEpoch, run.BestStep, run.Validations);
        (PhaseIndex, PhaseEpochsDone, PhaseIterations) = (run.PhaseIndex, run.PhaseEpochsDone, run.PhaseIterations);
        RequireScheduleAhead(run);
        _resumeAt = run.Position;
    }

    /// <summary>
    /// A resumed run's schedule may grow, not end before where its checkpoint is, nor change the phases it has finished: the
    /// phase's loop would skip what is left, and the run would record other epochs than its model was trained for.
    /// </summary>
    private void RequireScheduleAhead(RunState run)
    {
        if (PhaseIndex >= Plan.Phases.Count)
            throw new ArgumentException($"--resume: the checkpoint is in phase {PhaseIndex + 1} of its run, and these flags plan {Plan.Phases.Count} phase(s) " +
                $"({string.Join(", ", Plan.Phases.Select(p => p.Name))}); resume with the flags the run was started with");
        // The phases already done trained what the run's flags gave them then: other counts would be recorded, not trained.
        var finished = Plan.Phases.Take(PhaseIndex).ToList();
        if (finished.Sum(p => p.Schedule.Epochs) is var planned && planned != run.EpochsDone - run.PhaseEpochsDone)
            throw new ArgumentException($"--resume: the run's finished phase(s) ({string.Join(", ", finished.Select(p => p.Name))}) trained {run.EpochsDone - run.PhaseEpochsDone} epochs, " +
                $"and these flags give them {planned}; give {string.Join(" and ", finished.Select(p => p.Schedule.EpochsFlag).Distinct())} as the run was started");
        var phase = Plan.Phases[PhaseIndex];
        if (phase.Schedule.Epochs < PhaseEpochsDone)
            throw new ArgumentException($"--resume: the run has trained {PhaseEpochsDone} epochs of its {phase.Name} phase ({run.EpochsDone} in all), " +
                $"and {phase.Schedule.EpochsFlag} {phase.Schedule.Epochs} would end it before them; give {phase.Schedule.EpochsFlag} {PhaseEpochsDone} or more");
    }

    /// <summary>Loads a checkpoint's parameters and parts' state (for eval and export), refusing one trained on other data.</summary>
    public CheckpointHeader Load(string checkpoint)
    {
        RequireSameData(checkpoint);
        return Checkpoint.Load(checkpoint, Store, Plan.StatefulParts);
    }

    // Checked on the header first: another log would otherwise surface as a confusing shape mismatch.
    private void RequireSameData(string checkpoint)
    {
        if (Checkpoint.ReadHeader(checkpoint).Run.Data.Difference(Fingerprint) is { } difference)
            throw new CheckpointException(checkpoint, $"this log has {difference} (give the log, --where, --labels and its thresholds and the split flags it was trained with" +
                (RepeatsPairs ? "; this log repeats (user, item) pairs, whose rows a random split keeps in one part since 2026-12-06, as training-test keeps a pair's " +
                    "training rows on one side under a split column or by time: a checkpoint an earlier build trained on it was split otherwise, and is trained again)" : ")"));
    }

    /// <summary>Whether some (user, item) pair has more than one row: the distinct pairs are fewer than the rows.</summary>
    private bool RepeatsPairs =>
        Data.Seen.PairCount < (long)Data.TrainRows.Count + Data.Valid.Count + Data.Test.Count + Data.UnlabeledRowCount;

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

    // Rows scored at once: a set's user column is read a chunk at a time (a set grouped by user holds none).
    private const int ScoringChunk = 1 << 16;
    private readonly int[] _chunkUsers = new int[ScoringChunk];

    /// <summary>Logits for every row of <paramref name="set"/>.</summary>
    public float[] Logits(LabeledSet set)
    {
        var logits = new float[set.Count];
        for (var start = 0; start < set.Count; start += ScoringChunk)
            ScoreChunk(set, start, logits.AsSpan(start, Math.Min(ScoringChunk, set.Count - start)));
        return logits;
    }

    /// <summary>Logits of rows [<paramref name="start"/>, start + logits.Length) of <paramref name="set"/>, at most <see cref="ScoringChunk"/> of them.</summary>
    private void ScoreChunk(LabeledSet set, int start, Span<float> logits)
    {
        var users = _chunkUsers.AsSpan(0, logits.Length);
        set.CopyUsers(start, users);
        var items = set.Items.AsSpan(start, logits.Length);
        Engine.Score(users, items, logits);
        Scores?.Apply(Engine, users, items, logits);
    }

    /// <summary>Mean BCE of the model on <paramref name="set"/> (the validation loss that picks the best epoch), scored a chunk at a time.</summary>
    public double LogLoss(LabeledSet set)
    {
        var logits = new float[Math.Min(ScoringChunk, set.Count)];
        double sum = 0;
        for (var start = 0; start < set.Count; start += ScoringChunk)
        {
            var chunk = logits.AsSpan(0, Math.Min(ScoringChunk, set.Count - start));
            ScoreChunk(set, start, chunk);
            for (var k = 0; k < chunk.Length; k++)
            {
                double s = chunk[k];
                sum += Math.Max(s, 0) - s * set.Labels[start + k] + Math.Log(1 + Math.Exp(-Math.Abs(s)));
            }
        }
        return set.Count == 0 ? double.NaN : sum / set.Count;
    }

    /// <summary>The paper's metrics on <paramref name="set"/>, against <paramref name="labels"/> (the set's own by default).</summary>
    public RankingMetrics Evaluate(LabeledSet set, PackedLabels? labels = null)
    {
        // The arrays of the evaluation before (valid, then test, then clean test at a run's end) are garbage by now:
        // collected first, this one reuses their memory instead of adding to the peak.
        ReleasedArrays.Collect();
        // σ of the logits, in place: evaluation scores a fifth of the log, and every array here is bytes per impression.
        var probabilities = Logits(set);
        for (var r = 0; r < probabilities.Length; r++) probabilities[r] = 1f / (1f + MathF.Exp(-probabilities[r]));
        return set.UserOffsets is { } grouped
            ? Metrics.ComputeGrouped(grouped, labels ?? set.Labels, probabilities)
            : Metrics.Compute(set.Users.AsSpan(0, set.Count), labels ?? set.Labels, probabilities);
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
