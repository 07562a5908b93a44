using InverseLearning.Data;
using InverseLearning.Training.Evaluation;
using InverseLearning.Training.Models;
using InverseLearning.Training.Optimizers;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Tests.Evaluation;

public class FullRankingTests
{
    private static readonly ExecutionDevice Cpu = new("cpu", 2);

    private static HostParameterStore RandomStore(IRecommender model, PreparedDataset data, int seed)
    {
        var store = new HostParameterStore(model, data.Users.Count, data.Items.Count, stateSlots: 2, seed);
        var rng = new Random(seed);
        foreach (var p in store.All) for (var i = 0; i < p.Values.Length; i++) p.Values[i] = (float)(rng.NextDouble() - 0.5);
        return store;
    }

    private static FullRanking Protocol(PreparedDataset data, params int[] ks) =>
        new(data, data.Extra.TestPositives!, data.Extra.TestPositivesRule!, ks);

    /// <summary>
    /// The protocol written out plainly: every pair scored by the model's own scoring graph, a
    /// full sort per user, the history left out, recall and NDCG from their definitions.
    /// </summary>
    private static (double[] Recall, double[] Ndcg, int Users) BruteForce(HostParameterStore store, PreparedDataset data, int[] ks)
    {
        using var engine = new TrainingEngine(store, new Adam(), Cpu, maxRows: 8);
        var history = new HashSet<(int, int)>();
        foreach (var set in new[] { data.Train, data.Valid })
            for (var r = 0; r < set.Count; r++) history.Add((set.Users[r], set.Items[r]));
        var positives = data.Extra.TestPositives!;
        var byUser = Enumerable.Range(0, positives.Count).Where(r => !history.Contains((positives.Users[r], positives.Items[r])))
            .GroupBy(r => positives.Users[r], r => positives.Items[r]).ToDictionary(g => g.Key, g => g.ToHashSet());
        var recall = new double[ks.Length];
        var ndcg = new double[ks.Length];
        var items = Enumerable.Range(1, data.Items.Count - 1).ToArray();
        foreach (var (user, relevant) in byUser)
        {
            var logits = new float[items.Length];
            engine.Score(Enumerable.Repeat(user, items.Length).ToArray(), items, logits);
            var ranked = items.Select((item, j) => (item, score: logits[j])).Where(x => !history.Contains((user, x.item)))
                .OrderByDescending(x => x.score).ThenBy(x => x.item).Select(x => x.item).ToArray();
            for (var k = 0; k < ks.Length; k++)
            {
                var top = ranked.Take(ks[k]).ToArray();
                recall[k] += (double)top.Count(relevant.Contains) / relevant.Count;
                var dcg = top.Select((item, r) => relevant.Contains(item) ? 1 / Math.Log2(r + 2) : 0).Sum();
                var idcg = Enumerable.Range(0, Math.Min(relevant.Count, ks[k])).Sum(r => 1 / Math.Log2(r + 2));
                ndcg[k] += dcg / idcg;
            }
        }
        return (recall.Select(v => v / byUser.Count).ToArray(), ndcg.Select(v => v / byUser.Count).ToArray(), byUser.Count);
    }

    [Theory]
    [InlineData("gmf")]
    [InlineData("neumf")]
    [InlineData("mlp")]
    [InlineData("lightgcn")]
    public void Equals_brute_force_over_several_user_blocks(string model)
    {
        // 400 users: more than one block of users (at most 256 a block).
        var data = RankingLogs.Prepare(RankingLogs.Random(rows: 12_000, users: 400, items: 150, seed: 2));
        var store = RandomStore(ModelRegistry.Create(model, dim: 4, layers: 2), data, seed: 5);
        int[] ks = [1, 5, 20];

        var metrics = Protocol(data, ks).Evaluate(store, Cpu);
        var (recall, ndcg, users) = BruteForce(store, data, ks);

        Assert.Equal(users, metrics.Users);
        Assert.True(users > 256);
        for (var k = 0; k < ks.Length; k++)
        {
            Assert.Equal(recall[k], metrics.RecallAt(ks[k]), 5);
            Assert.Equal(ndcg[k], metrics.NdcgAt(ks[k]), 5);
        }
        Assert.True(recall[2] > 0);
    }

