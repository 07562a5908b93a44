using Grpc.Net.Client;
using InverseLearning.V1;

namespace InverseLearning.Benchmarks.Serving;

/// <summary>
/// RankStreams that never read (issue 22's hostile probe): each caller opens one on a connection
/// of its own and writes requests until the server stops taking them (its reads stall once
/// `--max-stream-in-flight` answers wait unread, then HTTP/2 flow control stops the writes), and
/// holds it. What the server then holds per stream, beyond its answers, is the request bytes its
/// flow-control windows let in. RSS of the serving process at rest, held, and after the callers leave.
/// </summary>
public static class HeldStreams
{
    public const int Candidates = 1_000;
    private const int Streams = 1_000, TopK = 100;
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(10), Settle = TimeSpan.FromSeconds(10);

    /// <param name="settings">A label and the serving host's extra flags, one server each.</param>
    public static async Task MeasureAsync(TextWriter report, BenchModel model, IEnumerable<(string Label, string[] Flags)> settings)
    {
        report.WriteLine($"{Streams:N0} RankStreams, one connection each, writing {Candidates:N0}-candidate requests (top_k {TopK}) for {Hold.TotalSeconds:0} s and never reading, then dropped.");
        report.WriteLine();
        report.WriteLine("| server flags | RSS at rest MB | RSS held MB | held KB per stream | RSS 10 s after MB | requests written (all streams) | streams failed |");
        report.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (label, flags) in settings)
        {
            using var server = ServeProcess.Start(model.Path, ["--max-candidates", Candidates.ToString(), .. flags]);
            await server.WaitUntilServingAsync();
            var rest = HostileLoadBenchmark.RssMegabytes(server.Id);
            var request = new RankRequest { UserId = model.UserIds[0], CandidateItemIds = { model.Requests[0] }, TopK = TopK };
            using var leave = new CancellationTokenSource();
            var channels = Enumerable.Range(0, Streams).Select(_ => GrpcChannel.ForAddress($"http://127.0.0.1:{server.Port}")).ToArray();
            var (written, failed) = (0, 0);
            var writers = channels.Select(channel => Task.Run(async () =>
            {
                using var call = new Ranker.RankerClient(channel).RankStream(cancellationToken: leave.Token);
                try
                {
                    while (true)
                    {
                        await call.RequestStream.WriteAsync(request, leave.Token);
                        Interlocked.Increment(ref written);
                    }
                }
                catch (Exception)
                {
                    if (!leave.IsCancellationRequested) Interlocked.Increment(ref failed);
                }
            })).ToArray();
            await Task.Delay(Hold);
            var held = HostileLoadBenchmark.RssMegabytes(server.Id);
            var heldWrites = Volatile.Read(ref written);
            leave.Cancel();
            await Task.WhenAll(writers);
            foreach (var channel in channels) channel.Dispose();
            await Task.Delay(Settle);
            var after = HostileLoadBenchmark.RssMegabytes(server.Id);
            report.WriteLine($"| {label} | {rest:N0} | {held:N0} | {(held - rest) * 1024 / Streams:N0} | {after:N0} | {heldWrites:N0} | {failed:N0} |");
        }
    }
}
