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
}
