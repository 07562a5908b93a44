using InverseLearning.Training.Plans;
using InverseLearning.Data;
using InverseLearning.Training.Evaluation;
using InverseLearning.Training.Graph;
using InverseLearning.Training.Models;
using InverseLearning.Training.Optimizers;
using InverseLearning.Training.Runtime;
using static InverseLearning.Training.Tests.Graph.GradientCheck;

namespace InverseLearning.Training.Tests.Models;

/// <summary>
/// LightGCN's propagation against a hand computation, its gradients against finite differences,
/// a step that reads (and updates) whole tables, and its scoring forms against each other.
/// </summary>
public class LightGcnTests
{
    private const int Dim = 2, Users = 4, Items = 5;
    private static readonly ExecutionDevice Cpu = new("cpu", 1);

    // User 1 likes items 1, 2; user 2 likes item 2; user 3 likes items 3, 4 (4 twice: one edge). Item 1 of user 1 is negative too.
    private static readonly LabeledSet Train = new([1, 1, 2, 3, 3, 3, 1], [1, 2, 2, 3, 4, 4, 3], [1, 1, 1, 1, 1, 1, 0]);

    private static (LightGcn Model, HostParameterStore Store) Setup(int layers = 2)
    {
        var settings = new TrainSettings { Model = "lightgcn", Dim = Dim, Seed = 3 }.WithOption(LightGcnBackbone.Layers, layers);
        var model = (LightGcn)ModelRegistry.Create(new ModelContext(settings, Users, Items, Train));
        var store = new HostParameterStore(model, Users, Items, stateSlots: 2, seed: 3);
        var rng = new Random(5);
        foreach (var p in store.All) for (var i = 0; i < p.Values.Length; i++) p.Values[i] = (float)(rng.NextDouble() * 2 - 1);
        return (model, store);
    }

