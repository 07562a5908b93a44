using System.Diagnostics;
using Grpc.Net.Client;
using InverseLearning.Benchmarks.Serving;
using InverseLearning.Serving;
using InverseLearning.V1;
using Microsoft.Extensions.Logging;

namespace InverseLearning.Benchmarks;

/// <summary>
/// Load on the gRPC ranking service over loopback: `Rank` with 100 candidates per request
/// at 1, 4, 16 and 64 concurrent streams (throughput, p50/p99 latency), against raw ORT
/// scoring the same 100-row requests on one session without gRPC. GMF exported by the real
/// exporter, 3k users × 10k items × dim 32. Client and server share this machine's cores,
/// then a pinned run keeps them apart and adds `RankStream` (see <see cref="PinnedAsync"/>).
/// </summary>
public sealed class RankingLoadBenchmark : IBenchmark
{
    /// <summary>Candidates per request: the rows one request scores.</summary>
    public const int Candidates = 100;
    private const int TopK = 10, MaxCallsPerLevel = 200_000;
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(0.5), Measured = TimeSpan.FromSeconds(3);
    /// <summary>
    /// Load the pinned server gets before its rows are recorded. A perf profile of the server (libclrjit's share per second)
    /// showed the JIT still compiling 40 s into the load, in bursts of 10–60 % of its CPU; one pass of the unary rows (21 s)
    /// left the first recorded pairs measuring that (Rank 10–14k req/s against 20–24k in the later pairs).
    /// </summary>
    private static readonly TimeSpan PinnedWarmup = TimeSpan.FromSeconds(45);
    private static readonly int[] Streams = [1, 4, 16, 64];
    private static readonly int[] StreamDepths = [1, 2, 4];
    // RankBatch: (requests per call, callers), 512 requests in flight each.
    private static readonly (int PerCall, int Callers)[] BatchShapes = [(8, 64), (GoalBatch, GoalBatchCallers)];
    private const int GoalBatch = 64, GoalBatchCallers = 8;

    public string Name => "ranking";

    public void Run(string workDir, TextWriter report) => RunAsync(workDir, report).GetAwaiter().GetResult();

    internal static BenchModel CreateModel(string workDir) =>
        BenchModel.Create(Path.Combine(workDir, "ranking"), users: 3_000, items: 10_000, dim: 32, Candidates, requestCount: 512, seed: 5);

    /// <summary>
    /// RankBatch of <see cref="GoalBatch"/> requests per call from 8 callers, against a server in this process
    /// scoring on <paramref name="device"/> (`cpu` or `cuda`), over this benchmark's model: requests per second
    /// measured for <paramref name="measured"/> after the warm-up (rows per second: times <see cref="Candidates"/>).
    /// For a device check; a device that cannot start fails it with the server's one line.
    /// </summary>
    public static async Task<double> RankBatchRequestsPerSecondAsync(string workDir, string device, TimeSpan measured)
    {
        var model = CreateModel(workDir);
        await using var server = await RankingServer.StartAsync(["--model", model.Path, "--device", device, "--port", "0", "--metrics-port", "-1", "--no-watch"],
            builder => builder.Logging.ClearProviders());
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{server.Port}");
        var client = new Ranker.RankerClient(channel);
        var batches = Requests(model).Chunk(GoalBatch).Select(chunk => new RankBatchRequest { Requests = { chunk } }).ToArray();
        var (callsPerSecond, _) = await DriveAsync(async batch => await client.RankBatchAsync(batch), batches, GoalBatchCallers, measured);
        return callsPerSecond * GoalBatch;
    }

