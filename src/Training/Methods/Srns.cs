using InverseLearning.Data;
using InverseLearning.Training.Graph;
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
    private readonly UnlabeledSampler _sampler;
    private readonly int _size, _window;
    private readonly double _varianceWeight;
    private readonly Random _rng;
    private readonly int[] _memory;
    private readonly float[] _history;     // [user, slot, window]; NaN = not scored in that epoch
    private readonly bool[] _ready;
    private int[] _pairUsers = [], _pairItems = [], _chosen = [];
    private float[] _scores = [];

    public Srns(UnlabeledSampler sampler, int userCount, int memorySize, int window, double varianceWeight, int seed)
    {
        _sampler = sampler;
        _size = memorySize;
        _window = window;
        _varianceWeight = varianceWeight;
        _rng = new Random(seed);
        _memory = new int[userCount * memorySize];
        _history = new float[userCount * memorySize * window];
        _ready = new bool[userCount];
    }

    public override string Name => "srns";
    public override Value Loss(WorkingSetInputs x, Value logits) => Objectives.Bce(x, logits);

    public override void BeforeStep(TrainingEngine engine, StepRows rows, int epoch)
    {
        var slots = rows.Count - rows.LabeledCount;
        var total = slots * _size;
        if (_pairUsers.Length < total)
        {
            _pairUsers = new int[total];
            _pairItems = new int[total];
            _scores = new float[total];
            _chosen = new int[slots];
        }
        for (var k = 0; k < slots; k++)
        {
            var user = rows.Users[rows.LabeledCount + k];
            if (!_ready[user]) Fill(user);
            Array.Fill(_pairUsers, user, k * _size, _size);
            _memory.AsSpan(user * _size, _size).CopyTo(_pairItems.AsSpan(k * _size, _size));
        }
        engine.Score(_pairUsers.AsSpan(0, total), _pairItems.AsSpan(0, total), _scores.AsSpan(0, total));

        var column = epoch % _window;
        for (var k = 0; k < slots; k++)
        {
            var user = _pairUsers[k * _size];
            int best = 0, worst = 0;
            double bestValue = double.NegativeInfinity, worstScore = double.PositiveInfinity;
            for (var c = 0; c < _size; c++)
            {
                // A user with several slots in this batch may have had a candidate replaced by
                // an earlier slot: its score here belongs to the old item, so it is skipped.
                if (_memory[user * _size + c] != _pairItems[k * _size + c]) continue;
                var p = 1 / (1 + Math.Exp(-_scores[k * _size + c]));
                var history = _history.AsSpan((user * _size + c) * _window, _window);
                history[column] = (float)p;
                var value = p + _varianceWeight * StdDev(history);
                if (value > bestValue) (bestValue, best) = (value, c);
                if (p < worstScore) (worstScore, worst) = (p, c);
            }
            _chosen[k] = _pairItems[k * _size + best];
            if (worst != best) Replace(user, worst);
        }
        rows.ReplaceUnlabeledItems(_chosen.AsSpan(0, slots));
    }

    private void Fill(int user)
    {
        for (var c = 0; c < _size; c++) Replace(user, c);
        _ready[user] = true;
    }

    private void Replace(int user, int slot)
    {
        Span<int> users = stackalloc int[1] { user };
        Span<int> item = stackalloc int[1];
        _sampler.Sample(users, 1, item, _rng);
        _memory[user * _size + slot] = item[0];
        _history.AsSpan((user * _size + slot) * _window, _window).Fill(float.NaN);
    }

    private static double StdDev(ReadOnlySpan<float> values)
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

    public override IReadOnlyDictionary<string, object> Settings =>
        new Dictionary<string, object> { ["memory"] = _size, ["window"] = _window, ["variance_weight"] = _varianceWeight };
}
