using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Evaluation;

/// <summary>
/// Any model, scored pair by pair through its own scoring graph (<see cref="StepGraphs.Scoring"/>):
/// the block's users × a chunk of item rows become index pairs, chunk after chunk. Its cost
/// is the model's per-pair cost times users × items (an MLP tower on every pair), so full
/// ranking of a large catalogue is slow for NeuMF and MLP; GMF has <see cref="GmfBlockScorer"/>.
/// </summary>
public sealed class PairwiseBlockScorer : IUserBlockScorer
{
    private const int PairsPerRun = 1 << 16;
    private readonly ParameterStore _store;
    private readonly GraphSession _session;
    private readonly long[] _pairUsers = new long[PairsPerRun], _pairItems = new long[PairsPerRun];
    private readonly float[] _pairLogits = new float[PairsPerRun];
    private readonly HiddenTable? _hidden;

    public PairwiseBlockScorer(ParameterStore store, ExecutionDevice device)
    {
        _store = store;
        ItemRows = (int)store.Tables[store.TableSides.ToList().IndexOf(Models.TableSide.Item)].Shape[0];
        MaxUsers = UserBlockScorer.UsersPerBlock(ItemRows);
        _session = new GraphSession(StepGraphs.Scoring(store.Model), device);
        _hidden = store.Model is Models.IHistoryRecommender ? new HiddenTable(store) : null;
    }

    public int MaxUsers { get; }
    public int ItemRows { get; }

    public void Score(ReadOnlySpan<int> users, float[] logits)
    {
        if (users.Length > MaxUsers) throw new ArgumentException($"{users.Length} users in one block, at most {MaxUsers}", nameof(users));
        var chunk = Math.Max(1, PairsPerRun / users.Length);
        foreach (var p in _store.All) _session.Input(p.Name, p.Values, p.Shape);
        if (_hidden is not null)
        {
            _hidden.Refresh(users);
            _session.Input(_hidden.Name, _hidden.Values, _hidden.Shape);
        }
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

    public void Dispose() => _session.Dispose();
}