    private static async Task RunAsync(string workDir, TextWriter report)
    {
        var model = CreateModel(workDir);
        var (raw, _) = RawOrtRowsPerSecond(model, 1);
        var (rawBatched, _) = RawOrtRowsPerSecond(model, 64);
        report.WriteLine($"Raw ORT, one session, 1 intra-op thread: {raw:N0} rows/s as 100-row runs; {rawBatched:N0} rows/s as 6,400-row runs.");
        report.WriteLine();
        report.WriteLine("| streams | requests/s | rows/s | p50 ms | p99 ms | vs raw ORT (100-row runs) |");
        report.WriteLine("|---:|---:|---:|---:|---:|---:|");

        await using var server = await RankingServer.StartAsync(["--model", model.Path, "--port", "0", "--metrics-port", "-1", "--no-watch"], builder => builder.Logging.ClearProviders());
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{server.Port}");
        var client = new Ranker.RankerClient(channel);
        var requests = Requests(model);
        foreach (var streams in Streams)
        {
            var (perSecond, latency) = await DriveAsync(async request => await client.RankAsync(request), requests, streams);
            var rows = perSecond * Candidates;
            report.WriteLine($"| {streams} | {perSecond:N0} | {rows:N0} | {latency.Percentile(0.5):F2} | {latency.Percentile(0.99):F2} | {rows / raw:P0} |");
        }

        // The transport's own ceiling on this machine: the cheapest call, no scoring at all.
        var (floor, floorLatency) = await DriveAsync(async _ => await client.GetModelInfoAsync(new GetModelInfoRequest()), requests, 64);
        report.WriteLine();
        report.WriteLine($"gRPC alone (GetModelInfo, no scoring), 64 streams: {floor:N0} calls/s, p50 {floorLatency.Percentile(0.5):F2} ms, p99 {floorLatency.Percentile(0.99):F2} ms.");
        await PinnedAsync(model, report, PinnedRowsAsync);
    }

    /// <summary>
    /// `ranking-unary`: the goal left open alone, measured in about 100 s (most of it the server's warm-up) instead of the whole benchmark's minutes.
    /// First each call's bytes allocated in this process (client and an in-process server, sequential calls:
    /// a figure that does not move with the machine's load), then the pinned unary rows as
    /// <see cref="UnaryPairs"/> alternated pairs of Rank and GetModelInfo, each pair's ratio, and their median.
    /// </summary>
    internal static async Task RunUnaryAsync(string workDir, TextWriter report)
    {
        var model = CreateModel(workDir);
        await ReportAllocationsAsync(model, report);
        await PinnedAsync(model, report, UnaryPairsAsync);
    }

    private const int UnaryPairs = 3, AllocationCalls = 2_000;
    /// <summary>Issue 22's unary goal: Rank at this share or more of GetModelInfo's rate per second of server CPU.</summary>
    private const double UnaryGoal = 0.6;

    /// <summary>Bytes allocated per call in this process (all threads), client and server together: the client's share is the same for every server build.</summary>
    private static async Task ReportAllocationsAsync(BenchModel model, TextWriter report)
    {
        await using var server = await RankingServer.StartAsync(["--model", model.Path, "--port", "0", "--metrics-port", "-1", "--no-watch"], builder => builder.Logging.ClearProviders());
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{server.Port}");
        var client = new Ranker.RankerClient(channel);
        var requests = Requests(model);
        async Task<double> BytesPerCall(Func<RankRequest, Task> call)
        {
            for (var n = 0; n < AllocationCalls; n++) await call(requests[n % requests.Length]); // warm: tiered JIT, pools, HTTP/2 state
            var before = GC.GetTotalAllocatedBytes(precise: true);
            for (var n = 0; n < AllocationCalls; n++) await call(requests[n % requests.Length]);
            return (double)(GC.GetTotalAllocatedBytes(precise: true) - before) / AllocationCalls;
        }
        var rank = await BytesPerCall(async request => await client.RankAsync(request));
        var floor = await BytesPerCall(async _ => await client.GetModelInfoAsync(new GetModelInfoRequest()));
        report.WriteLine($"Allocated per call, in process (client + server, one call at a time, {AllocationCalls:N0} calls): Rank {rank:N0} B, GetModelInfo {floor:N0} B, Rank's extra {rank - floor:N0} B.");
        report.WriteLine();
    }

