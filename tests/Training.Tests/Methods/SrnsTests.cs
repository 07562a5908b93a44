using InverseLearning.Data;
using InverseLearning.Training.Methods;
using InverseLearning.Training.Models;
using InverseLearning.Training.Optimizers;
using InverseLearning.Training.Plans;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Tests.Methods;

/// <summary>
/// SRNS's memory on a GMF of width 1 whose score is s(u, i) = i / 2, so p(i) = σ(i / 2):
/// how a user's memory is filled, which candidate is picked (p + α·std), which one is
/// replaced and how its history restarts, and that its state survives a checkpoint.
/// </summary>
public sealed class SrnsTests : IDisposable
{
    private const int Items = 30, Users = 3, User = 1;
    private readonly TrainingEngine _engine;
    private readonly StepContext _context;
    // User 1 has seen items 25..29: its candidates are drawn from 1..24.
    private readonly UnlabeledSampler _sampler =
        new UnseenItemSampler(InteractionIndex.Build([1, 1, 1, 1, 1, 2], [25, 26, 27, 28, 29, 3], userCount: Users), Items);

    public SrnsTests()
    {
        var store = new HostParameterStore(new Gmf(1), userRows: Users, itemRows: Items, stateSlots: 2, seed: 1);
        store.Tables[0].Values.AsSpan().Fill(1f);
        for (var i = 0; i < Items; i++) store.Tables[1].Values[i] = i / 2f;
        store.Dense[0].Values[0] = 1f;
        store.Dense[1].Values[0] = 0f;
        _engine = new TrainingEngine(store, new Adam(), new ExecutionDevice("cpu", 1), maxRows: 8);
        _context = new StepContext(_engine, freshOptimizer: false);
    }

    private static float P(int item) => (float)(1 / (1 + Math.Exp(-item / 2.0)));

    /// <summary>One labeled row of user 1 and <paramref name="slots"/> unlabeled slots of it.</summary>
    private static StepRows Batch(int slots = 1)
    {
        var rows = new StepRows(8, Items);
        var n = 1 + slots;
        rows.Set(Enumerable.Repeat(User, n).ToArray(), [25, .. Enumerable.Repeat(1, slots)], [1f], 1,
            [User], new int[n], [25, 1], [0, .. Enumerable.Repeat(1, slots)]);
        return rows;
    }

    private int[] Draws(ulong state, int count)
    {
        var rng = new SavableRandom(0) { State = state };
        var items = new int[count];
        for (var k = 0; k < count; k++) _sampler.Sample([User], 1, items.AsSpan(k, 1), rng);
        return items;
    }

