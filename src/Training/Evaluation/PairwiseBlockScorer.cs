using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Evaluation;

/// <summary>
/// Any model, scored pair by pair through its own scoring graph (<see cref="StepGraphs.Scoring"/>):
/// the block's users × a chunk of item rows become index pairs, chunk after chunk. Its cost
/// is the model's per-pair cost times users × items (an MLP tower on every pair), so full
/// ranking of a large catalogue is slow for a model without a block form of its own.
/// </summary>
public sealed class PairwiseBlockScorer : IUserBlockScorer
{
    private const int PairsPerRun = 1 << 16;
    private readonly IScoringSource _source;
    private readonly GraphSession _session;
    private readonly long[] _pairUsers = new long[PairsPerRun], _pairItems = new long[PairsPerRun];
    private readonly float[] _pairLogits = new float[PairsPerRun];

    public PairwiseBlockScorer(IScoringSource source, ExecutionDevice device)
    {
        _source = source;
        ItemRows = source.Store.ItemRows;
        MaxUsers = UserBlockScorer.UsersPerBlock(ItemRows);
        _session = new GraphSession(StepGraphs.Scoring(source.Store.Model), device);
    }

    public int MaxUsers { get; }
    public int ItemRows { get; }

    public void Score(ReadOnlySpan<int> users, float[] logits)
    {
        if (users.Length > MaxUsers) throw new ArgumentException($"{users.Length} users in one block, at most {MaxUsers}", nameof(users));
        var chunk = Math.Max(1, PairsPerRun / users.Length);
        _source.Bind(_session, users);
        for (var start = 0; start < ItemRows; start += chunk)
        {
            var width = Math.Min(chunk, ItemRows - start);
            var n = users.Length * width;
            for (var b = 0; b < users.Length; b++)
                for (var j = 0; j < width; j++)
                {
                    _pairUsers[b * width + j] = users[b];
                    _pairItems[b * width + j] = start + j;
                }
            _session.Input(StepGraphs.Users, _pairUsers, n);
            _session.Input(StepGraphs.Items, _pairItems, n);
            _session.Output(StepGraphs.Logits, _pairLogits, n);
            _session.Run();
            for (var b = 0; b < users.Length; b++)
                _pairLogits.AsSpan(b * width, width).CopyTo(logits.AsSpan(b * ItemRows + start, width));
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        _source.Dispose();
    }
}
