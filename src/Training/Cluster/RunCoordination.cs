namespace InverseLearning.Training.Cluster;

/// <summary>The meeting point of a run's workers (<see cref="IRunCoordination"/>), in the memory of one activation.</summary>
public sealed class RunCoordination : Grain, IRunCoordination
{
    private int _workers;
    private int _released;
    // Per epoch, each worker's contribution until all are in; then the mean, kept for the last few epochs (a slow worker may still be asking for one).
    private readonly Dictionary<int, SortedDictionary<int, float[][]>> _contributions = [];
    private readonly Dictionary<int, float[][]> _means = [];
    private readonly Dictionary<int, long[]> _finished = [];

    public Task Open(int workers)
    {
        if (workers < 1) throw new ArgumentOutOfRangeException(nameof(workers), workers, "a run has at least one worker");
        (_workers, _released) = (workers, 0);
        _contributions.Clear();
        _means.Clear();
        _finished.Clear();
        return Task.CompletedTask;
    }

    public Task<int> Workers() => Task.FromResult(_workers);

    public Task Release(int epoch)
    {
        _released = Math.Max(_released, epoch);
        return Task.CompletedTask;
    }

    public Task<int> Released() => Task.FromResult(_released);

    public Task Contribute(int epoch, int worker, float[][] values)
    {
        if (worker < 0 || worker >= _workers) throw new ArgumentOutOfRangeException(nameof(worker), worker, $"the run has workers 0 to {_workers - 1}");
        if (!_contributions.TryGetValue(epoch, out var contributions)) _contributions[epoch] = contributions = [];
        contributions[worker] = values;
        if (contributions.Count == _workers)
        {
            _means[epoch] = Average(contributions.Values.ToList());
            _contributions.Remove(epoch);
            foreach (var old in _means.Keys.Where(e => e < epoch - 2).ToList()) _means.Remove(old);
        }
        return Task.CompletedTask;
    }

    public Task<float[][]?> Mean(int epoch) => Task.FromResult(_means.GetValueOrDefault(epoch));

    public Task Finish(int worker, long[] acknowledged)
    {
        _finished[worker] = acknowledged;
        return Task.CompletedTask;
    }

    public Task<(int Workers, long[] Acknowledged)> Finished()
    {
        var length = _finished.Values.Select(a => a.Length).DefaultIfEmpty(0).Max();
        var sum = new long[length];
        foreach (var acknowledged in _finished.Values)
            for (var s = 0; s < acknowledged.Length; s++) sum[s] += acknowledged[s];
        return Task.FromResult((_finished.Count, sum));
    }

    // Summed in worker order (the contributions are sorted by worker), so the mean does not depend on who arrived first.
    private static float[][] Average(IReadOnlyList<float[][]> contributions)
    {
        var mean = contributions[0].Select(t => new float[t.Length]).ToArray();
        for (var t = 0; t < mean.Length; t++)
        {
            var sum = new double[mean[t].Length];
            foreach (var values in contributions)
                for (var i = 0; i < sum.Length; i++) sum[i] += values[t][i];
            for (var i = 0; i < sum.Length; i++) mean[t][i] = (float)(sum[i] / contributions.Count);
        }
        return mean;
    }
}