    /// <summary>Rank and GetModelInfo at 64 callers, alternated: each pair's ratio is of two rows a few seconds apart, and the median of the pairs is the figure to compare.</summary>
    private static async Task UnaryPairsAsync(int serverId, Ranker.RankerClient client, RankRequest[] requests, RawOrt raw, TextWriter report)
    {
        WriteRowsHeader(report);
        var (wall, perCpu, rankMicros, floorMicros) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
        for (var pair = 0; pair < UnaryPairs; pair++)
        {
            var rank = await MeasureRowAsync(serverId, raw, report, "Rank (unary)", () => DriveAsync(async request => await client.RankAsync(request), requests, 64));
            var floor = await MeasureRowAsync(serverId, raw, report, "GetModelInfo (unary, no scoring)", () => DriveAsync(async _ => await client.GetModelInfoAsync(new GetModelInfoRequest()), requests, 64));
            wall.Add(rank.PerSecond / floor.PerSecond);
            perCpu.Add(rank.PerServerCpuSecond / floor.PerServerCpuSecond);
            rankMicros.Add(rank.ServerCpuMicrosPerCall);
            floorMicros.Add(floor.ServerCpuMicrosPerCall);
        }
        static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
        report.WriteLine();
        report.WriteLine($"Goal: Rank ÷ GetModelInfo at 64 streams, per pair {string.Join(", ", wall.Zip(perCpu, (w, c) => $"{w:P0} ({c:P0})"))}; " +
            $"median {Median(wall):P0} ({Median(perCpu):P0}) (goal ≥ 60 %, per CPU-second in brackets).");
        report.WriteLine(Allowance(Median(rankMicros), Median(floorMicros), raw));
    }

    /// <summary>
    /// What the unary goal leaves Rank, in server CPU per call, against what scoring alone costs: raw ORT on the server's core
    /// at 64 requests per run, the most 64 callers can queue and so the cheapest rows the batcher can get.
    /// </summary>
    private static string Allowance(double rankMicros, double floorMicros, RawOrt raw)
    {
        var allowed = floorMicros * (1 / UnaryGoal - 1);
        var ortMicros = Candidates / raw.BatchedPerCpuSecond * 1e6;
        return $"Server CPU per call: GetModelInfo {floorMicros:F1} µs, Rank {rankMicros:F1} µs. The goal allows Rank {allowed:F1} µs more than GetModelInfo; " +
            $"it takes {rankMicros - floorMicros:F1} µs more. Raw ORT alone scores a Rank's {Candidates} rows in {ortMicros:F1} µs of the same core " +
            $"at {GoalBatch} requests per run: {ortMicros / allowed:P0} of that allowance.";
    }

    /// <summary>
    /// The load generator kept off the server's core: `serve` as its own process pinned to CPU 1,
    /// this process (the callers) pinned to CPU 0, and raw ORT measured on CPU 1 as well, so
    /// both sides of the ratio have the same one core. 64 callers: unary Rank, GetModelInfo
    /// (no scoring: the unary transport's ceiling), RankStream at a few prefetch depths and
    /// RankBatch (many users' requests per call), each with the share of its core the server and the generator used.
    /// </summary>
    private static async Task PinnedAsync(BenchModel model, TextWriter report, Func<int, Ranker.RankerClient, RankRequest[], RawOrt, TextWriter, Task> rows)
    {
        report.WriteLine();
        if (!CpuPinning.Available())
        {
            report.WriteLine("pinned: skipped (needs 2 CPUs and util-linux's taskset)");
            return;
        }
        try
        {
            CpuPinning.PinThisProcess("0");
            using var server = ServeProcess.Start(model.Path, [], cpus: "1");
            await server.WaitUntilServingAsync();
            using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{server.Port}");
            var client = new Ranker.RankerClient(channel);
            var requests = Requests(model);
            // Every row unrecorded first, in as many passes as give the server PinnedWarmup of load: a fresh server runs its
            // first calls as tier-0 and instrumented JIT code, and on its one busy core tiering to optimized code takes tens of
            // seconds of calls. The rows measure the steady state.
            for (var warming = Stopwatch.StartNew(); warming.Elapsed < PinnedWarmup;)
                await rows(server.Id, client, requests, new RawOrt(1, 1, 1), TextWriter.Null);
            // Raw ORT on the server's core while the server idles, just before the rows it is the denominator of.
            CpuPinning.PinThisProcess("1");
            var (rawPerSecond, rawPerCpuSecond) = RawOrtRowsPerSecond(model, 1);
            var (_, batchedPerCpuSecond) = RawOrtRowsPerSecond(model, GoalBatch);
            var raw = new RawOrt(rawPerSecond, rawPerCpuSecond, batchedPerCpuSecond);
            CpuPinning.PinThisProcess("0");
            report.WriteLine($"Pinned (serve process on CPU 1, load generator on CPU 0), 64 callers, after {PinnedWarmup.TotalSeconds:N0} s of unrecorded passes of every row; raw ORT on CPU 1: {raw.PerSecond:N0} rows/s as 100-row runs " +
                $"({raw.PerCpuSecond:N0} per CPU-second). CPU columns: share of one core each process used (the side near 100 % sets the pace); " +
                "\"per CPU-second\" divides both sides by the CPU they got, which other work on a shared core does not change.");
            report.WriteLine();
            await rows(server.Id, client, requests, raw, report);
        }
        finally
        {
            CpuPinning.PinThisProcess($"0-{Environment.ProcessorCount - 1}");
        }
    }

