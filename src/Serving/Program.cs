using InverseLearning.Serving.Devices;

namespace InverseLearning.Serving;

/// <summary>`inverselearning-serve`: the ranking service's own host, without the trainer.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        OrtTelemetry.TurnOff();
        if (args.Any(arg => arg is "--help" or "-h" or "-?"))
        {
            Console.Write(ServeFlags.Usage());
            return 0;
        }
        return await RankingServer.RunAsync(args, CancellationToken.None);
    }
}
