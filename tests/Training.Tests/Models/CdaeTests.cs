using InverseLearning.Training.Plans;
using InverseLearning.Training.Artifacts;
using InverseLearning.Training.Graph;
using InverseLearning.Training.Methods;
using InverseLearning.Training.Models;
using InverseLearning.Training.Optimizers;
using InverseLearning.Training.Runtime;
using static InverseLearning.Training.Tests.Graph.GradientCheck;

namespace InverseLearning.Training.Tests.Models;

/// <summary>CDAE's forward pass against a hand computation, its gradients against finite differences, and which rows a step touches.</summary>
public class CdaeTests
{
    private const int Dim = 3;

    // Users 1 and 2 have histories of different lengths, user 3 none; item 5 is in no history.
    private static readonly UserHistory History = new([0, 0, 2, 3, 3], [1, 2, 3]);
    private static readonly int[] Users = [1, 2, 3, 1], Items = [4, 5, 1, 3];
    private static readonly float[] Labels = [1, 0, 1, 0];

    private static (HostParameterStore Store, TrainingEngine Engine, StepRows Rows) Setup(double corruption = 0)
    {
        var model = new Cdae(Dim, corruption, History, seed: 1);
        var store = new HostParameterStore(model, userRows: 4, itemRows: 6, stateSlots: 2, seed: 3);
        var rng = new Random(7);
        foreach (var p in store.All) for (var i = 0; i < p.Values.Length; i++) p.Values[i] = (float)(rng.NextDouble() * 2 - 1);
        var engine = new TrainingEngine(store, new Adam(), new ExecutionDevice("cpu", 1), maxRows: 8);
        var rows = new StepRows(8, 6);
        rows.Set(Users, Items, Labels, 4, uniqueUsers: [1, 2, 3], userSlots: [0, 1, 2, 0], uniqueItems: [4, 5, 1, 3], itemSlots: [0, 1, 2, 3]);
        return (store, engine, rows);
    }

    private static float[] Table(HostParameterStore store, string name) => store.All.Single(p => p.Name == name).Values;

    /// <summary>logit(u, i) = W_out[i]·σ(Σ_{j ∈ H(u)} W_in[j] + V_u + b) + b_out[i], in double, from the store's values.</summary>
    private static double HandLogit(HostParameterStore store, int user, int item)
    {
        var (v, win, wout, bout, b) = (Table(store, Cdae.UserTable), Table(store, Cdae.InputTable), Table(store, Cdae.OutputTable), Table(store, Cdae.OutputBias), Table(store, Cdae.HiddenBias));
        var logit = (double)bout[item];
        for (var d = 0; d < Dim; d++)
        {
            var pre = (double)v[user * Dim + d] + b[d];
            foreach (var j in History.Of(user)) pre += win[j * Dim + d];
            logit += wout[item * Dim + d] / (1 + Math.Exp(-pre));
        }
        return logit;
    }

    [Fact]
    public void Training_graph_and_scoring_agree_with_the_hand_computation()
    {
        var (store, engine, rows) = Setup();
        using var eval = engine.Load(TrainingArtifacts.Eval(store.Model, (x, logits) => x.G.ReduceSum(logits, [0])));
        engine.WorkingSet.Gather(rows);
        engine.BindBatch(eval, rows, freshOptimizer: false);
        var (loss, graphLogits) = (new float[1], new float[4]);
        eval.Output(StepGraphs.Loss, loss);
        eval.Output(StepGraphs.Logits, graphLogits, 4);
        eval.Run();
        var scored = new float[4];
        engine.Score(Users, Items, scored);
        for (var r = 0; r < 4; r++)
        {
            var hand = HandLogit(store, Users[r], Items[r]);
            Assert.Equal(hand, graphLogits[r], 1e-5);
            Assert.Equal(hand, scored[r], 1e-5);
        }
    }

    [Fact]
    public void A_step_moves_only_the_rows_of_the_batch_users_histories_and_scored_items()
    {
        var (store, engine, rows) = Setup();
        var (win, wout) = ((float[])Table(store, Cdae.InputTable).Clone(), (float[])Table(store, Cdae.OutputTable).Clone());
        using var stepContext = new StepContext(engine, freshOptimizer: false);
        var step = stepContext.Compile(new Objective("step", Objectives.Bce));
        engine.Step(step, rows, 0.1f);
        bool Moved(float[] before, string table, int row) => !before.AsSpan(row * Dim, Dim).SequenceEqual(Table(store, table).AsSpan(row * Dim, Dim));
        Assert.Equal([false, true, true, true, false, false], Enumerable.Range(0, 6).Select(j => Moved(win, Cdae.InputTable, j)));
        Assert.Equal([false, true, false, true, true, true], Enumerable.Range(0, 6).Select(i => Moved(wout, Cdae.OutputTable, i)));
    }

