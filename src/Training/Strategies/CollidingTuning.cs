using InverseLearning.Data;
using InverseLearning.Training.Evaluation;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Strategies;

/// <summary>
/// Picks colliding inference's K and λ on the validation rows, over the paper's grids:
/// the pair with the highest validation AUC (the first found, trying K upwards and λ from
/// 1 down, so that a tie keeps the smaller change). Neighbour scores are computed once for
/// the largest K and averaged by prefix sums for every smaller one.
/// </summary>
public static class CollidingTuning
{
    public sealed record Choice(int K, double Lambda, double ValidAuc, double PlainValidAuc);

    public static Choice Tune(TrainingEngine engine, CollidingInference table, LabeledSet valid)
    {
        var n = valid.Count;
        var users = new int[n];
        valid.CopyUsers(0, users);   // a copy: a streamed run's validation rows are grouped by user and hold no user column
        var items = valid.Items.AsSpan(0, n);
        var plain = new float[n];
        engine.Score(users, items, plain);

        var full = table.With(table.MaxK, 1);
        var sparseRows = Enumerable.Range(0, n).Where(r => table.Sparse[users[r]]).ToArray();
        var k = full.K;
        var pairUsers = new int[sparseRows.Length * k];
        var pairItems = new int[sparseRows.Length * k];
        for (var s = 0; s < sparseRows.Length; s++)
        {
            full.NeighborsOf(users[sparseRows[s]]).CopyTo(pairUsers.AsSpan(s * k, k));
            pairItems.AsSpan(s * k, k).Fill(items[sparseRows[s]]);
        }
        var neighborLogits = new float[pairUsers.Length];
        engine.Score(pairUsers, pairItems, neighborLogits);
        // prefix[s, j] = Σ_{t < j} σ(neighbour t's logit) for sparse row s.
        var prefix = new double[sparseRows.Length, k + 1];
        for (var s = 0; s < sparseRows.Length; s++)
            for (var j = 0; j < k; j++) prefix[s, j + 1] = prefix[s, j] + CollidingInference.Sigmoid(neighborLogits[s * k + j]);

        var probabilities = plain.Select(l => (float)CollidingInference.Sigmoid(l)).ToArray();
        var plainAuc = Auc(valid, probabilities);
        var best = new Choice(Math.Min(CollidingInference.KGrid[0], k), 1, plainAuc, plainAuc);
        foreach (var kk in CollidingInference.KGrid.Where(c => c <= k))
            foreach (var lambda in CollidingInference.LambdaGrid.Reverse())
            {
                for (var s = 0; s < sparseRows.Length; s++)
                {
                    var r = sparseRows[s];
                    probabilities[r] = (float)(lambda * CollidingInference.Sigmoid(plain[r]) + (1 - lambda) * prefix[s, kk] / kk);
                }
                var auc = Auc(valid, probabilities);
                if (auc > best.ValidAuc) best = new Choice(kk, lambda, auc, plainAuc);
            }
        return best;
    }

    private static double Auc(LabeledSet set, float[] probabilities) => Metrics.Auc(set.Labels, probabilities);
}
