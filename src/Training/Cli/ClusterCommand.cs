using System.CommandLine;
using InverseLearning.Data;
using InverseLearning.Training.Cluster;

namespace InverseLearning.Training.Cli;

/// <summary>`cluster --silos N --state DIR`: a local cluster of N silo processes for demos and tests, until Ctrl+C or SIGTERM.</summary>
public static class ClusterCommand
{
    public static Command Create()
    {
        var command = new Command("cluster", "Start a local cluster of silo processes on 127.0.0.1 (free ports) and print the --cluster address to train with, until Ctrl+C or SIGTERM.");
        var silos = new Option<int>("--silos") { Description = $"Silo processes (1 to {LocalCluster.MaxSilos}).", DefaultValueFactory = _ => 2 }.Within(1, LocalCluster.MaxSilos);
        var state = new Option<string>("--state") { Description = "Folder where the shards snapshot themselves.", DefaultValueFactory = _ => "models/cluster-state" };
        command.Options.Add(silos);
        command.Options.Add(state);
        command.SetAction(async (parse, cancel) =>
        {
            var count = parse.GetValue(silos);
            if (count is < 1 or > LocalCluster.MaxSilos)
                return CliErrors.Fail(FlagRange.Refusal(silos, $"{count:N0}")!);
            // Each silo would stop on it, which the cluster could only tell as a silo that did not come up.
            if (ShardSilo.LogLevelProblem() is { } logLevel)
                return CliErrors.Fail(logLevel);
            LocalCluster cluster;
            try
            {
                cluster = LocalCluster.Start(count, ShardStorageOptions.Prepare(parse.GetValue(state)!));
            }
            catch (Exception e) when (e is IOException or ArgumentException)
            {
                return CliErrors.Report(e);
            }
            using (cluster)
            {
                Console.Error.WriteLine($"{Counted.Of(count, "silo")} up; train with: --cluster {cluster.AddressText}");
                Console.WriteLine(cluster.AddressText);
                // A silo that dies is told, not left for a run to find: the primary takes the cluster with it, another leaves its shards to the rest.
                var alive = Enumerable.Range(0, count).ToHashSet();
                try
                {
                    while (true)
                    {
                        var (index, code) = await cluster.NextExitAsync(alive, cancel);
                        alive.Remove(index);
                        if (index == 0 || alive.Count == 0)
                        {
                            return CliErrors.Fail($"{cluster.Describe(index)} ended (exit code {code}); " +
                                (index == 0 ? "it is the primary the others joined through, and the cluster cannot go on without it" : "no silo is left") +
                                ": stopping; start the cluster again, and resume runs with --resume");
                        }
                        Console.Error.WriteLine($"cluster: {cluster.Describe(index)} ended (exit code {code}); its shards come back on the {alive.Count} left from their snapshots");
                    }
                }
                catch (OperationCanceledException) { }
            }
            return 0;
        });
        return command;
    }
}
