using InverseLearning.Training.Plugins;
using InverseLearning.Data;
using InverseLearning.Training.Plans;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Methods;

/// <summary>
/// SRNS (Ding et al., NeurIPS 2020), simplified: each user keeps a memory of S candidate
/// negatives with their predicted probabilities over the last W epochs. For each
/// unlabeled slot the candidate maximising p_now + α·std(p over the window) is the
/// negative: high score (informative) and high variance (false negatives tend to be
/// scored high consistently, so low variance). The memory's lowest-scored candidate is
/// then replaced by a fresh uniform sample, so the memory keeps exploring.
/// Objective: BCE as NS.
/// </summary>
public sealed class Srns : TrainingMethod
{
    public static readonly PluginOption MemorySize = new("srns-memory", "SRNS: candidate memory per user.", 16, 1, 10_000, Integer: true);
    public static readonly PluginOption Window = new("srns-window", "SRNS: epochs of score history for the variance.", 5, 1, 1_000, Integer: true);
    public static readonly PluginOption VarianceWeight = new("srns-variance-weight", "SRNS: α, the weight of the score's standard deviation.", 1.0, 0, 1e6);

    public override string Name => "srns";
    public override IReadOnlyList<PluginOption> Options => [MemorySize, Window, VarianceWeight];

    /// <summary>Per user a memory of candidates and their score history; per sampled slot the memory's scores.</summary>
    public override IEnumerable<RunMemoryEstimate.Part> MemoryParts(MethodMemory memory)
    {
        var size = (long)memory.Settings.Option(MemorySize);
        var candidates = memory.UserRows * size;
        var history = candidates * (long)memory.Settings.Option(Window);
        return
        [
            new("SRNS memory and score history", "--srns-memory, --srns-window", candidates * sizeof(int) + history * sizeof(float) + memory.UserRows, Math.Max(candidates, history)),
            new("SRNS candidate scores", "--srns-memory, --batch-size, --ng", memory.UnlabeledSlots * size * 3 * sizeof(float), memory.UnlabeledSlots * size),
        ];
    }

    public override MethodPlan Plan(PlanContext context)
    {
        var s = context.Settings;
        var memory = new Memory(context.Sampler, context.Data.Users.Count, (int)s.Option(MemorySize), (int)s.Option(Window), s.Option(VarianceWeight), s.Seed);
        return context.OnePass(this, new Objective("bce", Objectives.Bce), memory);
    }

    /// <summary>The per-user candidate memory and its score history: SRNS's batch transform.</summary>
    public sealed class Memory : IBatchTransform, IStatefulPart
    {
        private readonly UnlabeledSampler _sampler;
        private readonly int _size, _window;
        private readonly double _varianceWeight;
        private readonly SavableRandom _rng;
        private readonly int[] _memory;
        private readonly float[] _history;     // [user, slot, window]; NaN = not scored in that epoch
        private readonly bool[] _ready;
        private readonly SlotCandidates _candidates;

        public Memory(UnlabeledSampler sampler, int userCount, int memorySize, int window, double varianceWeight, int seed)
        {
            _sampler = sampler;
            _size = memorySize;
            _window = window;
            _varianceWeight = varianceWeight;
            _rng = new SavableRandom(seed);
            _memory = new int[userCount * memorySize];
            _history = new float[userCount * memorySize * window];
            _ready = new bool[userCount];
            _candidates = new SlotCandidates(memorySize);
        }

        public string StateKey => "srns.memory";

        /// <summary>User <paramref name="user"/>'s candidates (empty until the user's first unlabeled slot).</summary>
        public ReadOnlySpan<int> CandidatesOf(int user) => _ready[user] ? _memory.AsSpan(user * _size, _size) : [];

        /// <summary>The probabilities recorded for candidate <paramref name="slot"/> of <paramref name="user"/>, by epoch mod W (NaN: none).</summary>
        public ReadOnlySpan<float> HistoryOf(int user, int slot) => _history.AsSpan((user * _size + slot) * _window, _window);

        public void Apply(StepContext context, StepRows rows)
        {
            var slots = _candidates.Take(rows);
            var users = _candidates.Users;
            var items = _candidates.Items;
            // Slot by slot, each up to --srns-memory draws (a user's first fill) and memory × window history values: the run's cancel is looked at between them.
            for (var k = 0; k < slots; k++)
            {
                context.Cancel.ThrowIfCancellationRequested();
                var user = users[k * _size];
                if (!_ready[user]) Fill(user);
                _memory.AsSpan(user * _size, _size).CopyTo(items.Slice(k * _size, _size));
            }
            _candidates.Score(context);
            var scores = _candidates.Scores;

            var column = context.Epoch % _window;
            for (var k = 0; k < slots; k++)
            {
                context.Cancel.ThrowIfCancellationRequested();
                var user = users[k * _size];
                int best = 0, worst = 0;
                double bestValue = double.NegativeInfinity, worstScore = double.PositiveInfinity;
                for (var c = 0; c < _size; c++)
                {
                    // A user with several slots in this batch may have had a candidate replaced by
                    // an earlier slot: its score here belongs to the old item, so it is skipped.
                    if (_memory[user * _size + c] != items[k * _size + c]) continue;
                    var p = 1 / (1 + Math.Exp(-scores[k * _size + c]));
                    var history = _history.AsSpan((user * _size + c) * _window, _window);
                    history[column] = (float)p;
                    var value = p + _varianceWeight * StdDev(history);
                    if (value > bestValue) (bestValue, best) = (value, c);
                    if (p < worstScore) (worstScore, worst) = (p, c);
                }
                _candidates.Choose(k, items[k * _size + best]);
                if (worst != best) Replace(user, worst);
            }
            _candidates.Replace(rows);
        }

        private void Fill(int user)
        {
            for (var c = 0; c < _size; c++) Replace(user, c);
            _ready[user] = true;
        }

        private void Replace(int user, int slot)
        {
            Span<int> users = [user];
            Span<int> item = stackalloc int[1];
            _sampler.Sample(users, 1, item, _rng);
            _memory[user * _size + slot] = item[0];
            _history.AsSpan((user * _size + slot) * _window, _window).Fill(float.NaN);
        }

        /// <summary>Population standard deviation of the recorded (non-NaN) values; 0 with fewer than two.</summary>
        public static double StdDev(ReadOnlySpan<float> values)
        {
            double sum = 0, squares = 0;
            var n = 0;
            foreach (var v in values)
            {
                if (float.IsNaN(v)) continue;
                sum += v;
                squares += v * (double)v;
                n++;
            }
            if (n < 2) return 0;
            var mean = sum / n;
            return Math.Sqrt(Math.Max(squares / n - mean * mean, 0));
        }

        public void SaveState(BinaryWriter writer)
        {
            writer.Write(_rng.State);
            writer.Write(_ready.Length);
            foreach (var ready in _ready) writer.Write(ready);
            foreach (var item in _memory) writer.Write(item);
            foreach (var p in _history) writer.Write(p);
        }

        public void LoadState(BinaryReader reader)
        {
            _rng.State = reader.ReadUInt64();
            var users = reader.ReadInt32();
            if (users != _ready.Length) throw new InvalidDataException($"the SRNS memory holds {users} users, this run has {_ready.Length}");
            for (var u = 0; u < _ready.Length; u++) _ready[u] = reader.ReadBoolean();
            for (var k = 0; k < _memory.Length; k++) _memory[k] = reader.ReadInt32();
            for (var k = 0; k < _history.Length; k++) _history[k] = reader.ReadSingle();
        }
    }
}
