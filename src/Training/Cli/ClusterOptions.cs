using System.CommandLine;
using InverseLearning.Training.Cluster;

namespace InverseLearning.Training.Cli;

/// <summary>`--cluster`, `--shards`, `--shard-persist-every`: train with the embedding tables sharded over a cluster of silos (README, "Past one machine").</summary>
public sealed class ClusterOptions
{
    public Option<string?> Cluster { get; } = new("--cluster")
    { Description = "Shard the embedding tables over the silos at IP:PORT,… (their gateways) or redis://HOST:PORT; start them with `inverselearning silo`." };
    public Option<int> Shards { get; } = new("--shards")
    { Description = $"With --cluster: shards per run (default {ClusterSettings.DefaultShards}; rows placed by a hash of their raw id).", DefaultValueFactory = _ => ClusterSettings.DefaultShards };
    public Option<int> PersistEvery { get; } = new("--shard-persist-every")
    { Description = $"With --cluster: pushes between a shard's snapshots, the most a lost silo can cost (default {ClusterSettings.DefaultPersistEvery}).", DefaultValueFactory = _ => ClusterSettings.DefaultPersistEvery };

    public void AddTo(Command command)
    {
        command.Options.Add(Cluster);
        command.Options.Add(Shards);
        command.Options.Add(PersistEvery);
    }

    /// <summary>The cluster asked for, or null; --shards and --shard-persist-every without --cluster, or out of range, are refused.</summary>
    public ClusterSettings? Read(ParseResult parse, TrainSettings settings)
    {
        var shards = parse.GetValue(Shards);
        var persistEvery = parse.GetValue(PersistEvery);
        if (parse.GetValue(Cluster) is not { } address)
        {
            if (parse.GetResult(Shards) is { Implicit: false } || parse.GetResult(PersistEvery) is { Implicit: false })
                throw new ArgumentException("--shards and --shard-persist-every apply to --cluster only");
            return null;
        }
        if (shards is < 1 or > ClusterSettings.MaxShards) throw new ArgumentException($"--shards: {shards}, expected 1 to {ClusterSettings.MaxShards}");
        if (persistEvery < 1) throw new ArgumentException($"--shard-persist-every: {persistEvery}, expected at least 1 push");
        if (settings.DeviceResident) throw new ArgumentException("--cluster keeps the tables in the silos: it cannot be combined with --store device");
        return new ClusterSettings(ClusterAddress.Parse(address, "--cluster"), shards, persistEvery, TimeSpan.FromMinutes(2));
    }
}
