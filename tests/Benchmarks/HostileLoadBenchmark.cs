using System.Buffers.Binary;
using System.Net;
using Google.Protobuf;
using InverseLearning.Benchmarks.Serving;
using InverseLearning.Serving;
using InverseLearning.V1;

namespace InverseLearning.Benchmarks;

/// <summary>
/// Server memory under a hostile client (issue 10): thousands of `Recommend` calls with a large
/// top_k opened over loopback and never read. The server runs as its own process (the built
/// serving host) so its RSS is its own; it is read from /proc (Linux) at rest, while the streams are
/// held, and after the client has left. Once with the limits opened wide (what the server did
/// before it had any) and once with the defaults. Bounded: a fixed number of streams, held a
/// fixed time, on 127.0.0.1 only. Held RankStreams are <see cref="HeldStreamBenchmark"/>'s.
/// </summary>
public sealed class HostileLoadBenchmark : IBenchmark
{
    private const int Streams = 2_000, HostileTopK = 10_000;
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(5), Settle = TimeSpan.FromSeconds(10);

    public string Name => "hostile";

    public void Run(string workDir, TextWriter report) => RunAsync(workDir, report).GetAwaiter().GetResult();

    private static async Task RunAsync(string workDir, TextWriter report)
    {
        var model = BenchModel.Create(Path.Combine(workDir, "hostile"), users: 3_000, items: 10_000, dim: 32, candidates: 1, requestCount: 1, seed: 7);
        report.WriteLine($"GMF 3k users × 10k items × dim 32; {Streams:N0} Recommend calls (exclude_seen off) opened at once over loopback, held {Hold.TotalSeconds:0} s unread, then dropped.");
        report.WriteLine();
        report.WriteLine("| limits | top_k | RSS at rest MB | RSS held MB | RSS 10 s after MB | calls answered | refused | reset |");
        report.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        // As wide as the limits' ceilings let them be.
        string[] wide = ["--max-top-k", $"{RankingOptions.MaxTopKCeiling}", "--max-concurrent-calls", $"{RankingOptions.MaxConcurrentCallsCeiling}",
                         "--max-queued-requests", $"{RankingOptions.MaxQueuedRequestsCeiling}", "--max-connections", $"{RankingOptions.MaxConnectionsCeiling}",
                         "--max-streams-per-connection", $"{RankingOptions.MaxStreamsPerConnectionCeiling}"];
        await MeasureAsync(report, model, "opened wide", wide, HostileTopK);
        await MeasureAsync(report, model, "defaults", [], 1_000);
    }

    private static async Task MeasureAsync(TextWriter report, BenchModel model, string label, string[] limits, int topK)
    {
        using var server = ServeProcess.Start(model.Path, limits);
        var address = $"http://127.0.0.1:{server.Port}/inverselearning.v1.Ranker/Recommend";
        await server.WaitUntilServingAsync();
        var rest = ProcessMemory.RssMegabytes(server.Id);

        var client = new HttpClient(new SocketsHttpHandler { EnableMultipleHttp2Connections = true }) { Timeout = TimeSpan.FromMinutes(5) };
        var body = Frame(new RecommendRequest { UserId = model.UserIds[0], TopK = topK });
        var opened = await Task.WhenAll(Enumerable.Range(0, Streams).Select(_ => TryOpen(client, address, body)));
        var responses = opened.OfType<HttpResponseMessage>().ToArray();
        // A refusal is trailers-only: its status is in the headers. An answer's status comes after its unread body.
        var refused = responses.Count(r => r.Headers.Contains("grpc-status"));
        var answered = responses.Length - refused;
        var failed = Streams - responses.Length;
        await Task.Delay(Hold);
        var peak = ProcessMemory.RssMegabytes(server.Id);
        foreach (var response in responses) response.Dispose();
        client.Dispose();
        await Task.Delay(Settle);
        var after = ProcessMemory.RssMegabytes(server.Id);
        report.WriteLine($"| {label} | {topK:N0} | {rest:N0} | {peak:N0} | {after:N0} | {answered:N0} | {refused:N0} | {failed:N0} |");
    }

    /// <summary>The response, or null when the connection was reset before one came.</summary>
    private static async Task<HttpResponseMessage?> TryOpen(HttpClient client, string address, byte[] body)
    {
        try
        {
            return await Open(client, address, body);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static async Task<HttpResponseMessage> Open(HttpClient client, string address, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, address)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    private static byte[] Frame(IMessage message)
    {
        var payload = message.ToByteArray();
        var frame = new byte[5 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }
}
