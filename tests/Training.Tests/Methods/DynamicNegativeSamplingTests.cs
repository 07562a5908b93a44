using InverseLearning.Data;
using InverseLearning.Training.Methods;
using InverseLearning.Training.Models;
using InverseLearning.Training.Optimizers;
using InverseLearning.Training.Plans;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Tests.Methods;

public class DynamicNegativeSamplingTests
{
    /// <summary>A GMF of width 1 over 3 users whose score is s(u, i) = i / 100: the best unseen item is the largest one.</summary>
    private static TrainingEngine ScoredByItem(int items, int maxRows)
    {
        var store = new HostParameterStore(new Gmf(1), userRows: 3, itemRows: items, stateSlots: 2, seed: 1);
        store.Tables[0].Values.AsSpan().Fill(1f);
        for (var i = 0; i < items; i++) store.Tables[1].Values[i] = i / 100f;
        store.Dense[0].Values[0] = 1f;
        store.Dense[1].Values[0] = 0f;
        return new TrainingEngine(store, new Adam(), new ExecutionDevice("cpu", 1), maxRows);
    }

    [Fact]
    public void Picks_the_highest_scored_unseen_item_and_rebuilds_the_item_working_set()
    {
        const int items = 21;
        using var engine = ScoredByItem(items, maxRows: 8);

        // User 1 has seen items 20 and 19, user 2 item 20: their best unseen items are 18 and 19.
        var seen = InteractionIndex.Build([1, 1, 2], [20, 19, 20], userCount: 3);
        var dns = new DynamicNegativeSampling.HardestOfCandidates(new UnseenItemSampler(seen, items), candidates: 400, seed: 7);
        using var context = new StepContext(engine, freshOptimizer: false);
        var rows = new StepRows(8, items);
        rows.Set([1, 2, 1, 2], [20, 20, 3, 4], [1f, 0f], 2, [1, 2], [0, 1, 0, 1], [20, 3, 4], [0, 0, 1, 2]);

        dns.Apply(context, rows);

        Assert.Equal([18, 19], rows.Items[2..4]);
        // Slots point at the rebuilt unique items.
        for (var r = 0; r < rows.Count; r++) Assert.Equal(rows.Items[r], rows.UniqueItems[rows.ItemSlots[r]]);
        Assert.Equal(rows.Items[..4].Distinct().Count(), rows.UniqueItemCount);
    }

    [Fact]
    public void Each_slot_picks_among_its_own_candidates_only()
    {
        // Score i / 100 again; user 1 may draw every item but 1, user 2 only items 1 and 2 (it has seen 3..20).
        const int items = 21;
        using var engine = ScoredByItem(items, maxRows: 8);
        var seen = InteractionIndex.Build([1, .. Enumerable.Repeat(2, 18)], [1, .. Enumerable.Range(3, 18)], userCount: 3);
        var dns = new DynamicNegativeSampling.HardestOfCandidates(new UnseenItemSampler(seen, items), candidates: 200, seed: 7);
        using var context = new StepContext(engine, freshOptimizer: false);
        var rows = new StepRows(8, items);
        // Slots: user 1 (its best candidate is 20), then user 2 (best 2, although user 1's 20 scores higher).
        rows.Set([1, 1, 2], [1, 5, 5], [1f], 1, [1, 2], [0, 0, 1], [1, 5], [0, 1, 1]);
        dns.Apply(context, rows);
        Assert.Equal([20, 2], rows.Items[1..3]);
    }

    [Fact]
    public void Its_saved_random_state_makes_a_restored_transform_draw_what_the_original_draws_next()
    {
        // Scores rise with the item index; two candidates a slot, so the choice follows the draws.
        const int items = 50;
        using var engine = ScoredByItem(items, maxRows: 16);
        using var context = new StepContext(engine, freshOptimizer: false);
        var sampler = new UnseenItemSampler(InteractionIndex.Build([1], [10], userCount: 3), items);
        int[] Draw(DynamicNegativeSampling.HardestOfCandidates dns)
        {
            var rows = new StepRows(16, items);
            // One labeled row, then seven slots of users 1 and 2.
            rows.Set([1, 1, 2, 1, 2, 1, 2, 1], [1, 2, 3, 4, 5, 6, 7, 8], [1f], 1, [1, 2], [0, 0, 1, 0, 1, 0, 1, 0], [1, 2, 3, 4, 5, 6, 7, 8], [0, 1, 2, 3, 4, 5, 6, 7]);
            dns.Apply(context, rows);
            return rows.Items[1..8];
        }

        var original = new DynamicNegativeSampling.HardestOfCandidates(sampler, candidates: 2, seed: 7);
        var first = Draw(original);
        using var state = new MemoryStream();
        original.SaveState(new BinaryWriter(state));
        state.Position = 0;
        var restored = new DynamicNegativeSampling.HardestOfCandidates(sampler, candidates: 2, seed: 8);
        restored.LoadState(new BinaryReader(state));

        var next = Draw(original);
        Assert.Equal(next, Draw(restored));
        Assert.NotEqual(first, next);
        Assert.NotEqual(next, Draw(new DynamicNegativeSampling.HardestOfCandidates(sampler, candidates: 2, seed: 8)));
    }

    [Fact]
    public void With_two_candidates_each_slot_keeps_the_higher_scored_of_its_own_two_draws()
    {
        // Scores rise with the item index, so each slot should hold the larger of its two draws.
        const int items = 50;
        using var engine = ScoredByItem(items, maxRows: 16);
        using var context = new StepContext(engine, freshOptimizer: false);
        var sampler = new UnseenItemSampler(InteractionIndex.Build([1], [10], userCount: 3), items);
        var rows = new StepRows(16, items);
        // One labeled row, then seven slots of users 1 and 2.
        int[] slotUsers = [1, 2, 1, 2, 1, 2, 1];
        rows.Set([1, .. slotUsers], [1, 2, 3, 4, 5, 6, 7, 8], [1f], 1, [1, 2], [0, 0, 1, 0, 1, 0, 1, 0], [1, 2, 3, 4, 5, 6, 7, 8], [0, 1, 2, 3, 4, 5, 6, 7]);

        new DynamicNegativeSampling.HardestOfCandidates(sampler, candidates: 2, seed: 7).Apply(context, rows);

        // Replay the draws: two candidates per slot, slot after slot, from one generator seeded 7.
        var rng = new SavableRandom(7);
        var draws = slotUsers.Select(user =>
        {
            var pair = new int[2];
            sampler.Sample([user, user], 1, pair, rng);
            return pair;
        }).ToList();
        Assert.Contains(draws, pair => pair[1] > pair[0]);     // the second draw must win somewhere
        Assert.Contains(draws, pair => pair[0] > pair[1]);     // and the first elsewhere
        Assert.Equal(draws.Select(pair => pair.Max()), rows.Items[1..8]);
    }
}
