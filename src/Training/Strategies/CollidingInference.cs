using InverseLearning.Training.Graph;
using InverseLearning.Data;
using InverseLearning.Training.Evaluation;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Strategies;

/// <summary>
/// DenoisingRec's colliding inference (TKDE Eq. 8) for sparse users:
///   ŷ′(u, i) = λ·ŷ(u, i) + (1 − λ)·(1/K)·Σ_{v ∈ N_u} ŷ(v, i),
/// with N_u the K users with training rows nearest to u by inner product of the warm-up model's user
/// embeddings and ŷ the final model's probability. A user is sparse when its extra
/// feedback ÷ implicit positives in training is below --colliding-max-ratio (a user with
/// no implicit positive is not: its ratio is undefined). Every other user keeps ŷ
/// (its λ is 1). The table holds up to <see cref="MaxK"/> neighbours, best first, so that
/// tuning can try any K up to it.
/// </summary>
public sealed class CollidingInference : IScoreWrapper
{
    private CollidingInference(int users, int maxK, int[] neighbors, bool[] sparse, int k, double lambda)
    {
        (Users, MaxK, _neighbors, Sparse, K, Lambda) = (users, maxK, neighbors, sparse, k, lambda);
        SparseUserCount = sparse.Count(s => s);
    }

    private readonly int[] _neighbors;     // [Users, MaxK]; a user who is not sparse lists itself

    public int Users { get; }
    public int MaxK { get; }
    public int K { get; }
    public double Lambda { get; }
    public bool[] Sparse { get; }
    public int SparseUserCount { get; }

    /// <summary>The paper's grids for tuning on validation.</summary>
    public static readonly IReadOnlyList<int> KGrid = [1, 3, 5, 10, 20, 50, 100];
    public static readonly IReadOnlyList<double> LambdaGrid = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

    /// <summary>Users whose extra/implicit ratio in training is below <paramref name="maxRatio"/>.</summary>
    public static bool[] SparseUsers(PreparedDataset data, double maxRatio) =>
        data.Extra.TrainRatioPerUser(data).Select(r => !double.IsNaN(r) && r < maxRatio).ToArray();

    /// <summary>
    /// The neighbour table: for each sparse user its <paramref name="maxK"/> nearest other users among <paramref name="candidates"/>
    /// (index ≥ 1) by inner product. A user outside them (no training rows) has an embedding no step trained, whose scores are noise.
    /// </summary>
    public static CollidingInference Build(WarmupUserEmbeddings warmup, bool[] sparse, bool[] candidates, int maxK, int k, double lambda)
    {
        var users = warmup.Users;
        var others = Enumerable.Range(1, users - 1).Count(v => candidates[v]) - 1;
        maxK = Math.Min(maxK, Math.Max(1, others));
        var neighbors = new int[users * maxK];
        var products = new float[users];
        var top = new int[maxK];
        var outside = Enumerable.Range(1, users - 1).Where(v => !candidates[v]).ToList();
        var excluded = new List<int>(outside.Count + 1);
        for (var u = 0; u < users; u++)
        {
            var row = neighbors.AsSpan(u * maxK, maxK);
            if (!sparse[u] || u == 0)
            {
                row.Fill(u);
                continue;
            }
            var embedding = warmup.Of(u);
            for (var v = 1; v < users; v++) products[v] = System.Numerics.Tensors.TensorPrimitives.Dot(embedding, warmup.Of(v));
            // The user itself and the untrained ones, ascending as the selection takes them.
            excluded.Clear();
            excluded.AddRange(outside);
            var at = excluded.BinarySearch(u);
            if (at < 0) excluded.Insert(~at, u);
            var found = TopKSelection.Select(products, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(excluded), top);
            top.AsSpan(0, found).CopyTo(row);
            row[found..].Fill(u);
        }
        return new CollidingInference(users, maxK, neighbors, sparse, Math.Min(k, maxK), lambda);
    }

    /// <summary>The same neighbours with another K (at most <see cref="MaxK"/>) and λ.</summary>
    public CollidingInference With(int k, double lambda) => new(Users, MaxK, _neighbors, Sparse, Math.Min(k, MaxK), lambda);

