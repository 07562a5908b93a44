using InverseLearning.Training.Tests.Runtime;
using InverseLearning.Training.Methods;
using InverseLearning.Training.Methods.InverseGradient;
using InverseLearning.Training.Models;
using InverseLearning.Training.Optimizers;
using InverseLearning.Training.Plans;
using InverseLearning.Training.Reports;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Tests.Methods.InverseGradient;

/// <summary>IG's meta-step: candidates against hand-worked values, the choice, and where the BCE step continues from.</summary>
public class CandidateStepTests
{
    private const int Dim = 2;
    private const float SampleLr = 0.05f;

    [Theory]
    [InlineData(0.1f, 0.2f, 0.3f, IgCase.Direct)]
    [InlineData(0.3f, 0.2f, 0.25f, IgCase.Inverse)]
    [InlineData(0.3f, 0.4f, 0.25f, IgCase.Pass)]
    [InlineData(0.2f, 0.2f, 0.2f, IgCase.Direct)]      // ties: direct first
    [InlineData(0.3f, 0.2f, 0.2f, IgCase.Inverse)]     // then inverse
    [InlineData(0.2f, 0.3f, 0.2f, IgCase.Direct)]      // direct before pass
    public void Picks_the_smallest_loss_with_ties_to_direct_then_inverse(float direct, float inverse, float pass, IgCase expected) =>
        Assert.Equal(expected, new CandidateLosses(direct, inverse, pass).Choose());

    /// <summary>A GMF store of width 2 with users 0–2 and items 0–3 set to the given rows; w = (1, 1), b = 0.</summary>
    private static HostParameterStore Store(float[] users, float[] items)
    {
        var store = new HostParameterStore(new Gmf(Dim), userRows: 3, itemRows: 4, stateSlots: 2, seed: 3);
        users.CopyTo(store.Tables[0].Values, 0);
        items.CopyTo(store.Tables[1].Values, 0);
        store.Dense[0].Values.AsSpan().Fill(1f);
        store.Dense[1].Values[0] = 0f;
        return store;
    }

    private static StepRows Rows(int[] users, int[] items, float[] labels)
    {
        var rows = new StepRows(8, 4);
        var uniqueUsers = users.Distinct().ToArray();
        var uniqueItems = items.Distinct().ToArray();
        rows.Set(users, items, labels, labels.Length, uniqueUsers, users.Select(u => Array.IndexOf(uniqueUsers, u)).ToArray(),
            uniqueItems, items.Select(i => Array.IndexOf(uniqueItems, i)).ToArray());
        return rows;
    }

    private static float[] Copy(HostParameterStore store) => store.All.SelectMany(p => p.Values.Concat(p.State.SelectMany(s => s))).ToArray();

    // user 1 = (1, 0.5); item 1 = (0.8, 0.3): s(1, 1) = 0.95. Item 2 = (2, 1): s(1, 2) = 2.5.
    // Item 3 = (0.5, −1): s(1, 3) = 0, where ℓ(s,1) + ℓ(s,0) is smallest.
    private static readonly float[] UserRows = [0, 0, 1, 0.5f, 0.3f, -0.2f];
    private static readonly float[] ItemRows = [0, 0, 0.8f, 0.3f, 2, 1, 0.5f, -1];

    public static TheoryData<IgCase, int[], int[], float[]> Situations => new()
    {
        // The unlabeled row is the labeled pair itself, scored positive: IDL annotates it positive.
        // Labeled y = 1: stepping down the IDL gradient lowers the labeled loss.
        { IgCase.Direct, [1, 1], [1, 1], [1f] },
        // Labeled y = 0: the inverse move lowers it.
        { IgCase.Inverse, [1, 1], [1, 1], [0f] },
        // The labeled pair (1, 3) with both labels sits at the minimum of its loss (s = 0); the
        // unlabeled row (1, 2) shares user 1 and the bias, so either move raises that loss.
        { IgCase.Pass, [1, 1, 1], [3, 3, 2], [1f, 0f] },
    };