    /// <summary>Final embeddings by the paper's formula, in double, from the store's values: mean over layers 0..K of Ã^k E.</summary>
    private static (double[,] Users, double[,] Items) HandPropagation(HostParameterStore store, int layers)
    {
        var edges = new[] { (1, 1), (1, 2), (2, 2), (3, 3), (3, 4) };
        var userDegree = new double[Users];
        var itemDegree = new double[Items];
        foreach (var (u, i) in edges) { userDegree[u]++; itemDegree[i]++; }
        double[,] Load(float[] values, int rows)
        {
            var e = new double[rows, Dim];
            for (var r = 0; r < rows; r++) for (var d = 0; d < Dim; d++) e[r, d] = values[r * Dim + d];
            return e;
        }
        var (eu, ei) = (Load(store.All[0].Values, Users), Load(store.All[1].Values, Items));
        var (su, si) = ((double[,])eu.Clone(), (double[,])ei.Clone());
        for (var k = 0; k < layers; k++)
        {
            var (nu, ni) = (new double[Users, Dim], new double[Items, Dim]);
            foreach (var (u, i) in edges)
                for (var d = 0; d < Dim; d++)
                {
                    var w = 1 / Math.Sqrt(userDegree[u] * itemDegree[i]);
                    nu[u, d] += w * ei[i, d];
                    ni[i, d] += w * eu[u, d];
                }
            (eu, ei) = (nu, ni);
            for (var d = 0; d < Dim; d++)
            {
                for (var u = 0; u < Users; u++) su[u, d] += eu[u, d];
                for (var i = 0; i < Items; i++) si[i, d] += ei[i, d];
            }
        }
        for (var d = 0; d < Dim; d++)
        {
            for (var u = 0; u < Users; u++) su[u, d] /= layers + 1;
            for (var i = 0; i < Items; i++) si[i, d] /= layers + 1;
        }
        return (su, si);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void Scores_are_dot_products_of_the_hand_propagated_embeddings(int layers)
    {
        var (model, store) = Setup(layers);
        var (hu, hi) = HandPropagation(store, layers);
        using var engine = new TrainingEngine(store, new Adam(), Cpu, maxRows: 8);
        int[] users = [1, 2, 3, 0, 1], items = [2, 4, 3, 1, 0];
        var logits = new float[users.Length];
        engine.Score(users, items, logits);
        for (var r = 0; r < users.Length; r++)
        {
            var expected = 0.0;
            for (var d = 0; d < Dim; d++) expected += hu[users[r], d] * hi[items[r], d];
            Assert.Equal(expected, logits[r], 1e-5);
        }
        Assert.Equal(layers, model.Layers);
    }

    [Fact]
    public void Gradients_through_the_propagation_match_finite_differences()
    {
        var (model, _) = Setup();
        var rng = new Random(2);
        Tensor Random(long rows) => new(Enumerable.Range(0, (int)rows * Dim).Select(_ => rng.NextDouble() * 2 - 1).ToArray(), [rows, Dim]);
        var graph = model.Graph;
        var weights = graph.Weights.Select(w => (double)w).ToArray();
        Check((g, v) =>
        {
            var (users, items) = model.Propagate(g, v["users"], v["items"], v["edge_user"], v["edge_item"], v["w"]);
            var rows = new Dictionary<string, Value>
            {
                [model.FinalUsers.Name] = g.Gather(users, v["row_user"]),
                [model.FinalItems.Name] = g.Gather(items, v["row_item"]),
            };
            return model.Logits(g, rows, new Dictionary<string, Value>());
        }, new Dictionary<string, Tensor> { ["users"] = Random(Users), ["items"] = Random(Items), ["w"] = new(weights, [weights.Length]) },
           ["users", "items"],
           new Dictionary<string, long[]>
           {
               ["edge_user"] = graph.Users, ["edge_item"] = graph.Items, ["row_user"] = [1, 3, 2, 1], ["row_item"] = [4, 1, 2, 2],
           });
    }

    [Fact]
    public void A_step_binds_the_tables_whole_and_updates_rows_outside_its_batch()
    {
        var (_, store) = Setup();
        using var engine = new TrainingEngine(store, new Adam(), Cpu, maxRows: 8);
        Assert.All(engine.WorkingSet.Parts, part => Assert.Equal(part.Parameter.Shape, part.Shape));
        var before = store.All.Select(p => p.Values.ToArray()).ToArray();
        // One row: user 2 with item 2. Propagation reaches user 1 (who shares item 2) and item 1 (user 1's other item).
        var rows = new StepRows(8, Items);
        rows.Set([2], [2], [1f], 1, uniqueUsers: [2], userSlots: [0], uniqueItems: [2], itemSlots: [0]);
        using var stepContext = new StepContext(engine, freshOptimizer: false);
        var step = stepContext.Compile(new Objective("step", (x, logits) => InverseLearning.Training.Methods.Objectives.Bce(x, logits)));
        engine.Step(step, rows, learningRate: 0.1f);
        bool Moved(int table, int row) => !before[table].AsSpan(row * Dim, Dim).SequenceEqual(store.All[table].Values.AsSpan(row * Dim, Dim));
        Assert.True(Moved(0, 1), "user 1, two hops from the batch's item, kept its row");
        Assert.True(Moved(1, 1), "item 1, reached through user 1, kept its row");
        Assert.False(Moved(0, 3), "user 3 shares nothing with the batch, yet its row moved");
    }

    [Fact]
    public void Scoring_follows_the_store_after_a_write()
    {
        var (_, store) = Setup();
        using var engine = new TrainingEngine(store, new Adam(), Cpu, maxRows: 8);
        var before = new float[1];
        engine.Score([1], [2], before);
        var values = store.All[0].Values.Select(v => v * 2).ToArray();
        store.Write(0, 0, values);
        var after = new float[1];
        engine.Score([1], [2], after);
        Assert.NotEqual(before[0], after[0]);
    }

    [Fact]
    public void Scoring_follows_the_store_after_a_step()
    {
        var (_, store) = Setup();
        using var engine = new TrainingEngine(store, new Adam(), Cpu, maxRows: 8);
        var before = new float[1];
        engine.Score([1], [2], before);
        var rows = new StepRows(8, Items);
        rows.Set([1], [2], [1f], 1, uniqueUsers: [1], userSlots: [0], uniqueItems: [2], itemSlots: [0]);
        using var stepContext = new StepContext(engine, freshOptimizer: false);
        var step = stepContext.Compile(new Objective("step", (x, logits) => InverseLearning.Training.Methods.Objectives.Bce(x, logits)));
        engine.Step(step, rows, learningRate: 0.1f);
        var after = new float[1];
        engine.Score([1], [2], after);
        Assert.True(after[0] > before[0], $"a step towards label 1 left the score at {after[0]} (was {before[0]}): the propagated tables were not recomputed");
    }

    [Fact]
    public void Block_scores_equal_the_models_scoring_graph()
    {
        var (_, store) = Setup(layers: 3);
        using var engine = new TrainingEngine(store, new Adam(), Cpu, maxRows: 8);
        using var scorer = UserBlockScorer.For(store, Cpu);
        Assert.IsType<WholeBlockScorer>(scorer);
        int[] users = [3, 0, 1];
        var block = new float[users.Length * scorer.ItemRows];
        scorer.Score(users, block);
        for (var b = 0; b < users.Length; b++)
        {
            var pairs = new float[Items];
            engine.Score(Enumerable.Repeat(users[b], Items).ToArray(), Enumerable.Range(0, Items).ToArray(), pairs);
            for (var i = 0; i < Items; i++) Assert.Equal(pairs[i], block[b * Items + i], 1e-5);
        }
    }
}
