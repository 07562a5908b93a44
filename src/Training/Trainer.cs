using System.Diagnostics;
using InverseLearning.Data;
using InverseLearning.Training.Artifacts;
using InverseLearning.Training.Evaluation;
using InverseLearning.Training.Graph;
using InverseLearning.Training.Methods;
using InverseLearning.Training.Optimizers;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training;

/// <summary>Receives progress from a run (the CLI draws it; tests ignore it).</summary>
public interface ITrainingObserver
{
    void OnBatch(int epoch, string phase, int done, int total, float loss, double rowsPerSecond);
    void OnEpoch(EpochSummary summary);
}

public sealed record EpochSummary(int Epoch, double TrainLoss, double ValidLoss, bool Best, double Seconds, double RowsPerSecond);

/// <summary>
/// Composes a model, a method and an optimizer over a prepared dataset: runs epochs
/// (the method decides what an epoch is), validates after each, keeps the best
/// parameters by validation loss, and checkpoints.
/// </summary>
public sealed class Trainer : IDisposable
{
    private readonly Dictionary<string, GraphSession> _sessions = [];
    private readonly ITrainingObserver? _observer;
    private float[][]? _best;
    private double _epochLoss;
    private int _epochSteps;

    public Trainer(TrainSettings settings, PreparedDataset data, ITrainingObserver? observer = null)
    {
        settings.Validate();
        Settings = settings;
        Data = data;
        _observer = observer;
        Sampler = UnlabeledSamplers.Create(settings.UnlabeledSource, settings.UnlabeledMix, data);
        Method = MethodFactory.Create(settings, Sampler, data.Users.Count);
        var model = Models.ModelFactory.Create(settings.Model, settings.Dim, settings.Layers, settings.Dropout, settings.Seed);
        var optimizer = OptimizerFactory.Create(settings.Optimizer);
        Store = new ParameterStore(model, data.Users.Count, data.Items.Count, optimizer.StateNames.Count, settings.Seed);
        var maxRows = settings.BatchSize * (1 + settings.Ng);
        Engine = new TrainingEngine(Store, optimizer, new ExecutionDevice(settings.Device, settings.Threads), maxRows);
        Rows = new StepRows(maxRows, data.Items.Count);
    }

    public TrainSettings Settings { get; }
    public PreparedDataset Data { get; }
    public TrainingMethod Method { get; }
    public ParameterStore Store { get; }
    public TrainingEngine Engine { get; }
    public StepRows Rows { get; }
    public UnlabeledSampler Sampler { get; }

    /// <summary>Steps taken so far (T in T-CE's schedule).</summary>
    public long Iterations { get; private set; }
    public int EpochsDone { get; private set; }
    public double BestValidLoss { get; private set; } = double.PositiveInfinity;
    public int BestEpoch { get; private set; }
    public double TrainSeconds { get; private set; }
    public long RowsTrained { get; private set; }

    /// <summary>Called after each epoch (e.g. for the IDL annotation analyses).</summary>
    public event Action<int>? EpochCompleted;

    /// <summary>A compiled step for an objective, built once per run and reused.</summary>
    public GraphSession StepSession(string key, Func<WorkingSetInputs, Value, Value> objective)
    {
        if (!_sessions.TryGetValue(key, out var session)) _sessions[key] = session = Engine.CreateStep(objective);
        return session;
    }

    public GraphSession CandidateSession(Func<WorkingSetInputs, Value, Value> sampleObjective)
    {
        const string key = "ig-candidates";
        if (!_sessions.TryGetValue(key, out var session)) _sessions[key] = session = Engine.CreateCandidates(sampleObjective);
        return session;
    }

    /// <summary>Trains for the remaining epochs, then restores the best parameters.</summary>
    public void Run(string? checkpointDir = null, CancellationToken cancel = default)
    {
        for (var epoch = EpochsDone + 1; epoch <= Settings.Epochs; epoch++)
        {
            cancel.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            var rowsBefore = RowsTrained;
            _epochLoss = 0;
            _epochSteps = 0;
            Method.RunEpoch(this, epoch);
            clock.Stop();
            TrainSeconds += clock.Elapsed.TotalSeconds;
            var validLoss = LogLoss(Data.Valid);
            var best = validLoss < BestValidLoss;
            if (best)
            {
                BestValidLoss = validLoss;
                BestEpoch = epoch;
                _best = Store.Snapshot();
                if (checkpointDir is not null) Checkpoint.Save(Path.Combine(checkpointDir, "checkpoint"), Store, State);
            }
            EpochsDone = epoch;
            if (checkpointDir is not null) Checkpoint.Save(Path.Combine(checkpointDir, "last.checkpoint"), Store, State);
            _observer?.OnEpoch(new EpochSummary(epoch, _epochSteps == 0 ? double.NaN : _epochLoss / _epochSteps, validLoss, best,
                clock.Elapsed.TotalSeconds, (RowsTrained - rowsBefore) / clock.Elapsed.TotalSeconds));
            EpochCompleted?.Invoke(epoch);
        }
        if (_best is not null) Store.Restore(_best);
    }