    [Theory]
    [MemberData(nameof(Situations))]
    public void After_a_meta_step_the_parameters_are_the_chosen_candidate_plus_one_bce_step(IgCase expected, int[] users, int[] items, float[] labels) =>
        _ = AssertStepsFromTheChosenCandidate(expected, ItemRows, SampleLr, Rows(users, items, labels));

    [Fact]
    public void When_both_moves_lower_the_labeled_loss_the_step_continues_from_the_lower_one()
    {
        // Items 1 = (0.3, 0.2), 2 = (−1, −1). The unlabeled row (1, 2) scores −1.5, where σ(s) − w⁺ > 0, so
        // the first Adam direction is about sign(g): −1 for user 1's and w's entries, +1 for b. With η = 1,
        // θ⁺ has user 1 = (2, 1.5), w = (2, 2), b = −1 and θ⁻ user 1 = (0, −0.5), w = (0, 0), b = 1, so the
        // labeled row (1, 1) with y = 1 scores 0.4 at θ, 0.8 at θ⁺ and 1.0 at θ⁻: L⁻ < L⁺ < L⁰. A choice
        // that compared L⁺ with L⁰ alone would step from θ⁺.
        var rows = Rows([1, 1], [1, 2], [1f]);
        float[] items = [0, 0, 0.3f, 0.2f, -1, -1, 0, 0];
        var losses = AssertStepsFromTheChosenCandidate(IgCase.Inverse, items, 1f, rows);
        Assert.True(losses.Inverse < losses.Direct && losses.Direct < losses.Pass, $"the example must order L⁻ < L⁺ < L⁰: {losses}");
    }

    /// <summary>One meta-step against the reference (the chosen candidate written back, then a plain BCE step); the candidates' losses.</summary>
    private static CandidateLosses AssertStepsFromTheChosenCandidate(IgCase expected, float[] itemRows, float sampleLr, StepRows rows)
    {
        var store = Store(UserRows, itemRows);
        using var engine = new TrainingEngine(store, new Adam(), new ExecutionDevice("cpu", 1), maxRows: 8);
        using var context = new StepContext(engine, freshOptimizer: false) { LearningRate = 0.01f, Epoch = 1 };
        var bce = new Objective("labeled-bce", Objectives.LabeledBce);

        // The reference: the chosen candidate's rows written into a copy of the store, then one plain BCE step there.
        var program = new CandidateStep(sampleLr);
        var losses = program.Evaluate(context, rows);
        Assert.Equal(expected, losses.Choose());
        var reference = Store(UserRows, itemRows);
        using var referenceEngine = new TrainingEngine(reference, new Adam(), new ExecutionDevice("cpu", 1), maxRows: 8);
        using var referenceContext = new StepContext(referenceEngine, freshOptimizer: false) { LearningRate = 0.01f, Epoch = 1 };
        var candidate = expected switch { IgCase.Direct => program.Plus, IgCase.Inverse => program.Minus, _ => null };
        if (candidate is not null) WriteBack(referenceEngine.WorkingSet, rows, candidate, reference);
        PlainStep.Instance.Step(referenceContext, rows, bce);

        program.Step(context, rows, bce);

        Assert.Equal(Copy(reference), Copy(store));
        Assert.Equal(1, store.Step);
        var record = Assert.Single(program.Convergence.Records);
        Assert.Equal(expected, record.Case);
        Assert.Equal((losses.Direct, losses.Inverse, losses.Pass), ((float)record.LossDirect, (float)record.LossInverse, (float)record.LossPass));
        return losses;
    }

