using InverseLearning.Serving.Devices;

namespace InverseLearning.Serving;

/// <summary>`inverselearning-serve`: the ranking service's own host, without the trainer.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        OrtTelemetry.TurnOff();
        return await RankingServer.RunAsync(args, CancellationToken.None);
    }
}
