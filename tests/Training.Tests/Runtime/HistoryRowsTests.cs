using InverseLearning.Training.Models;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Tests.Runtime;

/// <summary>A step's history entries: exactly the kept history of its users, dropped at rate q, rescaled by 1/(1 − q), the same for the same batch.</summary>
public class HistoryRowsTests
{
    private const int Users = 41, Items = 400;

    // User u (1..40) has the 50 items (u·7 + k·3) mod 399 + 1: 2,000 entries in all.
    private static readonly UserHistory History = Build();

    private static UserHistory Build()
    {
        var offsets = new int[Users + 1];
        var items = new List<int>();
        for (var u = 1; u < Users; u++)
        {
            items.AddRange(Enumerable.Range(0, 50).Select(k => (u * 7 + k * 3) % 399 + 1).Distinct().Order());
            offsets[u + 1] = items.Count;
        }
        offsets[Users] = items.Count;
        return new UserHistory(offsets, [.. items]);
    }

    private static StepRows Batch(int firstItem)
    {
        var users = Enumerable.Range(1, Users - 1).ToArray();
        var items = users.Select(u => (u + firstItem) % 399 + 1).ToArray();
        var rows = new StepRows(64, Items);
        rows.Set(users, items, users.Select(_ => 1f).ToArray(), users.Length, users, Enumerable.Range(0, users.Length).ToArray(),
            items.Distinct().ToArray(), items.Select(i => Array.IndexOf(items.Distinct().ToArray(), i)).ToArray());
        return rows;
    }

    private static HistoryRows Entries(double q, StepRows rows, bool corrupt = true)
    {
        var history = new HistoryRows(new Cdae(4, q, History, seed: 9), maxUsers: 64);
        history.Build(rows, corrupt);
        return history;
    }

    private static HashSet<(int User, int Item)> Kept(HistoryRows h, StepRows rows) =>
        Enumerable.Range(0, h.Count).Select(e => (rows.UniqueUsers[h.Users[e]], h.UniqueItems[h.Slots[e]])).ToHashSet();

    [Fact]
    public void Without_corruption_every_entry_of_every_batch_user_is_there_once_with_weight_one()
    {
        var rows = Batch(0);
        var h = Entries(0.5, rows, corrupt: false);
        var expected = Enumerable.Range(1, Users - 1).SelectMany(u => History.Of(u).ToArray().Select(i => (User: u, Item: i))).ToHashSet();
        Assert.Equal(expected.Count, h.Count);
        Assert.Equal(expected, Kept(h, rows));
        Assert.All(h.Weights.Take(h.Count), w => Assert.Equal(1f, w));
        // The History rows are the distinct history items, each once: what the step gathers.
        Assert.Equal(expected.Select(p => p.Item).Distinct().Order(), h.UniqueItems.Take(h.UniqueItemCount).Order());
    }

    [Fact]
    public void Corruption_drops_about_q_of_the_entries_and_rescales_the_rest()
    {
        var rows = Batch(0);
        var h = Entries(0.3, rows);
        var total = History.Items.Length;
        Assert.InRange(h.Count, (int)(total * 0.65), (int)(total * 0.75));
        Assert.All(h.Weights.Take(h.Count), w => Assert.Equal((float)(1 / 0.7), w));
        Assert.Subset(Kept(Entries(0.3, rows, corrupt: false), rows), Kept(h, rows));
    }

    [Fact]
    public void The_same_batch_is_corrupted_the_same_way_and_another_batch_differently()
    {
        var (first, again, other) = (Batch(0), Batch(0), Batch(5));
        Assert.Equal(Kept(Entries(0.5, first), first), Kept(Entries(0.5, again), again));
        Assert.NotEqual(Kept(Entries(0.5, first), first), Kept(Entries(0.5, other), other));
    }

    [Fact]
    public void Users_who_kept_nothing_still_give_one_weightless_entry()
    {
        var rows = new StepRows(4, Items);
        rows.Set([0], [3], [1f], 1, [0], [0], [3], [0]);     // user 0 has no history
        var h = Entries(0.2, rows);
        Assert.Equal(1, h.Count);
        Assert.Equal(0f, h.Weights[0]);
    }
}
