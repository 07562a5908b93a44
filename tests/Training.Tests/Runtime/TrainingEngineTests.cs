using InverseLearning.Training.Plans;
using InverseLearning.Training.Methods;
using InverseLearning.Training.Models;
using InverseLearning.Training.Optimizers;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Tests.Runtime;

/// <summary>The fused ORT step against the same step worked out by hand in C#.</summary>
public class TrainingEngineTests
{
    private const int Dim = 2;

    // Rows: (user 1, item 1, y = 1), (user 2, item 3, y = 0) labeled; (user 1, item 2) unlabeled.
    private static readonly int[] Users = [1, 2, 1], Items = [1, 3, 2];
    private static readonly float[] Labels = [1, 0];

    private static (HostParameterStore Store, TrainingEngine Engine, StepRows Rows) Setup()
    {
        var store = new HostParameterStore(new Gmf(Dim), userRows: 3, itemRows: 4, stateSlots: 2, seed: 3);
        // Larger values than the N(0, 0.01) init so that the gradients are far from zero.
        var rng = new Random(5);
        foreach (var p in store.All) for (var i = 0; i < p.Values.Length; i++) p.Values[i] = (float)(rng.NextDouble() - 0.5);
        var engine = new TrainingEngine(store, new Adam(), new ExecutionDevice("cpu", 1), maxRows: 8);
        var rows = new StepRows(8, 4);
        rows.Set(Users, Items, Labels, 2, uniqueUsers: [1, 2], userSlots: [0, 1, 0], uniqueItems: [1, 3, 2], itemSlots: [0, 1, 2]);
        return (store, engine, rows);
    }

    /// <summary>NS's loss and gradients on the three rows, worked out by hand from the store's current values.</summary>
    private static (double Loss, double[] U, double[] I, double[] W, double B) HandBce(HostParameterStore store)
    {
        var (u, it, w, b) = (store.Tables[0].Values, store.Tables[1].Values, store.Dense[0].Values, store.Dense[1].Values[0]);
        // s_r = Σ_k U[u,k]·I[i,k]·w[k] + b; loss = mean ℓ(s, y) with y = 0 for the unlabeled row.
        double[] y = [1, 0, 0];
        var gradU = new double[u.Length]; var gradI = new double[it.Length]; var gradW = new double[Dim]; var gradB = 0.0;
        var loss = 0.0;
        for (var r = 0; r < 3; r++)
        {
            var s = (double)b;
            for (var k = 0; k < Dim; k++) s += u[Users[r] * Dim + k] * it[Items[r] * Dim + k] * w[k];
            loss += Math.Max(s, 0) - s * y[r] + Math.Log(1 + Math.Exp(-Math.Abs(s)));
            var ds = (1 / (1 + Math.Exp(-s)) - y[r]) / 3;
            for (var k = 0; k < Dim; k++)
            {
                gradU[Users[r] * Dim + k] += ds * it[Items[r] * Dim + k] * w[k];
                gradI[Items[r] * Dim + k] += ds * u[Users[r] * Dim + k] * w[k];
                gradW[k] += ds * u[Users[r] * Dim + k] * it[Items[r] * Dim + k];
            }
            gradB += ds;
        }
        return (loss / 3, gradU, gradI, gradW, gradB);
    }

    private static double[][] Values(HostParameterStore store) => store.All.Select(p => p.Values.Select(v => (double)v).ToArray()).ToArray();

    [Fact]
    public void Ns_step_matches_hand_computed_bce_gradient_and_first_adam_update()
    {
        var (store, engine, rows) = Setup();
        var before = Values(store);
        var (loss, gradU, gradI, gradW, gradB) = HandBce(store);

        using var stepContext = new StepContext(engine, freshOptimizer: false);

        var step = stepContext.Compile(new Objective("step", Objectives.Bce));
        var reported = engine.Step(step, rows, 0.01f);

        Assert.Equal(loss, reported, 5);
        // Adam's first step with bias correction: m̂ = g, v̂ = g², so θ ← θ − lr·g / (|g| + ε).
        static double Expected(double theta, double g) => theta - 0.01 * g / (Math.Abs(g) + 1e-8);
        AssertAll(store.Tables[0].Values, before[0], gradU, Expected);
        AssertAll(store.Tables[1].Values, before[1], gradI, Expected);
        AssertAll(store.Dense[0].Values, before[2], gradW, Expected);
        AssertAll(store.Dense[1].Values, before[3], [gradB], Expected);
        Assert.Equal(1, store.Step);
        // Adam's first moment holds (1 − β1)·g for the touched rows.
        var m = store.Tables[0].State[0];
        for (var k = 0; k < Dim; k++) Assert.Equal(0.1 * gradU[Dim + k], m[Dim + k], 6);
    }