    /// <summary>A saved memory state: user 1 ready with <paramref name="candidates"/>, every history NaN but the given ones.</summary>
    private static byte[] State(ulong rng, int size, int window, int[] candidates, params (int Slot, int Column, float P)[] recorded)
    {
        var history = Enumerable.Repeat(float.NaN, Users * size * window).ToArray();
        foreach (var (slot, column, p) in recorded) history[(User * size + slot) * window + column] = p;
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(rng);
            writer.Write(Users);
            for (var u = 0; u < Users; u++) writer.Write(u == User);
            for (var k = 0; k < Users * size; k++) writer.Write(k / size == User ? candidates[k % size] : 0);
            foreach (var p in history) writer.Write(p);
        }
        return stream.ToArray();
    }

    private static Srns.Memory Loaded(Srns.Memory memory, byte[] state)
    {
        using var reader = new BinaryReader(new MemoryStream(state));
        memory.LoadState(reader);
        return memory;
    }

    private static byte[] Saved(Srns.Memory memory)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream)) memory.SaveState(writer);
        return stream.ToArray();
    }

    [Fact]
    public void A_new_users_memory_is_filled_with_fresh_draws_and_its_lowest_scored_candidate_replaced_by_the_next()
    {
        var memory = new Srns.Memory(_sampler, Users, memorySize: 4, window: 3, varianceWeight: 0, seed: 7);
        Assert.True(memory.CandidatesOf(User).IsEmpty);
        var draws = Draws(new SavableRandom(7).State, 5);
        var rows = Batch();
        _context.Epoch = 5;     // history column 5 mod 3 = 2

        memory.Apply(_context, rows);

        var first = draws[..4];
        Assert.Equal(first.Max(), rows.Items[1]);
        var worst = Array.IndexOf(first, first.Min());
        var expected = first.ToArray();
        expected[worst] = draws[4];
        Assert.Equal(expected, memory.CandidatesOf(User).ToArray());
        for (var c = 0; c < 4; c++)
            Assert.Equal(c == worst ? [float.NaN, float.NaN, float.NaN] : [float.NaN, float.NaN, P(first[c])], memory.HistoryOf(User, c).ToArray());
        Assert.True(memory.CandidatesOf(0).IsEmpty && memory.CandidatesOf(2).IsEmpty);
        Assert.All(expected, item => Assert.InRange(item, 1, 24));
    }

    [Theory]
    [InlineData(1.0, 5)]    // item 5: p ≈ 0.924, std of {0, 0.924} = 0.462 → 1.386 beats item 7's 0.971
    [InlineData(0.0, 7)]    // without the variance term the highest score wins
    public void Picks_the_candidate_maximising_score_plus_alpha_times_std_and_replaces_the_lowest_scored(double alpha, int picked)
    {
        var rng = new SavableRandom(21).State;
        var memory = Loaded(new Srns.Memory(_sampler, Users, memorySize: 4, window: 2, varianceWeight: alpha, seed: 1),
            State(rng, size: 4, window: 2, [5, 6, 7, 4], (0, 0, 0f)));
        var rows = Batch();
        _context.Epoch = 1;

        memory.Apply(_context, rows);

        Assert.Equal(picked, rows.Items[1]);
        Assert.Equal([5, 6, 7, Draws(rng, 1)[0]], memory.CandidatesOf(User).ToArray());
        Assert.Equal([0f, P(5)], memory.HistoryOf(User, 0).ToArray());
        Assert.Equal([float.NaN, P(7)], memory.HistoryOf(User, 2).ToArray());
        Assert.Equal([float.NaN, float.NaN], memory.HistoryOf(User, 3).ToArray());
    }

    [Fact]
    public void A_picked_candidate_is_kept_even_when_it_is_the_lowest_scored()
    {
        var memory = Loaded(new Srns.Memory(_sampler, Users, memorySize: 3, window: 2, varianceWeight: 10, seed: 1),
            State(new SavableRandom(21).State, size: 3, window: 2, [5, 6, 7], (0, 0, 0f)));
        var rows = Batch();
        _context.Epoch = 1;

        memory.Apply(_context, rows);

        Assert.Equal(5, rows.Items[1]);
        Assert.Equal([5, 6, 7], memory.CandidatesOf(User).ToArray());
    }

    [Fact]
    public void A_later_slot_of_the_same_user_skips_the_candidate_an_earlier_slot_replaced()
    {
        var rng = new SavableRandom(21).State;
        var memory = Loaded(new Srns.Memory(_sampler, Users, memorySize: 4, window: 2, varianceWeight: 0, seed: 1),
            State(rng, size: 4, window: 2, [5, 6, 7, 4]));
        var rows = Batch(slots: 2);
        _context.Epoch = 0;

        memory.Apply(_context, rows);

        // Slot 1 picks 7 and replaces 4 by the first draw; slot 2 scores 5, 6, 7 only (4's score is stale),
        // picks 7 again and replaces 5, now the lowest, by the second draw.
        var draws = Draws(rng, 2);
        Assert.Equal([7, 7], rows.Items[1..3]);
        Assert.Equal([draws[1], 6, 7, draws[0]], memory.CandidatesOf(User).ToArray());
        Assert.Equal([float.NaN, float.NaN], memory.HistoryOf(User, 3).ToArray());
    }

    [Fact]
    public void Slots_of_two_users_after_two_labeled_rows_each_pick_from_their_own_users_memory()
    {
        var memory = new Srns.Memory(_sampler, Users, memorySize: 3, window: 2, varianceWeight: 0, seed: 11);
        var rng = new SavableRandom(11);
        int Draw(int user)
        {
            var item = new int[1];
            _sampler.Sample([user], 1, item, rng);
            return item[0];
        }
        // Labeled rows (1, 25) and (2, 25); slots of users 2, 1, 2. Memories fill in slot order: user 2, then user 1.
        var rows = new StepRows(8, Items);
        rows.Set([1, 2, 2, 1, 2], [25, 25, 1, 1, 1], [1f, 1f], 2, [1, 2], [0, 1, 1, 0, 1], [25, 1], [0, 0, 1, 1, 1]);
        int[] two = [Draw(2), Draw(2), Draw(2)], one = [Draw(1), Draw(1), Draw(1)];
        _context.Epoch = 0;

        memory.Apply(_context, rows);

        // Each slot takes its user's highest-scored live candidate and replaces the lowest (first of equals) by the next draw.
        int Slot(int[] candidates, int user, bool[] stale)
        {
            int best = -1, worst = -1;
            for (var c = 0; c < candidates.Length; c++)
            {
                if (stale[c]) continue;
                if (best < 0 || candidates[c] > candidates[best]) best = c;
                if (worst < 0 || candidates[c] < candidates[worst]) worst = c;
            }
            var picked = candidates[best];
            if (worst != best) (candidates[worst], stale[worst]) = (Draw(user), true);
            return picked;
        }
        var (staleTwo, staleOne) = (new bool[3], new bool[3]);
        int[] expected = [Slot(two, 2, staleTwo), Slot(one, 1, staleOne), Slot(two, 2, staleTwo)];
        Assert.Equal(expected, rows.Items[2..5]);
        Assert.Equal(two, memory.CandidatesOf(2).ToArray());
        Assert.Equal(one, memory.CandidatesOf(1).ToArray());
        Assert.Equal([25, 25], rows.Items[..2]);
    }

    /// <summary>An unseen-item sampler that cancels the run at its first draw, counting the items it draws.</summary>
    private sealed class CancellingSampler(UnlabeledSampler drawn, CancellationTokenSource run) : UnlabeledSampler
    {
        public int Draws { get; private set; }
        public override int ItemCount => drawn.ItemCount;
        public override bool CanDraw(int user) => drawn.CanDraw(user);

        public override void Sample(ReadOnlySpan<int> users, int ng, Span<int> itemsOut, Random rng)
        {
            drawn.Sample(users, ng, itemsOut, rng);
            Draws += users.Length * ng;
            run.Cancel();
        }
    }

    [Fact]
    public void A_cancel_while_a_slots_user_memory_fills_stops_before_the_next_slots_user_is_filled()
    {
        // A user's first fill is --srns-memory draws: with a large memory, slot after slot, a step deaf to a signal past its grace.
        using var run = new CancellationTokenSource();
        var sampler = new CancellingSampler(_sampler, run);
        var memory = new Srns.Memory(sampler, Users, memorySize: 3, window: 2, varianceWeight: 0, seed: 11);
        // Labeled rows (1, 25) and (2, 25); slots of users 2, 1, 2: user 2's memory fills first.
        var rows = new StepRows(8, Items);
        rows.Set([1, 2, 2, 1, 2], [25, 25, 1, 1, 1], [1f, 1f], 2, [1, 2], [0, 1, 1, 0, 1], [25, 1], [0, 0, 1, 1, 1]);
        _context.Cancel = run.Token;

        Assert.ThrowsAny<OperationCanceledException>(() => memory.Apply(_context, rows));

        // Without the look at the cancel between slots, user 1 was filled too before the scoring saw it.
        Assert.Equal(3, sampler.Draws);
        Assert.Equal(3, memory.CandidatesOf(2).Length);
        Assert.True(memory.CandidatesOf(User).IsEmpty);
    }

    [Fact]
    public void A_cancel_while_a_slot_picks_its_candidate_stops_before_the_next_slot()
    {
        // Picking scans memory × window history values per slot: the cancel is looked at before each slot, not only once the batch is done.
        using var run = new CancellationTokenSource();
        var sampler = new CancellingSampler(_sampler, run);
        var memory = Loaded(new Srns.Memory(sampler, Users, memorySize: 4, window: 2, varianceWeight: 0, seed: 1),
            State(new SavableRandom(21).State, size: 4, window: 2, [5, 6, 7, 4]));
        var rows = Batch(slots: 2);
        _context.Cancel = run.Token;

        // Slot 1 picks 7 and replaces 4 by a draw, which cancels: slot 2 is not picked (it went on, and the step ended as if uncancelled).
        Assert.ThrowsAny<OperationCanceledException>(() => memory.Apply(_context, rows));

        Assert.Equal(1, sampler.Draws);
        Assert.Equal([1, 1], rows.Items[1..3]);
    }

    [Theory]
    [InlineData(new[] { 1f, 2f, 3f, float.NaN }, 0.816496580927726)]    // sqrt(2/3)
    [InlineData(new[] { float.NaN, 4f, float.NaN, 0f }, 2.0)]
    [InlineData(new[] { 2f, 2f }, 0.0)]
    [InlineData(new[] { float.NaN, 1f }, 0.0)]
    [InlineData(new float[0], 0.0)]
    public void Std_is_the_population_deviation_of_the_recorded_values(float[] values, double expected) =>
        Assert.Equal(expected, Srns.Memory.StdDev(values), 6);

    [Fact]
    public void Saved_state_restores_a_memory_that_then_picks_and_draws_as_the_original()
    {
        var original = new Srns.Memory(_sampler, Users, memorySize: 4, window: 3, varianceWeight: 1, seed: 3);
        for (var epoch = 0; epoch < 3; epoch++)
        {
            _context.Epoch = epoch;
            original.Apply(_context, Batch(slots: 2));
        }
        var state = Saved(original);
        var restored = Loaded(new Srns.Memory(_sampler, Users, memorySize: 4, window: 3, varianceWeight: 1, seed: 99), state);
        Assert.Equal(state, Saved(restored));

        _context.Epoch = 3;
        var (a, b) = (Batch(slots: 2), Batch(slots: 2));
        original.Apply(_context, a);
        restored.Apply(_context, b);
        Assert.Equal(a.Items[..3], b.Items[..3]);
        Assert.Equal(Saved(original), Saved(restored));
    }

    [Fact]
    public void State_for_another_number_of_users_is_refused()
    {
        var state = Saved(new Srns.Memory(_sampler, Users, memorySize: 2, window: 2, varianceWeight: 1, seed: 3));
        var other = new Srns.Memory(_sampler, Users + 1, memorySize: 2, window: 2, varianceWeight: 1, seed: 3);
        var error = Assert.Throws<InvalidDataException>(() => Loaded(other, state));
        Assert.Equal("the SRNS memory holds 3 users, this run has 4", error.Message);
    }

    public void Dispose()
    {
        _context.Dispose();
        _engine.Dispose();
    }
}
