using System.Diagnostics;
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
        public int Generation { get; set; }
        public string Fingerprint { get; set; } = "";
        /// <summary>The process of the coordinator that opened the run (<see cref="IRunCoordination.Open"/>).</summary>
        public string Opener { get; set; } = "";
        public bool Ready { get; set; }
        public double WorkerTimeoutSeconds { get; set; }
        public int ResumedAfter { get; set; }
        /// <summary>The lake parts the coordinator read; its parts null in a state saved before openings carried them.</summary>
        public OpenedLake Lake { get; set; } = new();
        public Dictionary<int, int[]> Members { get; set; } = [];
        // Per epoch, each member's contribution until all are in; then the mean, kept for the last few epochs (a slow worker may still be asking for one).
        public Dictionary<int, SortedDictionary<int, float[][]>> Contributions { get; set; } = [];
        public Dictionary<int, float[][]> Means { get; set; } = [];
        public Dictionary<int, long[]> Finished { get; set; } = [];
        /// <summary>Each worker's acknowledged updates as of its last heartbeat (saved with the next change, not at every beat).</summary>
        public Dictionary<int, long[]> Heard { get; set; } = [];
        /// <summary>Lost workers and the epoch each was lost in.</summary>
        public Dictionary<int, int> Lost { get; set; } = [];
        /// <summary>The workers that claimed their index in this opening: its first epoch is released only once every one has.</summary>
        public HashSet<int> Joined { get; set; } = [];
    }

    private State _state = new();
    // When each worker was last heard from, and who said it stopped; not saved: a new activation hears from them afresh.
    private readonly Dictionary<int, long> _lastSeen = [];
    private readonly HashSet<int> _left = [];
    // Which process holds each worker's index, since when, and when it was last heard from. Not saved either: after a lost silo
    // the meeting point takes the next claim of an index, as it hears from every worker afresh.
    private readonly Dictionary<int, (string Process, DateTime Since, long Heard)> _claims = [];

    private string StatePath => storage.Value.RunPath(this.GetPrimaryKeyString());

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (File.Exists(StatePath)) _state = JsonSerializer.Deserialize<State>(File.ReadAllText(StatePath)) ?? new State();
        for (var w = 0; w < _state.Workers; w++) Seen(w);
        return Task.CompletedTask;
    }

    public async Task<int> Open(int workers, TimeSpan workerTimeout, string fingerprint, string opener, int resumedAfter = 0, OpenedLake? lake = null)
    {
        if (workers < 1) throw new ArgumentOutOfRangeException(nameof(workers), workers, "a run has at least one worker");
        // Its own open asked again (the answer lost to a timeout), while it still holds the run: the opening it made.
        if (_state.Workers > 0 && _state.Opener == opener && !_left.Contains(0)) return _state.Generation;
        var heard = CoordinatorSilence;
        if (_state.Workers > 0 && heard.TotalSeconds <= _state.WorkerTimeoutSeconds)
            throw new InvalidOperationException($"run {this.GetPrimaryKeyString()} is held by a coordinator heard from {heard.TotalSeconds:F0} s ago: " +
                $"give another --run, or, if that coordinator died, wait {_state.WorkerTimeoutSeconds:F0} s (--worker-timeout) before claiming it again");
        _state = new State { Workers = workers, Generation = _state.Generation + 1, WorkerTimeoutSeconds = workerTimeout.TotalSeconds, Fingerprint = fingerprint, Opener = opener, ResumedAfter = resumedAfter,
            Lake = lake ?? new() };
        _lastSeen.Clear();
        _left.Clear();
        _claims.Clear();
        for (var w = 0; w < workers; w++) Seen(w);
        await Save();
        return _state.Generation;
    }

    public Task Ready()
    {
        _state.Ready = true;
        // Workers are started (--spawn-workers) or can join only now: the time the tables took to go in is not their silence.
        for (var w = 1; w < _state.Workers; w++) Seen(w);
        return Save();
    }

    public Task<int[]> ShardsNotInState(int shards) => Task.FromResult(Enumerable.Range(0, shards)
        .Where(s => !File.Exists(storage.Value.ShardPath(ShardClient.ShardKey(this.GetPrimaryKeyString(), s)))).ToArray());

    public Task<RunOpening> Opening() => Task.FromResult(new RunOpening
    {
        Workers = _state.Workers, Generation = _state.Generation, Fingerprint = _state.Fingerprint, Ready = _state.Ready,
        CoordinatorSilentSeconds = CoordinatorSilence.TotalSeconds, WorkerTimeoutSeconds = _state.WorkerTimeoutSeconds, ResumedAfter = _state.ResumedAfter,
        CoordinatorLeft = _left.Contains(0), Epoch = _state.Members.Keys.DefaultIfEmpty(0).Max(),
    });

    public Task<OpenedLake> Lake(int generation, int worker)
    {
        RequireCurrent(generation, worker);
        return Task.FromResult(_state.Lake);
    }

    public async Task<string> Claim(int generation, int worker, string process)
    {
        RequireCurrent(generation, worker);
        if (_claims.TryGetValue(worker, out var held) && held.Process != process && !_left.Contains(worker)
            && Stopwatch.GetElapsedTime(held.Heard).TotalSeconds <= _state.WorkerTimeoutSeconds)
            return $"worker {worker} of run {this.GetPrimaryKeyString()} is already running (joined at {held.Since:HH:mm:ss} UTC, heard from " +
                $"{Stopwatch.GetElapsedTime(held.Heard).TotalSeconds:F0} s ago): give each worker its own --worker; if that process died, start this one " +
                $"again once it has been silent for {_state.WorkerTimeoutSeconds:F0} s (--worker-timeout)";
        _claims[worker] = (process, DateTime.UtcNow, Stopwatch.GetTimestamp());
        // The index's new process: its beats count, whatever the one before said.
        _left.Remove(worker);
        Seen(worker);
        if (_state.Joined.Add(worker)) await Save();
        return "";
    }

    // A worker of an earlier opening (its coordinator died and was resumed) must not train in this one.
    private void RequireCurrent(int generation, int worker)
    {
        if (generation != _state.Generation)
            throw new InvalidOperationException($"worker {worker} joined opening {generation} of the run, which its coordinator has opened again since (opening {_state.Generation}); start the worker again");
    }

    public Task<int?> Heartbeat(int worker, long[] acknowledged, string? process = null)
    {
        // A beat already on its way when its process said it leaves does not bring it back.
        if (!_left.Contains(worker)) Seen(worker);
        // Only the holder's beats keep a claim: a process waiting to take the index over beats too.
        if (_claims.TryGetValue(worker, out var held) && held.Process == process) _claims[worker] = held with { Heard = Stopwatch.GetTimestamp() };
        if (!_state.Lost.ContainsKey(worker)) _state.Heard[worker] = acknowledged;
        return Task.FromResult(_state.Lost.TryGetValue(worker, out var epoch) ? epoch : (int?)null);
    }

    public async Task<int[]?> Release(int epoch)
    {
        Seen(0);
        if (_state.Members.TryGetValue(epoch, out var members)) return members;
        // A worker that never joined is not lost: its share of the opening's first epoch would be skipped, unsaid (a typo in --workers, a pod still starting).
        if (_state.Members.Count == 0 && NeverJoined().Any()) return null;
        DeclareSilentLost(epoch, Enumerable.Range(1, _state.Workers - 1));
        members = Enumerable.Range(0, _state.Workers).Where(w => !_state.Lost.ContainsKey(w)).ToArray();
        _state.Members[epoch] = members;
        foreach (var old in _state.Members.Keys.Where(e => e < epoch - 2).ToList()) _state.Members.Remove(old);
        await Save();
        return members;
    }

    public Task<int[]> NotJoined() => Task.FromResult(_state.Members.Count == 0 ? NeverJoined().ToArray() : []);

    private IEnumerable<int> NeverJoined() => Enumerable.Range(1, Math.Max(0, _state.Workers - 1)).Where(w => !_state.Joined.Contains(w));

    public Task<int[]?> Members(int generation, int epoch, int worker)
    {
        RequireCurrent(generation, worker);
        Seen(worker);
        return Task.FromResult(_state.Members.GetValueOrDefault(epoch));
    }

    public async Task Contribute(int generation, int epoch, int worker, float[][] values)
    {
        RequireCurrent(generation, worker);
        Seen(worker);
        if (_state.Lost.TryGetValue(worker, out var lostIn))
            throw new InvalidOperationException($"worker {worker} was declared lost in epoch {lostIn} (silent for more than {_state.WorkerTimeoutSeconds:F0} s); its parts went to the others");
        if (!_state.Members.TryGetValue(epoch, out var members) || !members.Contains(worker))
            throw new ArgumentOutOfRangeException(nameof(worker), worker, $"worker {worker} is not a member of epoch {epoch}");
        if (_state.Means.ContainsKey(epoch)) return;
        if (!_state.Contributions.TryGetValue(epoch, out var contributions)) _state.Contributions[epoch] = contributions = [];
        contributions[worker] = values;
        TryAverage(epoch);
        await Save();
    }

    public async Task<MeanReply> Mean(int generation, int epoch, int worker)
    {
        RequireCurrent(generation, worker);
        Seen(worker);
        int[] waiting = [];
        if (!_state.Means.ContainsKey(epoch) && _state.Members.TryGetValue(epoch, out var members))
        {
            if (DeclareSilentLost(epoch, NotContributed(epoch, members)))
            {
                TryAverage(epoch);
                await Save();
            }
            if (!_state.Means.ContainsKey(epoch)) waiting = NotContributed(epoch, members).Where(w => !_state.Lost.ContainsKey(w)).ToArray();
        }
        var mean = _state.Means.GetValueOrDefault(epoch);
        var hasYours = mean is not null || (_state.Contributions.GetValueOrDefault(epoch)?.ContainsKey(worker) ?? false);
        return new MeanReply { Mean = mean, HasYours = hasYours, Waiting = waiting };
    }

    private IEnumerable<int> NotContributed(int epoch, int[] members) => members.Where(w => !(_state.Contributions.GetValueOrDefault(epoch)?.ContainsKey(w) ?? false));

    public Task Finish(int worker, long[] acknowledged)
    {
        _state.Finished[worker] = acknowledged;
        return Save();
    }

    public Task<FinishedReply> Finished()
    {
        // A lost worker never finishes: what it had acknowledged when last heard from counts instead.
        var told = _state.Finished.Values.Concat(_state.Lost.Keys.Where(w => !_state.Finished.ContainsKey(w) && _state.Heard.ContainsKey(w)).Select(w => _state.Heard[w])).ToList();
        var length = told.Select(a => a.Length).DefaultIfEmpty(0).Max();
        var sum = new long[length];
        foreach (var acknowledged in told)
            for (var s = 0; s < acknowledged.Length; s++) sum[s] += acknowledged[s];
        return Task.FromResult(new FinishedReply { Workers = _state.Finished.Count, Acknowledged = sum, Lost = new Dictionary<int, int>(_state.Lost) });
    }

    public Task Leave(int generation, int worker)
    {
        if (generation != _state.Generation) return Task.CompletedTask;
        _left.Add(worker);
        // Heard from last a timeout and a second ago: every check of silence (a lost worker, a dead coordinator) answers at once.
        _lastSeen[worker] = Stopwatch.GetTimestamp() - (long)((_state.WorkerTimeoutSeconds + 1) * Stopwatch.Frequency);
        return Task.CompletedTask;
    }

    public Task<bool> Drop()
    {
        var had = File.Exists(StatePath);
        File.Delete(StatePath);
        _state = new State { Generation = _state.Generation };
        DeactivateOnIdle();
        return Task.FromResult(had);
    }

    private void Seen(int worker) => _lastSeen[worker] = Stopwatch.GetTimestamp();

    private TimeSpan CoordinatorSilence => Stopwatch.GetElapsedTime(_lastSeen.GetValueOrDefault(0, 0));

    // Workers (never the coordinator, whose calls these are) silent for longer than the timeout are lost from this epoch on.
    private bool DeclareSilentLost(int epoch, IEnumerable<int> candidates)
    {
        var declared = false;
        foreach (var worker in candidates.Where(w => w != 0 && !_state.Lost.ContainsKey(w)).ToList())
        {
            if (Stopwatch.GetElapsedTime(_lastSeen.GetValueOrDefault(worker, Stopwatch.GetTimestamp())).TotalSeconds <= _state.WorkerTimeoutSeconds) continue;
            _state.Lost[worker] = epoch;
            declared = true;
        }
        return declared;
    }

    // The mean once every member not lost has contributed.
    private bool TryAverage(int epoch)
    {
        var members = _state.Members[epoch].Where(w => !_state.Lost.ContainsKey(w)).ToList();
        if (!_state.Contributions.TryGetValue(epoch, out var contributions) || !members.All(contributions.ContainsKey)) return false;
        _state.Means[epoch] = Average(members.Select(w => contributions[w]).ToList());
        _state.Contributions.Remove(epoch);
        foreach (var old in _state.Means.Keys.Where(e => e < epoch - 2).ToList()) _state.Means.Remove(old);
        return true;
    }

    private Task Save()
    {
        AtomicFile.WriteAllText(StatePath, JsonSerializer.Serialize(_state));
        return Task.CompletedTask;
    }

    // Summed in worker order, so the mean does not depend on who arrived first.
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
