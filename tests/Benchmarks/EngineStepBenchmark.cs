using System.Diagnostics;
using InverseLearning.Training.Methods;
using InverseLearning.Training.Methods.InverseGradient;
using InverseLearning.Training.Plans;
using InverseLearning.Training.Reports;
using InverseLearning.Training.Models;
using InverseLearning.Training.Optimizers;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Benchmarks;

/// <summary>
/// Step cost of the training engine on random batches (batch 1024, one unlabeled row per
/// labeled row, 2 threads): GMF and NeuMF throughput, the 10k- versus 1M-item catalogue
/// ratio (cost must follow the batch), the share of time spent outside ORT, and IG's
/// meta-step against a plain BCE step.
/// </summary>
public sealed class EngineStepBenchmark : IBenchmark
{
    private const int Batch = 1024, Users = 40_000, Steps = 300, Warmup = 30, HistoryLength = 20;

    public string Name => "engine";

    public void Run(string workDir, TextWriter report)
    {
        report.WriteLine("| model | catalogue | ms / step | labeled rows/s | outside ORT |");
        report.WriteLine("|---|---:|---:|---:|---:|");
        var gmf10k = Measure(report, "gmf", 10_000);
        var gmf1m = Measure(report, "gmf", 1_000_000);
        Measure(report, "neumf", 10_000);
        report.WriteLine();
        var cdae10k = Measure(report, "cdae", 10_000);
        var cdae1m = Measure(report, "cdae", 1_000_000);
        report.WriteLine();
        report.WriteLine($"GMF step time, 1M items / 10k items: {gmf1m / gmf10k:F2}x");
        report.WriteLine($"CDAE step time ({HistoryLength} history items per user), 1M items / 10k items: {cdae1m / cdae10k:F2}x");

        var (plain, fused, twoRuns) = MeasureIg();
        report.WriteLine($"IG meta-step / plain BCE step, GMF 10k items: fused {fused:F3} ms / {plain:F3} ms = {fused / plain:F2}x; as two runs (candidates, then the step) {twoRuns:F3} ms = {twoRuns / plain:F2}x");
    }

    private static double Measure(TextWriter report, string modelName, int items)
    {
        using var setup = new Setup(modelName, items);
        using var step = setup.Engine.CreateStep(Objectives.Bce);
        var engineTime = TimeSpan.Zero;
        var ortBefore = TimeSpan.Zero;
        for (var s = 0; s < Warmup + Steps; s++)
        {
            if (s == Warmup) { engineTime = TimeSpan.Zero; ortBefore = step.TimeInRuntime; }
            setup.NextBatch();
            var started = Stopwatch.GetTimestamp();
            setup.Engine.Step(step, setup.Rows, 1e-3f);
            engineTime += Stopwatch.GetElapsedTime(started);
        }
        var perStep = engineTime.TotalMilliseconds / Steps;

        var outside = 1 - (step.TimeInRuntime - ortBefore).TotalMilliseconds / engineTime.TotalMilliseconds;
        report.WriteLine($"| {modelName} | {items:N0} | {perStep:F3} | {Batch / perStep * 1000:N0} | {outside:P0} |");
        return perStep;
    }

