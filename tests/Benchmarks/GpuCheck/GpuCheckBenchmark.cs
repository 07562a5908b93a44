using System.Diagnostics;
using System.Text.Json.Nodes;
using InverseLearning.Data;
using InverseLearning.Data.Simulation;
using InverseLearning.Training.Cli;
using InverseLearning.Training.Evaluation;
using InverseLearning.Training.Graph;
using InverseLearning.Training.Methods;
using InverseLearning.Training.Methods.InverseGradient;
using InverseLearning.Training.Models;
using InverseLearning.Training.Optimizers;
using InverseLearning.Training.Runtime;
using Microsoft.ML.OnnxRuntime;

namespace InverseLearning.Benchmarks.GpuCheck;

/// <summary>
/// Issue 24's GPU check (`make gpu-check` packs it for the GPU machine; README, "GPU check"):
/// does CUDA load, which training graphs would fall back to the CPU, do CUDA runs reach
/// the CPU's test AUC, and how fast are training steps, IG's meta-step, full ranking and
/// RankBatch on each device. GPU_CHECK_DEVICES lists the devices (cpu, or cpu,cuda);
/// without cuda, the resident store's runs are on the CPU and the CUDA-only steps say so.
/// GPU_CHECK_OUT is where gpu-check.json and train.log go. Every step runs under a time
/// limit (times GPU_CHECK_LIMIT_SCALE, for a slow machine); an exception or an overrun
/// becomes that step's "error" and the check goes on.
/// </summary>
public sealed class GpuCheckBenchmark : IBenchmark
{
    private static readonly string[] Models = ["gmf", "neumf", "lightgcn"];
    private static readonly string[] Methods = ["none", "ig"];
    private const int SmallBatch = 1024, LargeBatch = 16_384;
    private const double AucTolerance = 0.002, IgRatioGoal = 1.8, FullRankingGoalSeconds = 1.0;
    /// <summary>Issue 24's goals for CUDA's labeled rows/s over the CPU's at batch 16,384.</summary>
    private static readonly Dictionary<string, double> SpeedupGoals = new() { ["gmf"] = 3, ["neumf"] = 10, ["lightgcn"] = 20 };

    public string Name => "gpu";

    public void Run(string workDir, TextWriter report)
    {
        var settings = CheckSettings.FromEnvironment(workDir);
        if (settings.Error is { } error)
        {
            Console.Error.WriteLine($"error: {error}");
            Environment.Exit(2);
        }
        RunAsync(workDir, settings, report).GetAwaiter().GetResult();
    }