    [Theory]
    [InlineData("gmf", false)]
    [InlineData("neumf", false)]
    [InlineData("mlp", false)]
    [InlineData("neumf", true)]
    public void Block_scores_equal_the_models_scoring_graph(string model, bool pairwise)
    {
        var data = RankingLogs.Prepare(RankingLogs.Random(rows: 2000, users: 40, items: 70, seed: 3));
        var store = RandomStore(ModelRegistry.Create(model, dim: 6, layers: 3), data, seed: 1);
        using var engine = new TrainingEngine(store, new Adam(), Cpu, maxRows: 8);
        using var scorer = pairwise ? new PairwiseBlockScorer(new StoreScoringSource(store), Cpu) : UserBlockScorer.For(store, Cpu);
        Assert.IsType(model == "gmf" ? typeof(WholeBlockScorer) : pairwise ? typeof(PairwiseBlockScorer) : typeof(TowerBlockScorer), scorer);
        int[] users = [3, 0, 17, 39];
        var block = new float[users.Length * scorer.ItemRows];

        scorer.Score(users, block);

        var pairs = users.SelectMany(u => Enumerable.Repeat(u, scorer.ItemRows)).ToArray();
        var items = users.SelectMany(_ => Enumerable.Range(0, scorer.ItemRows)).ToArray();
        var expected = new float[pairs.Length];
        engine.Score(pairs, items, expected);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], block[i], 1e-5f);
    }

    [Fact]
    public void Hand_worked_case()
    {
        // GMF with dim 1, user rows 1, weight 1, bias 0: the logit of item i is its embedding.
        var data = RankingLogs.Prepare(RankingLogs.Of(
            (1, 5, 5, SplitTag.Train), (1, 3, 1, SplitTag.Valid), (1, 2, 5, SplitTag.Test), (1, 4, 4, SplitTag.Test), (1, 1, 1, SplitTag.Test),
            (2, 2, 5, SplitTag.Train), (2, 5, 1, SplitTag.Test), (2, 1, 4, SplitTag.Test), (2, 2, 5, SplitTag.Test),
            (3, 1, 5, SplitTag.Train), (3, 3, 1, SplitTag.Test)));
        var store = new HostParameterStore(new Gmf(1), data.Users.Count, data.Items.Count, stateSlots: 2, seed: 0);
        store.Tables[0].Values.AsSpan().Fill(1);
        float[] itemScores = [0, 0.1f, 0.5f, 0.3f, 0.2f, 0.9f];
        itemScores.CopyTo(store.Tables[1].Values, 0);
        store.Dense[0].Values[0] = 1;
        store.Dense[1].Values[0] = 0;

        var metrics = Protocol(data, 1, 2, 4).Evaluate(store, Cpu);

        // User 1 ranks 2, 4, 1 (5 and 3 are its history); positives {2, 4}.
        // User 2 ranks 5, 3, 4, 1 (2 is its history, so its test positive 2 cannot count); positives {1}.
        // User 3 has no positive: not evaluated.
        Assert.Equal(2, metrics.Users);
        Assert.Equal((0.5 + 0) / 2, metrics.RecallAt(1), 12);
        Assert.Equal((1.0 + 0) / 2, metrics.NdcgAt(1), 12);
        Assert.Equal((1.0 + 0) / 2, metrics.RecallAt(2), 12);
        Assert.Equal((1.0 + 0) / 2, metrics.NdcgAt(2), 12);
        Assert.Equal((1.0 + 1) / 2, metrics.RecallAt(4), 12);
        Assert.Equal((1.0 + 1 / Math.Log2(5)) / 2, metrics.NdcgAt(4), 12);
    }

    /// <summary>Scores from a table, user by item: FullRanking takes any scorer (colliding inference brings its own).</summary>
    private sealed class TableScorer(float[,] scores) : IUserBlockScorer
    {
        public int MaxUsers => 1;
        public int ItemRows => scores.GetLength(1);

        public void Score(ReadOnlySpan<int> users, float[] logits)
        {
            for (var i = 0; i < ItemRows; i++) logits[i] = scores[users[0], i];
        }

        public void Dispose() { }
    }

    [Fact]
    public void A_subset_of_users_is_ranked_with_any_scorer()
    {
        var data = RankingLogs.Prepare(RankingLogs.Of(
            (1, 1, 5, SplitTag.Test), (1, 2, 1, SplitTag.Test), (1, 3, 1, SplitTag.Train),
            (2, 2, 5, SplitTag.Test), (2, 1, 1, SplitTag.Test)));
        // Rows: users 0 (unknown), 1, 2; items 0..3. User 1 prefers item 3 (history), then 2, then 1.
        var scorer = new TableScorer(new float[,] { { 0, 0, 0, 0 }, { 0, 0.1f, 0.2f, 0.9f }, { 0, 0.1f, 0.2f, 0.9f } });
        var onlyUser1 = TestPositives.OfUsers(data.Extra.TestPositives!, u => u == data.Users.IndexOf(1));

        var metrics = new FullRanking(data, onlyUser1, "rating:4", [1, 2]).Evaluate(scorer, threads: 1);

        Assert.Equal(1, metrics.Users);
        Assert.Equal(0.0, metrics.RecallAt(1)); // item 2 first
        Assert.Equal(1.0, metrics.RecallAt(2));
        Assert.Equal(1 / Math.Log2(3), metrics.NdcgAt(2), 12);
    }

    [Fact]
    public void Truth_positives_are_the_test_rows_the_ground_truth_likes()
    {
        var simulation = Data.Simulation.FeedSimulator.Run(Data.Simulation.SimulatorPresets.Get("tiny"), seed: 2);
        var data = PreparedDataset.Prepare(simulation.Log, new LabelingOptions(LabelRule.FinishRate), new SplitOptions());

        var (positives, rule) = TestPositives.Resolve(data, simulation.Truth);

        var liked = Enumerable.Range(0, data.Test.Count)
            .Where(r => simulation.Truth.TrueLabel(data.Users.RawIds[data.Test.Users[r]], data.Items.RawIds[data.Test.Items[r]]))
            .Select(r => (data.Test.Users[r], data.Test.Items[r])).ToList();
        Assert.Equal("truth", rule);
        Assert.Equal(liked, Enumerable.Range(0, positives.Count).Select(r => (positives.Users[r], positives.Items[r])).ToList());
        Assert.InRange(liked.Count, 1, data.Test.Count - 1);
        Assert.Throws<DataException>(() => TestPositives.Resolve(data, truth: null));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    public void A_k_outside_the_catalogue_is_refused(int k)
    {
        var data = RankingLogs.Prepare(RankingLogs.Of((1, 1, 5, SplitTag.Train), (1, 2, 5, SplitTag.Test), (1, 3, 5, SplitTag.Test),
            (1, 4, 5, SplitTag.Test), (1, 5, 5, SplitTag.Test)));

        var error = Assert.Throws<ArgumentException>(() => Protocol(data, 2, k));

        Assert.Contains($"--topk: K = {k} is outside [1, 5]", error.Message);
    }

    [Fact]
    public void A_repeated_k_is_refused()
    {
        var data = RankingLogs.Prepare(RankingLogs.Of((1, 1, 5, SplitTag.Train), (1, 2, 5, SplitTag.Test), (1, 3, 5, SplitTag.Test)));

        var error = Assert.Throws<ArgumentException>(() => Protocol(data, 2, 1, 2));

        Assert.Contains("--topk: 2,1,2 repeats a K", error.Message);
    }

    [Fact]
    public void No_true_positive_in_test_is_refused()
    {
        var data = RankingLogs.Prepare(RankingLogs.Random(rows: 500, users: 20, items: 30, seed: 1), positiveAtLeast: 6);

        var error = Assert.Throws<DataException>(() => Protocol(data, 20));

        Assert.Contains("--test-positives rating:6: no true positive among the test rows", error.Message);
    }
}
