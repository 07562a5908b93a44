using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using InverseLearning.Benchmarks.Serving;
using InverseLearning.V1;

namespace InverseLearning.Benchmarks;

/// <summary>
/// RankStreams that never read (issue 22's hostile probe): each caller opens one on a connection
/// of its own and writes requests until the server stops taking them (its reads stall once
/// `--max-stream-in-flight` answers wait unread, then HTTP/2 flow control stops the writes), and
/// holds it. Beyond those answers, a held stream costs the server the request bytes its
/// flow-control windows let in. RSS of the serving process (its own, from /proc) at rest, held,
/// and after the callers leave; once with Kestrel's windows and once with the server's own.
/// </summary>
public sealed class HeldStreamBenchmark : IBenchmark
{
    // Not the probe's 1,000: on the 2-core machine most of 1,000 connections were reset mid-hold (BENCHMARKS.md).
    private const int Streams = 200, Candidates = 1_000, TopK = 100;
    private static readonly TimeSpan MaxHold = TimeSpan.FromSeconds(60), Settle = TimeSpan.FromSeconds(10);

    /// <summary>A label and the serving host's extra flags, one server each.</summary>
    private static readonly (string Label, string[] Flags)[] Settings =
    [
        ("Kestrel's windows: 768 KiB per stream, 1 MiB per connection", ["--http2-stream-window-bytes", "786432", "--http2-connection-window-bytes", "1048576"]),
        ("defaults", []),
    ];

    public string Name => "held-streams";

    public void Run(string workDir, TextWriter report) => RunAsync(workDir, report).GetAwaiter().GetResult();

    private static async Task RunAsync(string workDir, TextWriter report)
    {
        var model = BenchModel.Create(Path.Combine(workDir, "held-streams"), users: 3_000, items: 10_000, dim: 32, Candidates, requestCount: 1, seed: 7);
        report.WriteLine($"{Streams:N0} RankStreams, one connection each, writing {Candidates:N0}-candidate requests (top_k {TopK}) until their writes stall " +
            $"(at most {MaxHold.TotalSeconds:0} s) and never reading an answer, then dropped. GMF 3k users × 10k items × dim 32.");
        report.WriteLine();
        report.WriteLine("| server flags | RSS at rest MB | RSS held MB | held KB per stream | RSS 10 s after MB | requests written (all streams) | streams failed |");
        report.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        var failures = new List<string>();
        foreach (var (label, flags) in Settings)
        {
            var (rest, held, after, written, failed, firstFailure) = await MeasureAsync(model, flags);
            report.WriteLine($"| {label} | {rest:N0} | {held:N0} | {(held - rest) * 1024 / Streams:N0} | {after:N0} | {written:N0} | {failed:N0} |");
            if (firstFailure is not null) failures.Add($"{label}: {firstFailure}");
        }
        foreach (var failure in failures) report.WriteLine($"First failure, {failure}");
    }

    private static async Task<(double AtRest, double Held, double After, int Written, int Failed, string? FirstFailure)> MeasureAsync(BenchModel model, string[] flags)
    {
        using var server = ServeProcess.Start(model.Path, flags);
        await server.WaitUntilServingAsync();
        var rest = ProcessMemory.RssMegabytes(server.Id);
        var request = new RankRequest { UserId = model.UserIds[0], CandidateItemIds = { model.Requests[0] }, TopK = TopK };
        using var leave = new CancellationTokenSource();
        var channels = Enumerable.Range(0, Streams).Select(_ => GrpcChannel.ForAddress($"http://127.0.0.1:{server.Port}")).ToArray();
        var (written, failed) = (0, 0);
        string? firstFailure = null;
        async Task WriteUntilLeftAsync(AsyncDuplexStreamingCall<RankRequest, RankResponse> call, Task firstWrite)
        {
            try
            {
                for (var write = firstWrite; ; write = call.RequestStream.WriteAsync(request, leave.Token))
                {
                    await write;
                    Interlocked.Increment(ref written);
                }
            }
            catch (Exception e) when (!leave.IsCancellationRequested)
            {
                Interlocked.Increment(ref failed);
                firstFailure ??= e.Message;
            }
            catch (Exception)
            {
                // the caller left
            }
            finally
            {
                call.Dispose();
            }
        }
        // Opened one after another (a burst of 1,000 connects overflows the listen backlog), then all write at once.
        var writers = new List<Task>();
        foreach (var channel in channels)
        {
            var call = new Ranker.RankerClient(channel).RankStream(cancellationToken: leave.Token);
            var firstWrite = call.RequestStream.WriteAsync(request, leave.Token);
            await Task.WhenAny(firstWrite, Task.Delay(TimeSpan.FromSeconds(1)));
            writers.Add(WriteUntilLeftAsync(call, firstWrite));
        }
        // Held once the writes stop: every stream's windows are full (or the time is up).
        for (var (clock, last) = (Stopwatch.StartNew(), -1); clock.Elapsed < MaxHold && Volatile.Read(ref written) != last;)
        {
            last = Volatile.Read(ref written);
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        var held = ProcessMemory.RssMegabytes(server.Id);
        var heldWrites = Volatile.Read(ref written);
        leave.Cancel();
        await Task.WhenAll(writers);
        foreach (var channel in channels) channel.Dispose();
        await Task.Delay(Settle);
        return (rest, held, ProcessMemory.RssMegabytes(server.Id), heldWrites, failed, firstFailure);
    }
}
