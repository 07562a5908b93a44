using System.Text.Json;
using InverseLearning.Data;
using Microsoft.Extensions.Options;

namespace InverseLearning.Training.Cluster;

/// <summary>The meeting point of a run's workers (<see cref="IRunCoordination"/>): its state in memory, and as JSON in the silos' state folder after every change.</summary>
public sealed class RunCoordination(IOptions<ShardStorageOptions> storage) : Grain, IRunCoordination
{
    /// <summary>Everything the run's workers told it: what a new activation needs to go on where the lost one stood.</summary>
    public sealed class State
    {
        public int Workers { get; set; }
        public int Released { get; set; }
        // Per epoch, each worker's contribution until all are in; then the mean, kept for the last few epochs (a slow worker may still be asking for one).
        public Dictionary<int, SortedDictionary<int, float[][]>> Contributions { get; set; } = [];
        public Dictionary<int, float[][]> Means { get; set; } = [];
        public Dictionary<int, long[]> Finished { get; set; } = [];
    }

    private State _state = new();

    private string StatePath => storage.Value.RunPath(this.GetPrimaryKeyString());

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (File.Exists(StatePath)) _state = JsonSerializer.Deserialize<State>(File.ReadAllText(StatePath)) ?? new State();
        return Task.CompletedTask;
    }

    public Task Open(int workers)
    {
        if (workers < 1) throw new ArgumentOutOfRangeException(nameof(workers), workers, "a run has at least one worker");
        _state = new State { Workers = workers };
        return Save();
    }

    public Task<int> Workers() => Task.FromResult(_state.Workers);

    public Task Release(int epoch)
    {
        if (epoch <= _state.Released) return Task.CompletedTask;
        _state.Released = epoch;
        return Save();
    }

    public Task<int> Released() => Task.FromResult(_state.Released);

    public Task Contribute(int epoch, int worker, float[][] values)
    {
        if (worker < 0 || worker >= _state.Workers) throw new ArgumentOutOfRangeException(nameof(worker), worker, $"the run has workers 0 to {_state.Workers - 1}");
        if (_state.Means.ContainsKey(epoch)) return Task.CompletedTask;
        if (!_state.Contributions.TryGetValue(epoch, out var contributions)) _state.Contributions[epoch] = contributions = [];
        contributions[worker] = values;
        if (contributions.Count == _state.Workers)
        {
            _state.Means[epoch] = Average(contributions.Values.ToList());
            _state.Contributions.Remove(epoch);
            foreach (var old in _state.Means.Keys.Where(e => e < epoch - 2).ToList()) _state.Means.Remove(old);
        }
        return Save();
    }

    public Task<MeanReply> Mean(int epoch, int worker)
    {
        var mean = _state.Means.GetValueOrDefault(epoch);
        var hasYours = mean is not null || _state.Contributions.TryGetValue(epoch, out var contributions) && contributions.ContainsKey(worker);
        return Task.FromResult(new MeanReply { Mean = mean, HasYours = hasYours });
    }

    public Task Finish(int worker, long[] acknowledged)
    {
        _state.Finished[worker] = acknowledged;
        return Save();
    }

    public Task<(int Workers, long[] Acknowledged)> Finished()
    {
        var length = _state.Finished.Values.Select(a => a.Length).DefaultIfEmpty(0).Max();
        var sum = new long[length];
        foreach (var acknowledged in _state.Finished.Values)
            for (var s = 0; s < acknowledged.Length; s++) sum[s] += acknowledged[s];
        return Task.FromResult((_state.Finished.Count, sum));
    }

    public Task Drop()
    {
        File.Delete(StatePath);
        _state = new State();
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    private Task Save()
    {
        AtomicFile.WriteAllText(StatePath, JsonSerializer.Serialize(_state));
        return Task.CompletedTask;
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
