using System.CommandLine;
using InverseLearning.Training.Cluster;

namespace InverseLearning.Training.Cli;

/// <summary>`cluster --silos N --state DIR`: a local cluster of N silo processes for demos and tests, until Ctrl+C or SIGTERM.</summary>
public static class ClusterCommand
{
    public static Command Create()
    {
        var command = new Command("cluster", "Start a local cluster of silo processes on 127.0.0.1 (free ports) and print the --cluster address to train with, until Ctrl+C or SIGTERM.");
        var silos = new Option<int>("--silos") { Description = "Silo processes (1 to 64).", DefaultValueFactory = _ => 2 };
        var state = new Option<string>("--state") { Description = "Folder where the shards snapshot themselves.", DefaultValueFactory = _ => "models/cluster-state" };
        command.Options.Add(silos);
        command.Options.Add(state);
        command.SetAction(async (parse, cancel) =>
        {
            var count = parse.GetValue(silos);
            if (count is < 1 or > 64)
            {
                Console.Error.WriteLine($"error: --silos: {count}, expected 1 to 64");
                return 1;
            }
            LocalCluster cluster;
            try
            {
                cluster = LocalCluster.Start(count, ShardStorageOptions.Prepare(parse.GetValue(state)!));
            }
            catch (Exception e) when (e is IOException or ArgumentException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
            using (cluster)
            {
                Console.Error.WriteLine($"{count} silos up; train with: --cluster {cluster.AddressText}");
                Console.WriteLine(cluster.AddressText);
                try
                {
                    await Task.Delay(Timeout.Infinite, cancel);
                }
                catch (OperationCanceledException) { }
            }
            return 0;
        });
        return command;
    }
}
