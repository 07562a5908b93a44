using InverseLearning.V1;
using Microsoft.Extensions.Logging;

namespace InverseLearning.Serving.Tests;

public sealed class ListeningAddressTests
{
    private static readonly GmfModelFixture Model = GmfModelFixture.Random(users: 3, items: 8, dim: 3, seed: 41, version: "l1");

    [Fact]
    public async Task An_IPv6_host_is_bracketed_in_the_listening_line_as_in_a_url()
    {
        // It said "http://::1:39693", which no client parses, where Kestrel's own line had [::1].
        await using var server = await ServerHarness.StartWithFlagsAsync(Model, "--host", "::1");

        Assert.Contains(server.Logs.Lines, l => l.Level == LogLevel.Information
            && l.Message.StartsWith($"Ranker listening on http://[::1]:{server.Server.Port} (gRPC", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_star_host_listens_on_every_IPv4_and_IPv6_address()
    {
        // '*' bound 0.0.0.0 alone: a client reaching the server over IPv6 was refused.
        await using var server = await ServerHarness.StartWithFlagsAsync(Model, "--host", "*");

        foreach (var address in new[] { "127.0.0.1", "[::1]" })
        {
            using var channel = Grpc.Net.Client.GrpcChannel.ForAddress($"http://{address}:{server.Server.Port}");
            Assert.Equal("l1", (await new Ranker.RankerClient(channel).GetModelInfoAsync(new GetModelInfoRequest())).Version);
        }
        Assert.Contains(server.Logs.Lines, l => l.Message.StartsWith($"Ranker listening on http://[::]:{server.Server.Port} (gRPC", StringComparison.Ordinal));
    }
}
