using InverseLearning.Training.Evaluation;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Tests.Evaluation;

/// <summary>The full ranking's top-K taken by ORT (ScatterND masks, TopK) against hand-computed lists.</summary>
public class DeviceTopKTests
{
    private static readonly ExecutionDevice Cpu = new("cpu", 1);

    private static (int[] Top, int[] Counts) Select(float[] logits, int users, int items, int k, int[][] excluded)
    {
        var arena = DeviceArena.For(Cpu);
        using var memory = arena.Allocate(logits.Length, "logits");
        memory.CopyFrom(logits);
        using var topK = new DeviceTopK(users, k, Cpu);
        var (top, counts) = (new int[users * k], new int[users]);
        topK.Select(memory, users, items, b => excluded[b], top, counts);
        return (top, counts);
    }

    [Fact]
    public void Item_0_and_the_history_are_left_out_and_ties_go_to_the_lower_item()
    {
        // User 0: items 1..5 scored 0.9, 0.5, 0.9, 0.1, 0.7, item 0 best of all; item 3 in the history.
        // User 1: all tied; item 2 in the history.
        float[] logits = [5f, 0.9f, 0.5f, 0.9f, 0.1f, 0.7f, 1f, 1f, 1f, 1f, 1f, 1f];
        var (top, counts) = Select(logits, users: 2, items: 6, k: 3, [[3], [2]]);

        Assert.Equal([3, 3], counts);
        Assert.Equal([1, 5, 2], top[..3]);
        Assert.Equal([1, 3, 4], top[3..]);
    }

    [Fact]
    public void Fewer_items_left_than_K_gives_fewer_and_never_an_excluded_one()
    {
        float[] logits = [0f, 0.3f, 0.2f, 0.1f];
        var (top, counts) = Select(logits, users: 1, items: 4, k: 3, [[1, 3]]);

        Assert.Equal(1, counts[0]);
        Assert.Equal(2, top[0]);
    }
}