    [Fact]
    public void The_convergence_record_holds_the_losses_of_its_own_step()
    {
        // The reference evaluates the candidates with a second program on an identical store, so
        // nothing the stepping program computed before can stand in for what its step produced.
        var rows = Rows([1, 1, 1], [3, 3, 2], [1f, 0f]);
        var reference = Store(UserRows, ItemRows);
        using var referenceEngine = new TrainingEngine(reference, new Adam(), new ExecutionDevice("cpu", 1), maxRows: 8);
        using var referenceContext = new StepContext(referenceEngine, freshOptimizer: false);
        var expected = new CandidateStep(SampleLr).Evaluate(referenceContext, rows);

        var store = Store(UserRows, ItemRows);
        using var engine = new TrainingEngine(store, new Adam(), new ExecutionDevice("cpu", 1), maxRows: 8);
        using var context = new StepContext(engine, freshOptimizer: false) { LearningRate = 0.01f, Epoch = 1 };
        var program = new CandidateStep(SampleLr);
        program.Step(context, rows, new Objective("labeled-bce", Objectives.LabeledBce));

        var record = Assert.Single(program.Convergence.Records);
        Assert.Equal((expected.Direct, expected.Inverse, expected.Pass), ((float)record.LossDirect, (float)record.LossInverse, (float)record.LossPass));
        Assert.NotEqual(0f, expected.Pass);
    }

    // Candidate values per working-set part into the store's rows (tables by the batch's unique ids; dense whole).
    private static void WriteBack(WorkingSet workingSet, StepRows rows, IReadOnlyList<float[]> candidate, HostParameterStore store)
    {
        for (var k = 0; k < workingSet.Parts.Count; k++)
        {
            var part = workingSet.Parts[k];
            var target = store.All.ElementAt(k).Values;
            if (part.Parameter.BoundWhole)
            {
                candidate[k].AsSpan(0, target.Length).CopyTo(target);
                continue;
            }
            var indices = workingSet.Indices(part, rows);
            for (var r = 0; r < indices.Length; r++) candidate[k].AsSpan(r * Dim, Dim).CopyTo(target.AsSpan(indices[r] * Dim, Dim));
        }
    }

