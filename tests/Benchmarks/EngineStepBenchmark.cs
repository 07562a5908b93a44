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
/// meta-step against a plain BCE step. CDAE's step also follows its users' histories: its
/// catalogue check draws every history from the same pool of items, so both catalogues
/// step on the same distinct history rows and only the tables' sizes differ.
/// </summary>
public sealed class EngineStepBenchmark : IBenchmark
{
    private const int Batch = 1024, Steps = 300, Warmup = 30, Blocks = 10, HistoryLength = 20, HistoryPool = 10_000;

    public string Name => "engine";

    public void Run(string workDir, TextWriter report)
    {
        report.WriteLine($"Each pair is timed in {Blocks} alternating blocks of {Steps / Blocks} steps (load drifting over the run hits both alike); ms / step is the median block's wall time, CPU ms / step its process CPU time (less sensitive to other processes' load; ORT's worker threads included).");
        report.WriteLine();
        report.WriteLine("| model | catalogue | ms / step | CPU ms / step | labeled rows/s | outside ORT |");
        report.WriteLine("|---|---:|---:|---:|---:|---:|");
        var gmf = Compare(report, ("gmf", 10_000, 10_000), ("gmf", 1_000_000, 1_000_000))[0];
        Compare(report, ("neumf", 10_000, 10_000));
        report.WriteLine();
        report.WriteLine($"GMF step time, 1M items / 10k items: {gmf.Wall:F2}x wall, {gmf.Cpu:F2}x CPU");
        report.WriteLine();

        report.WriteLine($"CDAE, {HistoryLength} history items per user, drawn from the first {HistoryPool:N0} items (on 10k items: the catalogue) or from the whole catalogue:");
        report.WriteLine();
        report.WriteLine("| model | catalogue | history from | distinct history rows / step | ms / step | CPU ms / step | labeled rows/s | outside ORT |");
        report.WriteLine("|---|---:|---|---:|---:|---:|---:|---:|");
        // On 10k items the pool is the whole catalogue: one 10k row serves both ratios.
        var ratios = Compare(report, ("cdae", 10_000, HistoryPool), ("cdae", 1_000_000, HistoryPool), ("cdae", 1_000_000, 1_000_000));
        var (pool, uniform) = (ratios[0], ratios[1]);
        report.WriteLine();
        report.WriteLine($"CDAE step time, same history pool, 1M items / 10k items: {pool.Wall:F2}x wall, {pool.Cpu:F2}x CPU (the catalogue check, issue 9: at most 1.2x)");
        report.WriteLine($"CDAE step time, histories from the whole catalogue, 1M items / 10k items: {uniform.Wall:F2}x wall, {uniform.Cpu:F2}x CPU (more distinct history rows: cost follows the history)");

        var (plain, fused, twoRuns) = MeasureIg();
        report.WriteLine($"IG meta-step / plain BCE step, GMF 10k items: fused {fused:F3} ms / {plain:F3} ms = {fused / plain:F2}x; as two runs (candidates, then the step) {twoRuns:F3} ms = {twoRuns / plain:F2}x");
    }

    /// <summary>Times the configurations (model, items, history pool) in alternating blocks, reports a row each, and returns each later one's medians over the first's.</summary>
    private static (double Wall, double Cpu)[] Compare(TextWriter report, params (string Model, int Items, int HistoryPool)[] configurations)
    {
        var timed = configurations.Select(c => new Timed(c.Model, c.Items, c.HistoryPool)).ToArray();
        try
        {
            for (var b = 0; b < Blocks; b++)
                foreach (var t in timed) t.Block(Steps / Blocks);
            foreach (var t in timed) t.Report(report);
            return timed[1..].Select(t => (t.MedianMs / timed[0].MedianMs, t.MedianCpuMs / timed[0].MedianCpuMs)).ToArray();
        }
        finally
        {
            foreach (var t in timed) t.Dispose();
        }
    }

    /// <summary>One configuration's engine and step, warmed up, with its timed blocks.</summary>
    private sealed class Timed : IDisposable
    {
        private readonly EngineSetup _setup;
        private readonly StepContext _stepContext;
        private readonly GraphSession _step;
        private readonly string _model;
        private readonly int _items, _pool;
        private readonly List<double> _blockMs = [], _blockCpuMs = [];
        private readonly TimeSpan _ortBefore;
        private readonly Process _process = Process.GetCurrentProcess();
        private TimeSpan _engineTime, _engineCpu;
        private long _historyRows, _steps;

        public Timed(string model, int items, int pool)
        {
            (_model, _items, _pool) = (model, items, pool);
            _setup = new EngineSetup(model, items, pool, Batch);
            _stepContext = new StepContext(_setup.Engine, freshOptimizer: false);
            _step = _stepContext.Compile(new Objective("step", Objectives.Bce));
            for (var s = 0; s < Warmup; s++) Step();
            (_engineTime, _historyRows, _steps, _ortBefore) = (TimeSpan.Zero, 0, 0, _step.TimeInRuntime);
        }

        public double MedianMs => Median(_blockMs);
        public double MedianCpuMs => Median(_blockCpuMs);

        private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

        public void Block(int steps)
        {
            var (before, cpuBefore) = (_engineTime, _engineCpu);
            for (var s = 0; s < steps; s++) Step();
            _blockMs.Add((_engineTime - before).TotalMilliseconds / steps);
            _blockCpuMs.Add((_engineCpu - cpuBefore).TotalMilliseconds / steps);
        }

        private void Step()
        {
            _setup.NextBatch();
            var (started, cpu) = (Stopwatch.GetTimestamp(), _process.TotalProcessorTime);
            _setup.Engine.Step(_step, _setup.Rows, 1e-3f);
            _engineTime += Stopwatch.GetElapsedTime(started);
            _process.Refresh();
            _engineCpu += _process.TotalProcessorTime - cpu;
            _historyRows += (_setup.Engine.WorkingSet.Feed as HistoryRows)?.UniqueItemCount ?? 0;
            _steps++;
        }

        /// <summary>A table row; a CDAE row also gives where its histories come from and its mean distinct history rows per step.</summary>
        public void Report(TextWriter report)
        {
            var outside = 1 - (_step.TimeInRuntime - _ortBefore).TotalMilliseconds / _engineTime.TotalMilliseconds;
            var history = _setup.Engine.WorkingSet.Feed is null ? "" : $" {(_pool == _items ? "catalogue" : $"first {_pool:N0}")} | {_historyRows / (double)_steps:N0} |";
            report.WriteLine($"| {_model} | {_items:N0} |{history} {MedianMs:F3} | {MedianCpuMs:F3} | {Batch / MedianMs * 1000:N0} | {outside:P0} |");
        }

        public void Dispose()
        {
            _stepContext.Dispose();
            _setup.Dispose();
        }
    }

    /// <summary>
    /// Milliseconds per step of a plain BCE step, IG's fused meta-step, and the meta-step as two
    /// runs (candidates, then the BCE step from the chosen one: the engine before fusing), in
    /// alternating blocks so that load drifting over the run hits all three alike; the median
    /// block of each. Only the steps are timed, not the batches' preparation.
    /// </summary>
    public static (double Plain, double Fused, double TwoRuns) MeasureIg(EngineSetup? on = null)
    {
        const int Rounds = 7, BlockSteps = 60;
        using var setup = on ?? new EngineSetup("gmf", 10_000, 10_000, Batch);
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
}
