using InverseLearning.Training.Evaluation;

namespace InverseLearning.Training.Strategies;

/// <summary>Full-ranking scores with colliding inference: a sparse user's row blends in its neighbours' rows (Eq. 8).</summary>
public sealed class CollidingBlockScorer(IUserBlockScorer inner, CollidingInference colliding) : IUserBlockScorer
{
    private float[] _neighborLogits = [];

    public int MaxUsers => inner.MaxUsers;
    public int ItemRows => inner.ItemRows;

    public void Score(ReadOnlySpan<int> users, float[] logits)
    {
        inner.Score(users, logits);
        var k = colliding.K;
        if (_neighborLogits.Length == 0) _neighborLogits = new float[MaxUsers * ItemRows];
        var mean = new double[ItemRows];
        for (var b = 0; b < users.Length; b++)
        {
            if (!colliding.Sparse[users[b]]) continue;
            Array.Clear(mean);
            var neighbors = colliding.NeighborsOf(users[b]);
            for (var start = 0; start < k; start += MaxUsers)
            {
                var block = neighbors.Slice(start, Math.Min(MaxUsers, k - start));
                inner.Score(block, _neighborLogits);
                for (var j = 0; j < block.Length; j++)
                    for (var i = 0; i < ItemRows; i++) mean[i] += CollidingInference.Sigmoid(_neighborLogits[j * ItemRows + i]);
            }
            var row = logits.AsSpan(b * ItemRows, ItemRows);
            for (var i = 0; i < ItemRows; i++) row[i] = CollidingInference.Combine(row[i], mean[i] / k, colliding.Lambda);
        }
    }

    public void Dispose() => inner.Dispose();
}