    /// <summary>Raw ORT's rows per second on the server's core, and per second of CPU it got.</summary>
    private readonly record struct RawOrt(double PerSecond, double PerCpuSecond, double BatchedPerCpuSecond);

    /// <summary>A row's rate and what the server's CPU time allowed: requests per second, and per second of server CPU.</summary>
    private readonly record struct Rate(double PerSecond, double PerServerCpuSecond, LatencyRecorder Latency)
    {
        public double ServerCpuMicrosPerCall => 1e6 / PerServerCpuSecond;
    }

    /// <summary>The pinned run's rows, written to <paramref name="report"/>, then issue 22's goals as ratios of its rows.</summary>
    private static async Task PinnedRowsAsync(int serverId, Ranker.RankerClient client, RankRequest[] requests, RawOrt raw, TextWriter report)
    {
        WriteRowsHeader(report);
        Task<Rate> Row(string name, Func<Task<(double PerSecond, LatencyRecorder Latency)>> drive, int requestsPerCall = 1) =>
            MeasureRowAsync(serverId, raw, report, name, drive, requestsPerCall);
        var rank = await Row("Rank (unary)", () => DriveAsync(async request => await client.RankAsync(request), requests, 64));
        var floor = await Row("GetModelInfo (unary, no scoring)", () => DriveAsync(async _ => await client.GetModelInfoAsync(new GetModelInfoRequest()), requests, 64));
        foreach (var depth in StreamDepths)
            await Row($"RankStream, {depth} in flight per stream", () => StreamLoad.DriveAsync(client, requests, 64, depth, Warmup, Measured, MaxCallsPerLevel * 4));
        var batched = new Dictionary<int, Rate>();
        foreach (var (perCall, callers) in BatchShapes)
        {
            var batches = requests.Chunk(perCall).Select(chunk => new RankBatchRequest { Requests = { chunk } }).ToArray();
            batched[perCall] = await Row($"RankBatch, {perCall} requests per call, {callers} callers (ms: per call)",
                () => DriveAsync(async batch => await client.RankBatchAsync(batch), batches, callers), perCall);
        }
        // Issue 22's goals, each a ratio of two rows of this one run on the same core (per CPU-second in brackets).
        var goal = batched[GoalBatch];
        report.WriteLine();
        report.WriteLine($"Goals: RankBatch of {GoalBatch} ÷ raw ORT {goal.PerSecond * Candidates / raw.PerSecond:P0} ({goal.PerServerCpuSecond * Candidates / raw.PerCpuSecond:P0}) (goal ≥ 70 %); " +
            $"Rank ÷ GetModelInfo at 64 streams {rank.PerSecond / floor.PerSecond:P0} ({rank.PerServerCpuSecond / floor.PerServerCpuSecond:P0}) (goal ≥ 60 %), " +
            $"Rank p99 {rank.Latency.Percentile(0.99):F2} ms (goal ≤ 10 ms).");
        report.WriteLine(Allowance(rank.ServerCpuMicrosPerCall, floor.ServerCpuMicrosPerCall, raw));
    }

    private static void WriteRowsHeader(TextWriter report)
    {
        report.WriteLine("| call (64 callers unless named) | requests/s | rows/s | p50 ms | p99 ms | share of raw ORT | per CPU-second: share of raw ORT | server CPU | generator CPU |");
        report.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    }