    /// <summary>
    /// Milliseconds per step of a plain BCE step, IG's fused meta-step, and the meta-step as two
    /// runs (candidates, then the BCE step from the chosen one: the engine before fusing), in
    /// alternating blocks so that load drifting over the run hits all three alike; the median
    /// block of each. Only the steps are timed, not the batches' preparation.
    /// </summary>
    private static (double Plain, double Fused, double TwoRuns) MeasureIg()
    {
        const int Rounds = 7, BlockSteps = 60;
        using var setup = new Setup("gmf", 10_000);
        using var context = new StepContext(setup.Engine, freshOptimizer: false) { LearningRate = 1e-3f, Epoch = 1 };
        var bce = new Objective("labeled-bce", Objectives.LabeledBce);
        var metaStep = new CandidateStep(1e-3f);
        void TwoRuns()
        {
            var chosen = metaStep.Evaluate(context, setup.Rows).Choose();
            var from = chosen switch { IgCase.Direct => metaStep.Plus, IgCase.Inverse => metaStep.Minus, _ => null };
            setup.Engine.Step(context.Compile(bce), setup.Rows, context.LearningRate, from: from, gathered: true);
        }
        Action[] kinds = [() => PlainStep.Instance.Step(context, setup.Rows, bce), () => metaStep.Step(context, setup.Rows, bce), TwoRuns];
        var blocks = kinds.Select(_ => new List<double>()).ToArray();
        for (var round = -1; round < Rounds; round++)     // round -1 warms every kind up
            for (var k = 0; k < kinds.Length; k++)
            {
                var elapsed = 0L;
                for (var s = 0; s < BlockSteps; s++)
                {
                    setup.NextBatch();
                    var started = Stopwatch.GetTimestamp();
                    kinds[k]();
                    elapsed += Stopwatch.GetTimestamp() - started;
                }
                if (round >= 0) blocks[k].Add(Stopwatch.GetElapsedTime(0, elapsed).TotalMilliseconds / BlockSteps);
            }
        double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
        return (Median(blocks[0]), Median(blocks[1]), Median(blocks[2]));
    }

    /// <summary>A model, its engine, and random batches with their working sets.</summary>
    private sealed class Setup : IDisposable
    {
        private readonly Random _rng = new(1);
        private readonly int _items;
        private readonly int[] _users = new int[2 * Batch], _itemsOfRows = new int[2 * Batch], _userSlots = new int[2 * Batch], _itemSlots = new int[2 * Batch];
        private readonly float[] _labels = new float[Batch];
        private readonly Dictionary<int, int> _userIndex = [], _itemIndex = [];
        private readonly List<int> _uniqueUsers = [], _uniqueItems = [];

        public Setup(string modelName, int items)
        {
            _items = items;
            var model = ModelFactory.Create(modelName, 32, 3, corruption: 0.2, history: () => RandomHistory(items));
            var store = new ParameterStore(model, Users + 1, items + 1, 2, seed: 1);
            Engine = new TrainingEngine(store, new Adam(), new ExecutionDevice("cpu", 2), 2 * Batch);
            Rows = new StepRows(2 * Batch, items + 1);
        }

        public TrainingEngine Engine { get; }
        public StepRows Rows { get; }

        // CDAE's input: every user holds HistoryLength items drawn uniformly from the catalogue.
        private static UserHistory RandomHistory(int items)
        {
            var rng = new Random(2);
            var offsets = Enumerable.Range(0, Users + 2).Select(u => Math.Max(0, u - 1) * HistoryLength).ToArray();
            var history = new int[Users * HistoryLength];
            for (var k = 0; k < history.Length; k++) history[k] = 1 + rng.Next(items);
            return new UserHistory(offsets, history);
        }

        public void NextBatch()
        {
            _userIndex.Clear(); _itemIndex.Clear(); _uniqueUsers.Clear(); _uniqueItems.Clear();
            for (var r = 0; r < 2 * Batch; r++)
            {
                var user = r < Batch ? 1 + _rng.Next(Users) : _users[r - Batch];
                var item = 1 + _rng.Next(_items);
                _users[r] = user;
                _itemsOfRows[r] = item;
                _userSlots[r] = Slot(_userIndex, _uniqueUsers, user);
                _itemSlots[r] = Slot(_itemIndex, _uniqueItems, item);
                if (r < Batch) _labels[r] = _rng.Next(2);
            }
            Rows.Set(_users, _itemsOfRows, _labels, Batch, _uniqueUsers.ToArray(), _userSlots, _uniqueItems.ToArray(), _itemSlots);
        }

        private static int Slot(Dictionary<int, int> index, List<int> unique, int id)
        {
            if (index.TryGetValue(id, out var slot)) return slot;
            index[id] = unique.Count;
            unique.Add(id);
            return unique.Count - 1;
        }

        public void Dispose() => Engine.Dispose();
    }
}