    public RunState State => new(Settings, EpochsDone, Iterations, BestValidLoss, BestEpoch);

    /// <summary>Continues a run from its last checkpoint: same settings, same batches from the next epoch on.</summary>
    public void Resume(string lastCheckpoint, string? bestCheckpoint)
    {
        if (bestCheckpoint is not null && File.Exists(bestCheckpoint))
        {
            Checkpoint.Load(bestCheckpoint, Store);
            _best = Store.Snapshot();
        }
        var header = Checkpoint.Load(lastCheckpoint, Store);
        EpochsDone = header.Run.EpochsDone;
        Iterations = header.Run.Iterations;
        BestValidLoss = header.Run.BestValidLoss;
        BestEpoch = header.Run.BestEpoch;
    }

    /// <summary>The default epoch: one pass over all training rows with the method's objective.</summary>
    public void PlainEpoch(TrainingMethod method, int epoch)
    {
        var step = StepSession(method.Name, method.Loss);
        RunPass(Data.Train, method.UsesUnlabeledRows ? Settings.Ng : 0, epoch, "train", rows =>
        {
            method.BeforeStep(Engine, rows, epoch);
            return Engine.Step(step, rows, (float)Settings.LearningRate, Settings.FreshOptimizer,
                extraInputs: s => method.BindExtraInputs(s, rows, Iterations));
        });
    }

    /// <summary>
    /// One pass of mini-batches over <paramref name="set"/> (with <paramref name="ng"/>
    /// unlabeled rows per labeled row), calling <paramref name="step"/> for each; returns the mean loss.
    /// </summary>
    public double RunPass(LabeledSet set, int ng, int epoch, string phase, Func<StepRows, float> step, int salt = 0)
    {
        var batches = new BatchIterator(set, Settings.BatchSize, ng, ng > 0 ? Sampler : null, Settings.Seed * 7919 + salt);
        var total = (set.Count + Settings.BatchSize - 1) / Settings.BatchSize;
        var clock = Stopwatch.StartNew();
        var done = 0;
        var rowsBefore = RowsTrained;
        double sum = 0;
        foreach (var batch in batches.Epoch(epoch))
        {
            Rows.Set(batch.Users, batch.Items, batch.Labels, batch.LabeledCount,
                batch.UniqueUsers, batch.UserSlots, batch.UniqueItems, batch.ItemSlots);
            var loss = step(Rows);
            if (!float.IsFinite(loss))
                throw new TrainingDivergedException($"the loss became {loss} at epoch {epoch}, step {Iterations + 1} ({phase}); lower --lr");
            Iterations++;
            RowsTrained += batch.LabeledCount;
            sum += loss;
            _epochLoss += loss;
            _epochSteps++;
            done++;
            if (_observer is not null && (done % 16 == 0 || done == total))
                _observer.OnBatch(epoch, phase, done, total, loss, (RowsTrained - rowsBefore) / Math.Max(clock.Elapsed.TotalSeconds, 1e-9));
        }
        return done == 0 ? double.NaN : sum / done;
    }

    /// <summary>Logits for every row of <paramref name="set"/>.</summary>
    public float[] Logits(LabeledSet set)
    {
        var logits = new float[set.Count];
        Engine.Score(set.Users.AsSpan(0, set.Count), set.Items.AsSpan(0, set.Count), logits);
        return logits;
    }

    /// <summary>Mean BCE of the model on <paramref name="set"/> (the validation loss that picks the best epoch).</summary>
    public double LogLoss(LabeledSet set)
    {
        var logits = Logits(set);
        double sum = 0;
        for (var r = 0; r < set.Count; r++)
        {
            double s = logits[r];
            sum += Math.Max(s, 0) - s * set.Labels[r] + Math.Log(1 + Math.Exp(-Math.Abs(s)));
        }
        return set.Count == 0 ? double.NaN : sum / set.Count;
    }

    /// <summary>The paper's metrics on <paramref name="set"/>, against <paramref name="labels"/> (the set's own by default).</summary>
    public RankingMetrics Evaluate(LabeledSet set, float[]? labels = null)
    {
        var logits = Logits(set);
        var probabilities = new float[logits.Length];
        for (var r = 0; r < logits.Length; r++) probabilities[r] = 1f / (1f + MathF.Exp(-logits[r]));
        return Metrics.Compute(set.Users.AsSpan(0, set.Count), (labels ?? set.Labels).AsSpan(0, set.Count), probabilities);
    }

    public void Dispose()
    {
        foreach (var session in _sessions.Values) session.Dispose();
        Engine.Dispose();
    }
}

/// <summary>The loss stopped being a number; the message says when and what to try.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);
