using InverseLearning.Data;
using InverseLearning.Training.Methods;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Tests.Methods;

public class SlotCandidatesTests
{
    [Fact]
    public void A_later_batch_with_more_unlabeled_slots_than_the_first_has_buffers_for_every_slot()
    {
        // The buffers are sized by the first batch (one slot) and must grow for a larger one (three slots): kills
        // SlotCandidates.Take's `_users.Length < total` turned into `_users.Length == 0` (sized once, never grown).
        var candidates = new SlotCandidates(perSlot: 2);
        var small = new StepRows(8, 21);
        small.Set([1, 1], [5, 6], [1f], 1, [1], [0, 0], [5, 6], [0, 1]);
        Assert.Equal(1, candidates.Take(small));
        Assert.Equal([1, 1], candidates.Users.ToArray());

        var large = new StepRows(8, 21);
        large.Set([1, 1, 2, 1], [5, 6, 7, 8], [1f], 1, [1, 2], [0, 0, 1, 0], [5, 6, 7, 8], [0, 1, 2, 3]);
        Assert.Equal(3, candidates.Take(large));

        Assert.Equal([1, 1, 2, 2, 1, 1], candidates.Users.ToArray());
        Assert.Equal(6, candidates.Items.Length);
        for (var slot = 0; slot < 3; slot++) candidates.Choose(slot, 10 + slot);
        candidates.Replace(large);
        Assert.Equal([5, 10, 11, 12], large.Items[..4]);
    }

    [Fact]
    public void Candidates_past_a_draw_chunk_per_slot_are_drawn_a_slot_at_a_time_as_one_draw_for_all_would_draw_them()
    {
        // 70,000 candidates a slot, more than the 65,536 drawn between two looks at the cancel: the slots drawn at once must
        // still be one, not none (a draw that went round without end), and the chunks draw what one draw for all would.
        var candidates = new SlotCandidates(perSlot: 70_000);
        var rows = new StepRows(8, 21);
        rows.Set([1, 1, 2, 1], [5, 6, 7, 8], [1f], 1, [1, 2], [0, 0, 1, 0], [5, 6, 7, 8], [0, 1, 2, 3]);
        Assert.Equal(3, candidates.Take(rows));
        var sampler = new RecordingSampler();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        candidates.Draw(sampler, new Random(5), timeout.Token);

        Assert.Equal([70_000, 70_000, 70_000], sampler.UsersPerCall);
        var once = new int[3 * 70_000];
        sampler.Sample(candidates.Users, 1, once, new Random(5));
        Assert.Equal(once, candidates.Items.ToArray());
    }

    [Fact]
    public void A_draw_looks_at_the_cancel_before_its_first_chunk()
    {
        var candidates = new SlotCandidates(perSlot: 2);
        var rows = new StepRows(8, 21);
        rows.Set([1, 1, 2, 1], [5, 6, 7, 8], [1f], 1, [1, 2], [0, 0, 1, 0], [5, 6, 7, 8], [0, 1, 2, 3]);
        candidates.Take(rows);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() => candidates.Draw(new RecordingSampler(), new Random(5), cancelled.Token));
    }

    /// <summary>Draws each row's item from the random numbers in row order, as the samplers do, and records each call's rows.</summary>
    private sealed class RecordingSampler : UnlabeledSampler
    {
        public List<int> UsersPerCall { get; } = [];

        public override int ItemCount => 21;

        public override void Sample(ReadOnlySpan<int> users, int ng, Span<int> itemsOut, Random rng)
        {
            UsersPerCall.Add(users.Length);
            for (var r = 0; r < users.Length * ng; r++) itemsOut[r] = 1 + rng.Next(ItemCount - 1);
        }

        public override bool CanDraw(int user) => true;
    }
}
