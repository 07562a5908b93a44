using InverseLearning.Training.Models;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Tests.Runtime;

/// <summary>The host store's snapshots: a full copy of values and optimizer state, overwritten in place when one is given back.</summary>
public class HostSnapshotTests
{
    private static HostParameterStore Store() => new(new Gmf(4), userRows: 5, itemRows: 7, stateSlots: 2, seed: 1);

    private static void Fill(HostParameterStore store, float value)
    {
        foreach (var p in store.All)
        {
            p.Values.AsSpan().Fill(value);
            foreach (var s in p.State) s.AsSpan().Fill(-value);
        }
    }

    [Fact]
    public void A_reused_snapshot_is_overwritten_in_place_and_restores_the_newer_values()
    {
        var store = Store();
        Fill(store, 1);
        var first = store.Snapshot();
        Fill(store, 2);

        var second = store.Snapshot(reuse: first);
        Fill(store, 3);
        store.Restore(second);

        Assert.Same(first, second);
        Assert.All(store.All, p =>
        {
            Assert.All(p.Values, v => Assert.Equal(2f, v));
            Assert.All(p.State, s => Assert.All(s, v => Assert.Equal(-2f, v)));
        });
    }

    [Fact]
    public void Without_reuse_a_snapshot_is_a_copy_that_later_writes_do_not_touch()
    {
        var store = Store();
        Fill(store, 1);
        var snapshot = store.Snapshot();
        Fill(store, 5);

        store.Restore(snapshot);

        Assert.All(store.All, p => Assert.All(p.Values, v => Assert.Equal(1f, v)));
    }
}