    /// <summary>One pinned row: drives the calls, writes the row, returns its rate.</summary>
    private static async Task<Rate> MeasureRowAsync(int serverId, RawOrt raw, TextWriter report, string name,
        Func<Task<(double PerSecond, LatencyRecorder Latency)>> drive, int requestsPerCall = 1)
    {
        var ((callsPerSecond, latency), serverCpu, generatorCpu) = await CpuClock.MeasureAsync(serverId, drive);
        var rate = new Rate(callsPerSecond * requestsPerCall, callsPerSecond * requestsPerCall / serverCpu, latency);
        report.WriteLine($"| {name} | {rate.PerSecond:N0} | {rate.PerSecond * Candidates:N0} | {latency.Percentile(0.5):F2} | {latency.Percentile(0.99):F2} | " +
            $"{rate.PerSecond * Candidates / raw.PerSecond:P0} | {rate.PerServerCpuSecond * Candidates / raw.PerCpuSecond:P0} | {serverCpu:P0} | {generatorCpu:P0} |");
        return rate;
    }

    /// <summary>The callers' requests, built once so that the generator spends its core on calls: 100 candidates, top 10, users and candidate lists cycled.</summary>
    private static RankRequest[] Requests(BenchModel model) => Enumerable.Range(0, 4_096)
        .Select(n => new RankRequest { UserId = model.UserIds[n % model.UserIds.Length], CandidateItemIds = { model.Requests[n % model.Requests.Length] }, TopK = TopK })
        .ToArray();

    /// <summary><see cref="DriveAsync{T}(Func{T, Task}, T[], int, TimeSpan)"/> for this benchmark's own measured time.</summary>
    private static Task<(double PerSecond, LatencyRecorder Latency)> DriveAsync<T>(Func<T, Task> call, T[] requests, int streams) =>
        DriveAsync(call, requests, streams, Measured);

    /// <summary>Callers each keep one call in flight; latencies after the warm-up count, up to a call and time bound.</summary>
    private static async Task<(double PerSecond, LatencyRecorder Latency)> DriveAsync<T>(Func<T, Task> call, T[] requests, int streams, TimeSpan measured)
    {
        var warmUntil = Stopwatch.GetTimestamp() + (long)(Warmup.TotalSeconds * Stopwatch.Frequency);
        var stopAt = warmUntil + (long)(measured.TotalSeconds * Stopwatch.Frequency);
        var budget = MaxCallsPerLevel;
        var callers = Enumerable.Range(0, streams).Select(s => Task.Run(async () =>
        {
            var latencies = new List<double>();
            for (var n = s; ; n += streams)
            {
                var started = Stopwatch.GetTimestamp();
                if (started >= stopAt || Interlocked.Decrement(ref budget) < 0) return latencies;
                await call(requests[n % requests.Length]);
                if (started >= warmUntil) latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        })).ToArray();
        var latency = new LatencyRecorder();
        foreach (var caller in await Task.WhenAll(callers)) latency.Add(caller);
        var seconds = Math.Min(measured.TotalSeconds, Stopwatch.GetElapsedTime(warmUntil).TotalSeconds);
        return (latency.Count / seconds, latency);
    }

    /// <summary>The same candidate rows scored straight through ORT, <paramref name="requestsPerRun"/> requests per run: rows per second, and per second of this process's CPU.</summary>
    private static (double PerSecond, double PerCpuSecond) RawOrtRowsPerSecond(BenchModel model, int requestsPerRun)
    {
        using var raw = new RawOrtRuns(model, requestsPerRun, Candidates, ["score"]);
        var rows = raw.Rows;
        for (var warm = Stopwatch.StartNew(); warm.Elapsed < Warmup;) raw.RunOnce();
        long scored = 0;
        var cpu = CpuClock.Of(Environment.ProcessId);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Measured)
        {
            raw.RunOnce();
            scored += rows;
        }
        return (scored / clock.Elapsed.TotalSeconds, scored / (CpuClock.Of(Environment.ProcessId) - cpu).TotalSeconds);
    }
}