    /// <summary>User <paramref name="user"/>'s K nearest users, best first.</summary>
    public ReadOnlySpan<int> NeighborsOf(int user) => _neighbors.AsSpan(user * MaxK, K);

    /// <summary>λ per user (index 0 is the unknown user, who is never sparse): what the exported graph gathers.</summary>
    public float[] LambdaPerUser() => Sparse.Select(s => s ? (float)Lambda : 1f).ToArray();

    /// <summary>[Users, K] neighbour indices, for the exported graph.</summary>
    public long[] NeighborTable()
    {
        var table = new long[Users * K];
        for (var u = 0; u < Users; u++)
        {
            var row = NeighborsOf(u);
            for (var j = 0; j < K; j++) table[u * K + j] = row[j];
        }
        return table;
    }

    /// <summary>Rewrites <paramref name="logits"/> (the plain model's, for the given pairs) into the colliding scores' logits.</summary>
    public void Apply(TrainingEngine engine, ReadOnlySpan<int> users, ReadOnlySpan<int> items, Span<float> logits)
    {
        var rows = new List<int>();
        for (var r = 0; r < users.Length; r++) if (Sparse[users[r]]) rows.Add(r);
        if (rows.Count == 0) return;
        var pairUsers = new int[rows.Count * K];
        var pairItems = new int[rows.Count * K];
        for (var s = 0; s < rows.Count; s++)
        {
            NeighborsOf(users[rows[s]]).CopyTo(pairUsers.AsSpan(s * K, K));
            pairItems.AsSpan(s * K, K).Fill(items[rows[s]]);
        }
        var neighborLogits = new float[pairUsers.Length];
        engine.Score(pairUsers, pairItems, neighborLogits);
        for (var s = 0; s < rows.Count; s++)
        {
            double mean = 0;
            for (var j = 0; j < K; j++) mean += Sigmoid(neighborLogits[s * K + j]);
            logits[rows[s]] = Combine(logits[rows[s]], mean / K, Lambda);
        }
    }

    public IUserBlockScorer Wrap(IUserBlockScorer plain) => new CollidingBlockScorer(plain, this);

    /// <summary>The neighbour table [users, K] and λ per user live in the graph: score = λ_u·σ(s(u, i)) + (1 − λ_u)·mean over u's neighbours v of σ(s(v, i)).</summary>
    public Value Export(GraphBuilder g, Value users, Value items, Value probability, Func<Value, Value, Value> plain)
    {
        var neighborTable = g.Initializer(TensorProtos.Create<long>("colliding_neighbors", DType.Int64, NeighborTable(), Users, K));
        var lambdas = g.Initializer(TensorProtos.Create<float>("colliding_lambda", DType.Float, LambdaPerUser(), Users));
        var neighbors = g.Gather(neighborTable, users);                                   // [N, K]
        var neighborItems = g.Expand(g.Unsqueeze(items, 1), neighbors);                   // [N, K]
        var neighborScores = plain(g.Reshape(neighbors, -1), g.Reshape(neighborItems, -1));
        var neighborMean = g.ReduceMean(g.Reshape(neighborScores, -1, K), [1]);
        var lambda = g.Gather(lambdas, users);
        return g.Add(g.Mul(lambda, probability), g.Mul(g.Sub(g.Scalar(1), lambda), neighborMean));
    }

    public string Describe() => $"{SparseUserCount} sparse users, K = {K}, lambda = {Lambda}";

    /// <summary>λ·σ(s) + (1 − λ)·neighbours' mean probability, returned as a logit.</summary>
    public static float Combine(float logit, double neighborMean, double lambda) =>
        Logit(lambda * Sigmoid(logit) + (1 - lambda) * neighborMean);

    public static double Sigmoid(double s) => 1 / (1 + Math.Exp(-s));

    private static float Logit(double p)
    {
        p = Math.Clamp(p, 1e-7, 1 - 1e-7);
        return (float)Math.Log(p / (1 - p));
    }
}