    [Fact]
    public void Sgd_step_moves_each_parameter_by_the_learning_rate_times_its_gradient()
    {
        var store = new HostParameterStore(new Gmf(Dim), userRows: 3, itemRows: 4, stateSlots: 0, seed: 3);
        var rng = new Random(5);
        foreach (var p in store.All) for (var i = 0; i < p.Values.Length; i++) p.Values[i] = (float)(rng.NextDouble() - 0.5);
        using var engine = new TrainingEngine(store, new Sgd(), new ExecutionDevice("cpu", 1), maxRows: 8);
        var rows = new StepRows(8, 4);
        rows.Set(Users, Items, Labels, 2, uniqueUsers: [1, 2], userSlots: [0, 1, 0], uniqueItems: [1, 3, 2], itemSlots: [0, 1, 2]);
        var before = Values(store);
        var (_, gradU, gradI, gradW, gradB) = HandBce(store);

        using var stepContext = new StepContext(engine, freshOptimizer: false);

        var step = stepContext.Compile(new Objective("step", Objectives.Bce));
        engine.Step(step, rows, 0.5f);

        static double Expected(double theta, double g) => theta - 0.5 * g;
        AssertAll(store.Tables[0].Values, before[0], gradU, Expected);
        AssertAll(store.Tables[1].Values, before[1], gradI, Expected);
        AssertAll(store.Dense[0].Values, before[2], gradW, Expected);
        AssertAll(store.Dense[1].Values, before[3], [gradB], Expected);
    }

    [Fact]
    public void Each_table_is_bound_at_the_steps_distinct_rows_not_its_capacity()
    {
        var (_, engine, rows) = Setup();
        engine.WorkingSet.Gather(rows);
        var (users, items) = (engine.WorkingSet.Parts[0], engine.WorkingSet.Parts[1]);
        Assert.Equal(3 * Dim, users.Length);         // capacity: the 3 user rows
        Assert.Equal([2L, Dim], users.Shape);       // users 1 and 2
        Assert.Equal([3L, Dim], items.Shape);       // items 1, 3 and 2
    }

    [Fact]
    public void Rows_outside_the_working_set_are_untouched()
    {
        var (store, engine, rows) = Setup();
        var userZero = store.Tables[0].Values[..Dim];
        var itemZero = store.Tables[1].Values[..Dim];
        using var stepContext = new StepContext(engine, freshOptimizer: false);
        var step = stepContext.Compile(new Objective("step", Objectives.Bce));
        engine.Step(step, rows, 0.1f);
        Assert.Equal(userZero, store.Tables[0].Values[..Dim]);
        Assert.Equal(itemZero, store.Tables[1].Values[..Dim]);
        Assert.All(store.Tables[1].State[1][..Dim], v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Scores_equal_the_model_formula()
    {
        var (store, engine, _) = Setup();
        int[] users = [0, 1, 2, 2];
        int[] items = [3, 1, 0, 2];
        var logits = new float[4];
        engine.Score(users, items, logits);
        var (u, it, w, b) = (store.Tables[0].Values, store.Tables[1].Values, store.Dense[0].Values, store.Dense[1].Values);
        for (var r = 0; r < 4; r++)
        {
            var s = (double)b[0];
            for (var k = 0; k < Dim; k++) s += u[users[r] * Dim + k] * it[items[r] * Dim + k] * w[k];
            Assert.Equal(s, logits[r], 5);
        }
    }

    private static void AssertAll(float[] actual, double[] before, double[] gradient, Func<double, double, double> expected)
    {
        for (var i = 0; i < actual.Length; i++)
            Assert.True(Math.Abs(expected(before[i], gradient[i]) - actual[i]) < 1e-5,
                $"element {i}: expected {expected(before[i], gradient[i])}, got {actual[i]} (gradient {gradient[i]})");
    }
}
