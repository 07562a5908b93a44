using System.CommandLine;
using InverseLearning.Training.Cluster;

namespace InverseLearning.Training.Cli;

/// <summary>`--cluster`, `--shards`, `--shard-persist-every`: train with the embedding tables sharded over a cluster of silos (README, "Past one machine").</summary>
public sealed class ClusterOptions
{
    public Option<string?> Cluster { get; } = new("--cluster")
    { Description = "Shard the embedding tables over the silos at IP:PORT,… (their gateways) or redis://HOST:PORT; start them with `inverselearning silo`." };
    public Option<int> Shards { get; } = new Option<int>("--shards")
    { Description = "With --cluster: shards per run (rows placed by a hash of their raw id).", DefaultValueFactory = _ => ClusterSettings.DefaultShards }.Within(1, ClusterSettings.MaxShards);
    public Option<int> PersistEvery { get; } = new Option<int>("--shard-persist-every")
    { Description = "With --cluster: pushes between a shard's snapshots, the most a lost silo can cost.", DefaultValueFactory = _ => ClusterSettings.DefaultPersistEvery }.Within(1, int.MaxValue);

    public Option<int> Workers { get; } = new Option<int>("--workers")
    { Description = "With --cluster: data-parallel worker processes training the run, each the batches at its index modulo their count.", DefaultValueFactory = _ => 1 }.Within(1, ClusterSettings.MaxWorkers);
    public Option<int> Worker { get; } = new Option<int>("--worker")
    { Description = "With --workers: this process's index; 0 coordinates: validates, checkpoints, evaluates and exports.", DefaultValueFactory = _ => 0 }.Within(0, ClusterSettings.MaxWorkers - 1);
    public Option<string?> Run { get; } = new("--run")
    { Description = "With --workers: the run's name on the cluster, the same for all its workers (needed by workers 1 and up unless the coordinator starts them)." };
    public Option<int> WorkerTimeout { get; } = new Option<int>("--worker-timeout")
    { Description = "With --workers: seconds a worker that joined may go unheard before the run counts it lost and gives its parts to the others from the next epoch (one that never joined is waited for).", DefaultValueFactory = _ => ClusterSettings.DefaultWorkerTimeoutSeconds }
        .Within(ClusterSettings.MinWorkerTimeoutSeconds, ClusterSettings.MaxWorkerTimeoutSeconds);
    public Option<int?> ExitWith { get; } = new Option<int?>("--exit-with")
    { Description = "With --worker: stop when the process with this id ends (what --spawn-workers gives the workers it starts)." }.Within(1, int.MaxValue);
    public Option<bool> SpawnWorkers { get; } = new("--spawn-workers")
    { Description = "With --workers on worker 0: start workers 1 and up as processes on this machine (their logs: worker-N.log in --out); " +
        "each process checks --max-memory for itself, so the run may take --workers times it." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Cluster, Shards, PersistEvery, Workers, Worker, Run, WorkerTimeout, SpawnWorkers, ExitWith }) command.Options.Add(option);
    }

    /// <summary>The cluster asked for, or null; the cluster's flags without --cluster, or out of range, are refused.</summary>
    public ClusterSettings? Read(ParseResult parse, TrainSettings settings)
    {
        var shards = parse.GetValue(Shards);
        var persistEvery = parse.GetValue(PersistEvery);
        var (workers, worker, run) = (parse.GetValue(Workers), parse.GetValue(Worker), parse.GetValue(Run));
        if (parse.GetValue(Cluster) is not { } address)
        {
            if (new Option[] { Shards, PersistEvery, Workers, Worker, Run, WorkerTimeout, SpawnWorkers, ExitWith }.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } given)
                throw new ArgumentException($"{given.Name} applies to --cluster only");
            return null;
        }
        FlagRange.Require(Workers, workers);
        if (worker < 0 || worker >= workers) throw new ArgumentException($"--worker: {worker}, expected 0 to {workers - 1} (--workers {workers})");
        if (run is not null && !ClusterSettings.IsRunName(run)) throw new ArgumentException($"--run: '{run}', expected {ClusterSettings.RunNameRule}");
        if (worker > 0 && run is null) throw new ArgumentException("--worker: a worker joins its coordinator's run: give the same --run to both");
        var timeout = parse.GetValue(WorkerTimeout);
        FlagRange.Require(WorkerTimeout, timeout);
        if (parse.GetValue(SpawnWorkers) && (worker > 0 || workers == 1)) throw new ArgumentException("--spawn-workers: only worker 0 of a run of --workers 2 or more starts the others");
        if (workers > 1)
        {
            // Each would act on one worker's position inside an epoch while the others train on.
            if (settings.CheckpointEvery > 0 || settings.EvalEvery > 0)
                throw new ArgumentException("--checkpoint-every and --eval-every act inside an epoch, which workers share: with --workers, checkpoints and validation come at epochs' ends");
        }
        FlagRange.Require(Shards, shards);
        FlagRange.Require(PersistEvery, persistEvery);
        if (parse.GetValue(ExitWith) is { } parent && parent < 1) throw new ArgumentException($"--exit-with: {parent} is not a process id");
        ParentProcess.RequireRunning(parse.GetValue(ExitWith));
        if (settings.DeviceResident) throw new ArgumentException("--cluster keeps the tables in the silos: it cannot be combined with --store device");
        return new ClusterSettings(ClusterAddress.Parse(address, "--cluster"), shards, persistEvery, TimeSpan.FromMinutes(2), workers, worker, run, TimeSpan.FromSeconds(timeout));
    }
}