    [Fact]
    public void Every_table_is_bound_at_the_steps_distinct_rows_not_its_capacity()
    {
        var (_, engine, rows) = Setup();
        var parts = engine.WorkingSet.Parts;
        var history = parts.Single(p => p.Parameter.Side == TableSide.History);
        var users = parts.Single(p => p.Parameter.Side == TableSide.User);
        Assert.Equal(4 * Dim, history.Length);      // capacity: the longest histories of 8 users (3 entries) + 1

        engine.WorkingSet.Gather(rows);              // users 1, 2, 3: history items 1, 2, 3
        Assert.Equal([3L, Dim], history.Shape);
        Assert.Equal([3L, Dim], users.Shape);
        engine.WorkingSet.Gather(OnlyUser(2));       // item 3 alone
        Assert.Equal([1L, Dim], history.Shape);
        Assert.Equal([1L, Dim], users.Shape);
    }

    [Fact]
    public void A_step_bound_at_a_new_history_size_equals_that_step_on_a_fresh_engine()
    {
        // Both engines first step user 2 alone (1 history row), then the full batch (3 rows):
        // one re-binds its sessions at the new size, the other binds it for the first time.
        var (rebound, engine, rows) = Setup();
        var (fresh, first, _) = Setup();
        using (var stepContext = new StepContext(engine, freshOptimizer: false))
        {
            var step = stepContext.Compile(new Objective("step", Objectives.Bce));
            engine.Step(step, OnlyUser(2), 0.1f);
            engine.Step(step, rows, 0.1f);
        }
        using (var stepContext = new StepContext(first, freshOptimizer: false)) first.Step(stepContext.Compile(new Objective("step", Objectives.Bce)), OnlyUser(2), 0.1f);
        using var second = new TrainingEngine(fresh, new Adam(), new ExecutionDevice("cpu", 1), maxRows: 8);
        using (var stepContext = new StepContext(second, freshOptimizer: false)) second.Step(stepContext.Compile(new Objective("step", Objectives.Bce)), rows, 0.1f);
        foreach (var (a, b) in rebound.All.Zip(fresh.All))
        {
            Assert.Equal(b.Values, a.Values);
            for (var s = 0; s < a.State.Length; s++) Assert.Equal(b.State[s], a.State[s]);
        }
    }

    private static StepRows OnlyUser(int user)
    {
        var rows = new StepRows(8, 6);
        rows.Set([user, user], [4, 5], [1f, 0f], 2, uniqueUsers: [user], userSlots: [0, 0], uniqueItems: [4, 5], itemSlots: [0, 1]);
        return rows;
    }

    [Fact]
    public void Gradients_through_the_history_sum_match_finite_differences()
    {
        var model = new Cdae(Dim, 0, History, seed: 1);
        var rng = new Random(3);
        // Working set: 2 users, 3 history items, 2 scored items; entries 0, 1 belong to user slot 0, entry 2 to slot 1.
        Check((g, v) =>
        {
            var entries = g.Mul(g.Gather(v["in"], v["slot"]), g.Unsqueeze(v["weight"], 1));
            var sum = g.ScatterAdd(g.ZerosLike(v["user"]), v["entry_user"], entries);
            var hidden = model.Hidden(g, sum, v["user"], new Dictionary<string, Value> { [Cdae.HiddenBias] = v["bias"] });
            var rows = new Dictionary<string, Value>
            {
                [model.HiddenTable.Name] = g.Gather(hidden, v["row_user"]),
                [Cdae.OutputTable] = g.Gather(v["out"], v["row_item"]),
                [Cdae.OutputBias] = g.Gather(v["out_bias"], v["row_item"]),
            };
            return model.Logits(g, rows, new Dictionary<string, Value>());
        }, new Dictionary<string, Tensor>
        {
            ["in"] = Random(rng, 3, Dim), ["user"] = Random(rng, 2, Dim), ["bias"] = Random(rng, Dim),
            ["out"] = Random(rng, 2, Dim), ["out_bias"] = Random(rng, 2, 1), ["weight"] = new([1.25, 1.25, 0.5], [3]),
        }, ["in", "user", "bias", "out", "out_bias"],
        new Dictionary<string, long[]> { ["slot"] = [0, 2, 1], ["entry_user"] = [0, 0, 1], ["row_user"] = [0, 1, 0], ["row_item"] = [1, 0, 0] });
    }
}
