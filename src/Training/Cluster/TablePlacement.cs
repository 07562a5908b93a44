using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Cluster;

/// <summary>
/// Where a run on the cluster keeps a model's embedding tables, in words for its start line: a table
/// a step reads at its rows goes into the shards; one the model reads whole (LightGCN's, which every
/// step propagates over) stays in each process, as <see cref="ShardedParameterStore"/> keeps it.
/// </summary>
public sealed class TablePlacement(string model, IReadOnlyList<ParameterInfo> parameters)
{
    /// <summary>The tables in the shards.</summary>
    public IReadOnlyList<string> Sharded { get; } = parameters.Where(p => !p.BoundWhole).Select(p => p.Name).ToList();

    /// <summary>The tables read whole, which stay in each process.</summary>
    public IReadOnlyList<string> Local { get; } = parameters.Where(p => p.Side is not null && p.Whole).Select(p => p.Name).ToList();

    /// <summary>
    /// The start line: the tables in <paramref name="shards"/> shards, which snapshot every <paramref name="persistEvery"/> pushes
    /// (<paramref name="run"/> names the run and its opening), and those kept in this process, which <paramref name="workers"/>
    /// above 1 average at each epoch's end.
    /// </summary>
    public string Describe(int shards, int persistEvery, string run, int workers)
    {
        var kept = workers > 1 ? "stay in each worker's process (replicated, averaged at each epoch's end)" : "stay in this process";
        if (Sharded.Count == 0)
            return $"cluster: {model} reads its tables whole ({string.Join(", ", Local)}): they {kept}; the {shards} shards hold none ({run}); {workers} worker(s)";
        var line = $"cluster: {model}'s tables {string.Join(", ", Sharded)} in {shards} shards ({run}), snapshotted every {persistEvery} pushes; {workers} worker(s)";
        return Local.Count == 0 ? line : $"{line}; {string.Join(", ", Local)}, which it reads whole, {kept}";
    }

    /// <summary>A warning when no table goes into the shards (null otherwise): the cluster then holds none of the model's memory.</summary>
    public string? Warning() => Sharded.Count > 0 ? null
        : $"warning: --cluster saves {model} no memory: it reads every table whole, so each process holds them all, as it would without --cluster";
}