    private static async Task RunAsync(string workDir, CheckSettings settings, TextWriter report)
    {
        Directory.CreateDirectory(settings.OutDir);
        var json = new CheckReport(Path.Combine(settings.OutDir, "gpu-check.json"));
        var threads = Environment.ProcessorCount;
        var accelerated = settings.Devices.Contains("cuda") ? "cuda" : "cpu";
        json.Set("machine", new JsonObject
        {
            ["started_utc"] = DateTime.UtcNow.ToString("u"), ["cores"] = threads, ["devices"] = new JsonArray([.. settings.Devices.Select(d => JsonValue.Create(d))]),
            ["resident_device"] = accelerated, ["limit_scale"] = settings.LimitScale,
        });
        report.WriteLine($"devices {string.Join(",", settings.Devices)}, {threads} threads; writing {json.Path}");

        // The runs' own console output would bury the check's lines: it goes to train.log.
        var (stdout, stderr) = (Console.Out, Console.Error);
        await using var logFile = new StreamWriter(Path.Combine(settings.OutDir, "train.log")) { AutoFlush = true };
        var log = new ErrorLineWriter(logFile);
        Console.SetOut(log);
        Console.SetError(log);
        try
        {
            var check = new Check(workDir, settings, json, report, log, threads, accelerated);
            await check.RunAllAsync();
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
        json.Set("finished_utc", DateTime.UtcNow.ToString("u"));
    }

    private sealed class Check(string workDir, CheckSettings settings, CheckReport json, TextWriter report, ErrorLineWriter log, int threads, string accelerated)
    {
        private readonly bool _cuda = settings.Devices.Contains("cuda");
        private TrainRuns? _runs;

        public async Task RunAllAsync()
        {
            await Step("cuda_loads", 60, CudaLoads);
            await Step("fallbacks", 60, Fallbacks);
            await Step("equality", 240, Equality);
            await Step("throughput", 180, Throughput);
            await Step("step_profiles", 60, StepProfiles);
            await Step("ig_meta_step_ratio", 60, IgRatio);
            await Step("full_ranking", 90, FullRankingSeconds);
            await Step("rank_batch", 60, RankBatch);
        }

        /// <summary>Runs one step under its limit; its entry ends with "result" (its one-line summary) or "error".</summary>
        private async Task Step(string name, double limitSeconds, Func<StepEntry, Task<string>> body)
        {
            var limit = TimeSpan.FromSeconds(limitSeconds * settings.LimitScale);
            var entry = new StepEntry(json, name);
            report.WriteLine($"{name} (limit {limit.TotalSeconds:F0} s) …");
            var clock = Stopwatch.StartNew();
            string line;
            try
            {
                line = await Task.Run(() => body(entry)).WaitAsync(limit);
                entry.Put("seconds", Math.Round(clock.Elapsed.TotalSeconds, 1));
                entry.Close("result", line);
            }
            catch (TimeoutException)
            {
                line = $"timed out after {limit.TotalSeconds:F0} s; its work may still be running, and slows the steps after it";
                entry.Close("error", line);
                line = "error: " + line;
            }
            catch (Exception e)
            {
                // The check's own failures say what failed; anything else also needs its type to be understood.
                line = (e is InvalidOperationException ? "" : e.GetType().Name + ": ") + e.Message.Split('\n')[0];
                entry.Close("error", line);
                line = "error: " + line;
            }
            report.WriteLine($"  {name}: {line} ({clock.Elapsed.TotalSeconds:F1} s)");
        }

        private string Skipped(StepEntry entry)
        {
            const string reason = "cuda is not in GPU_CHECK_DEVICES";
            entry.Put("skipped", reason);
            return "skipped: " + reason;
        }

        /// <summary>ORT's providers, and a trivial graph (y = x + x) run on CUDA.</summary>
        private Task<string> CudaLoads(StepEntry entry)
        {
            var providers = OrtEnv.Instance().GetAvailableProviders();
            entry.Put("available_providers", new JsonArray([.. providers.Select(p => JsonValue.Create(p))]));
            if (!_cuda) return Task.FromResult(Skipped(entry));
            var g = new GraphBuilder("cuda_loads");
            var x = g.Input("x", DType.Float, Dim.Named("N"));
            var graph = g.ToBytes([g.Named(g.Add(x, x), "y")]);
            using var options = new ExecutionDevice("cuda", 1).CreateSessionOptions();
            using var session = new InferenceSession(graph, options);
            using var input = OrtValue.CreateTensorValueFromMemory(new[] { 1f, 2f, 3f }, [3]);
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, ["x"], [input], ["y"]);
            var y = outputs[0].GetTensorDataAsSpan<float>().ToArray();
            if (!y.SequenceEqual([2f, 4f, 6f])) throw new InvalidOperationException($"x + x on CUDA gave [{string.Join(", ", y)}], expected [2, 4, 6]");
            entry.Put("ok", true);
            return Task.FromResult("ok: a session on CUDA ran x + x");
        }

        /// <summary>
        /// Each model's step graphs (the fused BCE step of method none and of IG's first pass; IG's
        /// fused meta-step; the scoring graph) loaded on CUDA with ORT's CPU fallback disabled: ORT then refuses a
        /// graph with any node CUDA has no kernel for, and its message names them. Without CUDA the same
        /// graphs are loaded on the CPU, which checks this step's own code before a GPU run depends on it.
        /// </summary>
        private Task<string> Fallbacks(StepEntry entry)
        {
            var device = _cuda ? "cuda" : "cpu";
            entry.Put("device", device);
            var failed = 0;
            foreach (var name in Models)
            {
                var model = ModelRegistry.Create(name, 32, 3);
                var graphs = new Dictionary<string, byte[]>
                {
                    // Method none's step, and IG's pass over training-train.
                    ["bce_step"] = StepGraphs.TrainStep(model, Objectives.Bce, new Adam()),
                    ["ig_meta_step"] = CandidateGraph.MetaStep(model, new Adam(), Objectives.LabeledBce),
                    ["scoring"] = StepGraphs.Scoring(model),
                };
                var results = new JsonObject();
                foreach (var (graphName, graph) in graphs)
                {
                    try
                    {
                        using var options = new ExecutionDevice(device, threads).CreateSessionOptions();
                        if (_cuda) options.AddSessionConfigEntry("session.disable_cpu_ep_fallback", "1");
                        using var session = new InferenceSession(graph, options);
                        results[graphName] = "ok";
                    }
                    catch (OnnxRuntimeException e)
                    {
                        failed++;
                        // The nodes ORT would put on the CPU may follow on further lines: all of it, on one.
                        var message = string.Join(" ", e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                        results[graphName] = message.Length <= 4_000 ? message : message[..4_000] + "…";
                    }
                }
                entry.Put(name, results);
            }
            if (!_cuda)
            {
                if (failed > 0) throw new InvalidOperationException($"{failed} graph(s) failed to load even on the CPU (see the entry)");
                return Task.FromResult("every graph loads on the CPU (the fallback check itself needs cuda in GPU_CHECK_DEVICES)");
            }
            entry.Put("all_on_cuda", failed == 0);
            return Task.FromResult(failed == 0 ? "every graph runs on CUDA alone" : $"{failed} graph(s) need CPU kernels (see the entry)");
        }

        /// <summary>The default feed (500k impressions), simulated once; the equality and throughput runs train on it.</summary>
        private async Task<TrainRuns> Runs()
        {
            if (_runs is not null) return _runs;
            var directory = Path.Combine(workDir, "gpu-check", "default-feed");
            var data = Path.Combine(directory, "interactions.parquet");
            if (!File.Exists(data) && await CliApp.RunAsync(["datagen", "--preset", "default", "--seed", "1", "--out", directory]) != 0)
                throw new InvalidOperationException($"datagen --preset default failed: {log.LastError}");
            return _runs = new TrainRuns(data, Path.Combine(workDir, "gpu-check", "runs"), log);
        }

        /// <summary>
        /// One epoch of each model and method, same seed: the CPU with host tables against the resident
        /// device store. Without CUDA both run on the CPU and must agree to the bit, which only one ORT
        /// thread gives (several threads' reductions vary from run to run: NeuMF + IG's test AUC moved
        /// by 2e-5 between two host runs on 2 threads); against CUDA, the CPU runs use every core and
        /// are the throughput step's batch-1024 runs.
        /// </summary>
        private async Task<string> Equality(StepEntry entry)
        {
            var runs = await Runs();
            var (cpuThreads, tolerance) = _cuda ? (threads, AucTolerance) : (1, 0.0);
            entry.Put("cpu_threads", cpuThreads);
            entry.Put("tolerance", tolerance);
            var worst = 0.0;
            var failures = new List<string>();
            var errors = new RunErrors(entry);
            foreach (var model in Models)
                foreach (var method in Methods)
                    await errors.Guard($"{model}/{method}", async () =>
                    {
                        var host = await runs.Get(new TrainRun(model, method, SmallBatch, "cpu", "host", cpuThreads));
                        var resident = await runs.Get(new TrainRun(model, method, SmallBatch, accelerated, "device", cpuThreads));
                        var delta = Math.Abs(host.TestAuc - resident.TestAuc);
                        worst = Math.Max(worst, delta);
                        var pass = delta <= tolerance;
                        if (!pass) failures.Add($"{model}/{method}");
                        return new JsonObject
                        {
                            ["cpu_host_auc"] = host.TestAuc, [$"{accelerated}_device_auc"] = resident.TestAuc, ["abs_delta"] = delta,
                            ["identical"] = host.TestAuc == resident.TestAuc, ["pass"] = pass,
                        };
                    });
            errors.ThrowIfAny();
            entry.Put("pass", failures.Count == 0);
            return failures.Count == 0 ? $"pass: largest |ΔAUC| {worst:G3} ≤ {tolerance}" : $"FAIL: |ΔAUC| > {tolerance} for {string.Join(", ", failures)} (largest {worst:G3})";
        }

        /// <summary>Labeled rows/s of one epoch of method none (metrics.json samples_per_second) per model, batch size and device.</summary>
        private async Task<string> Throughput(StepEntry entry)
        {
            var runs = await Runs();
            var misses = new List<string>();
            var errors = new RunErrors(entry);
            foreach (var batch in new[] { SmallBatch, LargeBatch })
                foreach (var model in Models)
                    await errors.Guard($"{model}/b{batch}", async () =>
                    {
                        var cpu = await runs.Get(new TrainRun(model, "none", batch, "cpu", "host", threads));
                        var row = new JsonObject { ["cpu_rows_per_second"] = Math.Round(cpu.SamplesPerSecond) };
                        if (_cuda)
                        {
                            var cuda = await runs.Get(new TrainRun(model, "none", batch, "cuda", "device", threads));
                            var ratio = cuda.SamplesPerSecond / cpu.SamplesPerSecond;
                            row["cuda_rows_per_second"] = Math.Round(cuda.SamplesPerSecond);
                            row["cuda_over_cpu"] = Math.Round(ratio, 2);
                            if (batch == LargeBatch)
                            {
                                row["goal"] = SpeedupGoals[model];
                                row["meets_goal"] = ratio >= SpeedupGoals[model];
                                if (ratio < SpeedupGoals[model]) misses.Add($"{model} {ratio:F1}× < {SpeedupGoals[model]}×");
                            }
                        }
                        return row;
                    });
            errors.ThrowIfAny();
            entry.Put("cpu_threads", threads);
            if (!_cuda) return "CPU rows/s only (cuda is not in GPU_CHECK_DEVICES)";
            return misses.Count == 0 ? "every CUDA/CPU goal at 16,384 met" : $"goals missed: {string.Join(", ", misses)}";
        }

        /// <summary>
        /// ORT's profile of a few BCE steps at batch 16,384 on the device store, for explaining the
        /// throughput figures: kernels and time per provider, copies, top ops. GMF and NeuMF: the
        /// profiled engine draws random batches, which LightGCN's graph of training positives lacks.
        /// </summary>
        private Task<string> StepProfiles(StepEntry entry)
        {
            var folder = Path.Combine(workDir, "gpu-check", "profiles");
            foreach (var model in new[] { "gmf", "neumf" })
                entry.Put(model, StepProfile.Of(model, LargeBatch, new ExecutionDevice(accelerated, threads), folder));
            return Task.FromResult($"{accelerated}: GMF and NeuMF profiled at batch {LargeBatch:N0} (see the entry)");
        }

        /// <summary>The engine's IG meta-step against a plain BCE step on the same random batches (GMF, batch 1024), as `make bench ARGS=engine` times it, with the tables resident on the device.</summary>
        private Task<string> IgRatio(StepEntry entry)
        {
            var setup = new EngineSetup("gmf", 10_000, 10_000, SmallBatch, new ExecutionDevice(accelerated, threads), deviceStore: true);
            var (plain, fused, _) = EngineStepBenchmark.MeasureIg(setup);
            var ratio = fused / plain;
            entry.Put("device", accelerated);
            entry.Put("store", "device");
            entry.Put("plain_ms", Math.Round(plain, 3));
            entry.Put("meta_step_ms", Math.Round(fused, 3));
            entry.Put("ratio", Math.Round(ratio, 2));
            entry.Put("goal", IgRatioGoal);
            entry.Put("meets_goal", ratio <= IgRatioGoal);
            return Task.FromResult($"{accelerated}: {fused:F3} ms / {plain:F3} ms = {ratio:F2}× (goal ≤ {IgRatioGoal})");
        }

        /// <summary>DenoisingRec's full ranking of the micro-video preset (GMF dim 32) on each device, as `make bench ARGS=full-ranking` measures it.</summary>
        private Task<string> FullRankingSeconds(StepEntry entry)
        {
            var clock = Stopwatch.StartNew();
            var directory = MicroVideoLog.Directory(workDir);
            var data = MicroVideoLog.Prepared(directory);
            var (positives, rule) = TestPositives.Resolve(data, GroundTruth.Load(directory));
            var protocol = new FullRanking(data, positives, rule, [20, 50, 100]);
            entry.Put("log_and_protocol_seconds", Math.Round(clock.Elapsed.TotalSeconds, 1));
            entry.Put("users", protocol.UserCount);
            // The CPU with host tables (make bench ARGS=full-ranking), the device store (its top-K on the
            // device: only K items per user come back), and on a GPU run also CUDA scoring into host tables' top-K.
            List<(string Device, string Store)> configurations = [("cpu", "host"), (accelerated, "device")];
            if (_cuda) configurations.Insert(1, ("cuda", "host"));
            var lines = new List<string>();
            foreach (var (device, storeKind) in configurations)
            {
                var execution = new ExecutionDevice(device, threads);
                var model = new Gmf(32);
                IParameterStore store = storeKind == "device"
                    ? new DeviceParameterStore(new StoreRequest(model, data.Users.Count, data.Items.Count, 2, 1, InitScheme.Ncf), execution)
                    : new HostParameterStore(model, data.Users.Count, data.Items.Count, stateSlots: 2, seed: 1);
                try
                {
                    clock.Restart();
                    var metrics = protocol.Evaluate(store, execution);
                    var seconds = clock.Elapsed.TotalSeconds;
                    var row = new JsonObject
                    {
                        ["seconds"] = Math.Round(seconds, 2), ["scoring_seconds"] = Math.Round(protocol.LastTimes.Scoring.TotalSeconds, 2),
                        ["top_k_seconds"] = Math.Round(protocol.LastTimes.Selection.TotalSeconds, 2), ["recall_at_20"] = metrics.RecallAt(20),
                    };
                    if (device == "cuda")
                    {
                        row["goal_seconds"] = FullRankingGoalSeconds;
                        row["meets_goal"] = seconds <= FullRankingGoalSeconds;
                    }
                    entry.Put($"{device}_{storeKind}_store", row);
                    lines.Add($"{device} ({storeKind} store) {seconds:F2} s");
                }
                finally
                {
                    (store as IDisposable)?.Dispose();
                }
            }
            return Task.FromResult(string.Join(", ", lines) + (_cuda ? $" (goal on cuda ≤ {FullRankingGoalSeconds} s)" : ""));
        }

        /// <summary>RankBatch of 64 requests through the gRPC service serving on each device (`serve --device`): requests/s, as `make bench ARGS=ranking` drives it.</summary>
        private async Task<string> RankBatch(StepEntry entry)
        {
            var lines = new List<string>();
            var rates = new Dictionary<string, double>();
            foreach (var device in settings.Devices)
            {
                var perSecond = await RankingLoadBenchmark.RankBatchRequestsPerSecondAsync(workDir, device, RankBatchMeasured);
                rates[device] = perSecond;
                entry.Put($"{device}_requests_per_second", Math.Round(perSecond));
                lines.Add($"{device} {perSecond:N0} requests/s");
            }
            if (rates.TryGetValue("cuda", out var cuda)) entry.Put("cuda_over_cpu", Math.Round(cuda / rates["cpu"], 2));
            return string.Join(", ", lines);
        }
    }

    private static readonly TimeSpan RankBatchMeasured = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The comparisons of a step that trains many runs: one that fails (CUDA refusing a model, say)
    /// is recorded under its own key and the others still run; the step fails at its end, naming the first.
    /// </summary>
    private sealed class RunErrors(StepEntry entry)
    {
        private readonly List<string> _failed = [];
        private string? _first;

        public async Task Guard(string key, Func<Task<JsonObject>> comparison)
        {
            try
            {
                entry.Put(key, await comparison());
            }
            catch (Exception e)
            {
                var message = (e is InvalidOperationException ? "" : e.GetType().Name + ": ") + e.Message.Split('\n')[0];
                _failed.Add(key);
                _first ??= $"{key}: {message}";
                entry.Put(key, new JsonObject { ["error"] = message });
            }
        }

        public void ThrowIfAny()
        {
            if (_failed.Count > 0) throw new InvalidOperationException($"{_failed.Count} comparison(s) failed ({string.Join(", ", _failed)}); first: {_first}");
        }
    }
}

/// <summary>The check's settings from its environment variables, or the one line that says which is wrong.</summary>
internal sealed record CheckSettings(IReadOnlyList<string> Devices, string OutDir, double LimitScale, string? Error)
{
    public static CheckSettings FromEnvironment(string workDir) => Parse(
        Environment.GetEnvironmentVariable("GPU_CHECK_DEVICES"),
        Environment.GetEnvironmentVariable("GPU_CHECK_OUT"),
        Environment.GetEnvironmentVariable("GPU_CHECK_LIMIT_SCALE"),
        workDir);

    public static CheckSettings Parse(string? devices, string? outDir, string? limitScale, string workDir)
    {
        var list = (devices ?? "cpu").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct().ToList();
        var output = Path.GetFullPath(string.IsNullOrEmpty(outDir) ? Path.Combine(workDir, "gpu-check", "out") : outDir);
        var scale = 1.0;
        string? error = null;
        if (!list.Contains("cpu") || list.Any(d => !ExecutionDevice.Names.Contains(d)))
            error = $"GPU_CHECK_DEVICES must be cpu or cpu,cuda (the CPU is every comparison's baseline), got '{devices}'";
        else if (limitScale is not null && (!double.TryParse(limitScale, System.Globalization.CultureInfo.InvariantCulture, out scale) || scale <= 0 || scale > 100))
            error = $"GPU_CHECK_LIMIT_SCALE must be a number above 0 and at most 100, got '{limitScale}'";
        return new CheckSettings(list, output, scale, error);
    }
}