    [Fact]
    public void Candidates_move_opposite_ways_and_report_the_labeled_loss_at_each()
    {
        var store = Store(UserRows, ItemRows);
        using var engine = new TrainingEngine(store, new Adam(), new ExecutionDevice("cpu", 1), maxRows: 8);
        using var context = new StepContext(engine, freshOptimizer: true);
        var rows = Rows([1, 2, 1], [1, 3, 2], [1f, 0f]);
        var program = new CandidateStep(SampleLr);
        var losses = program.Evaluate(context, rows);
        for (var k = 0; k < engine.WorkingSet.Parts.Count; k++)
        {
            var part = engine.WorkingSet.Parts[k];
            for (var i = 0; i < part.Length; i++)
                Assert.Equal(part.Rows.Host()[i] - program.Plus[k][i], program.Minus[k][i] - part.Rows.Host()[i], 5);
        }
        // L⁰ is the labeled rows' BCE at the current parameters, scored independently.
        var logits = new float[2];
        engine.Score([1, 2], [1, 3], logits);
        var expected = (LossAt(logits[0], 1) + LossAt(logits[1], 0)) / 2;
        Assert.Equal(expected, losses.Pass, 5);
        Assert.NotEqual(losses.Direct, losses.Inverse);
        // Evaluating candidates changes nothing in the store.
        Assert.Equal(0, store.Step);
        Assert.Equal(UserRows, store.Tables[0].Values);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_direct_candidate_steps_along_the_optimizers_peeked_direction_of_the_idl_gradient(bool freshOptimizer)
    {
        var store = Store(UserRows, ItemRows);
        // Moments that are not fresh: earlier updates left m, v and t = 4 behind.
        var rng = new Random(9);
        foreach (var p in store.All)
            for (var i = 0; i < p.Values.Length; i++)
            {
                p.State[0][i] = (float)(rng.NextDouble() - 0.5) * 0.1f;
                p.State[1][i] = (float)rng.NextDouble() * 0.01f;
            }
        store.Step = 4;
        var (m, v) = (store.All.Select(p => p.State[0].ToArray()).ToArray(), store.All.Select(p => p.State[1].ToArray()).ToArray());
        using var engine = new TrainingEngine(store, new Adam(), new ExecutionDevice("cpu", 1), maxRows: 8);
        using var context = new StepContext(engine, freshOptimizer);
        var rows = Rows([1, 2, 1], [1, 3, 2], [1f, 0f]);      // labeled (1,1,y=1), (2,3,y=0); unlabeled (1,2)

        // The one unlabeled row is (user 1, item 2). With w⁺, w⁻ held constant, d/ds of
        // w⁺ℓ(s,1) + w⁻ℓ(s,0) is σ(s) − w⁺ (one unlabeled row: the mean is the row).
        double[] user1 = [1, 0.5], item2 = [2, 1], weight = [1, 1];
        var s = 2.5;
        var ds = 1 / (1 + Math.Exp(-s)) - InverseDualLoss.PositiveWeight(s);
        // Adam's next direction from (m, v, t): m' = β₁m + (1−β₁)g, v' = β₂v + (1−β₂)g², d = m̂'/(√v̂' + ε).
        var t = freshOptimizer ? 1 : 5;
        double Peek(double g, double m0, double v0)
        {
            if (freshOptimizer) (m0, v0) = (0, 0);
            var m1 = 0.9 * m0 + 0.1 * g;
            var v1 = 0.999 * v0 + 0.001 * g * g;
            return m1 / (1 - Math.Pow(0.9, t)) / (Math.Sqrt(v1 / (1 - Math.Pow(0.999, t))) + 1e-8);
        }
        var program = new CandidateStep(SampleLr);
        var losses = program.Evaluate(context, rows);

        // Working-set parts: users (slot 0 = user 1, slot 1 = user 2), items (slot 2 = item 2), w, b.
        for (var k = 0; k < Dim; k++)
        {
            Assert.Equal(user1[k] - SampleLr * Peek(ds * item2[k] * weight[k], m[0][Dim + k], v[0][Dim + k]), program.Plus[0][k], 5);
            Assert.Equal(item2[k] - SampleLr * Peek(ds * user1[k] * weight[k], m[1][2 * Dim + k], v[1][2 * Dim + k]), program.Plus[1][2 * Dim + k], 5);
            Assert.Equal(weight[k] - SampleLr * Peek(ds * user1[k] * item2[k], m[2][k], v[2][k]), program.Plus[2][k], 5);
        }
        var biasPlus = -SampleLr * Peek(ds, m[3][0], v[3][0]);
        Assert.Equal(biasPlus, program.Plus[3][0], 5);
        // User 2 is not in the unlabeled row: no IDL gradient, but Adam's momentum still moves it unless fresh.
        for (var k = 0; k < Dim; k++)
            Assert.Equal(UserRows[2 * Dim + k] - SampleLr * Peek(0, m[0][2 * Dim + k], v[0][2 * Dim + k]), program.Plus[0][Dim + k], 5);

        // L⁺: the labeled rows' BCE at θ⁺.
        double Row(int part, int slot, int k) => program.Plus[part][slot * Dim + k];
        double Logit(int userSlot, int itemSlot) => program.Plus[3][0] + Enumerable.Range(0, Dim).Sum(k => Row(0, userSlot, k) * Row(1, itemSlot, k) * program.Plus[2][k]);
        Assert.Equal((LossAt(Logit(0, 0), 1) + LossAt(Logit(1, 1), 0)) / 2, losses.Direct, 5);
        // Nothing is committed: the moments and t are as they were.
        Assert.Equal(m[0], store.Tables[0].State[0]);
        Assert.Equal(4, store.Step);
    }

    private static double LossAt(double s, double y) => Math.Max(s, 0) - s * y + Math.Log(1 + Math.Exp(-Math.Abs(s)));
}
