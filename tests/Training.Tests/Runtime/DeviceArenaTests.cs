using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Tests.Runtime;

/// <summary>The arena's copies in and out of device memory, under the CPU provider.</summary>
public class DeviceArenaTests
{
    private static readonly DeviceArena Arena = DeviceArena.For(new ExecutionDevice("cpu", 1));

    /// <summary>Longer than one copy piece (1M floats) and not a multiple of it, at an offset: every piece lands where it belongs.</summary>
    [Fact]
    public void Uploads_and_downloads_longer_than_a_piece_round_trip_at_an_offset()
    {
        const int Length = (1 << 20) * 2 + 5, Offset = 3;
        using var memory = Arena.Allocate(Length + Offset, "round trip");
        var values = Enumerable.Range(0, Length).Select(i => (float)i).ToArray();

        Arena.Upload(values, memory, Offset);
        var back = new float[Length];
        Arena.Download(memory, Offset, back);

        Assert.Equal(values, back);
    }

    /// <summary>A constant's copy is made once per count: the same array bound at another count is copied again, at that count.</summary>
    [Fact]
    public void A_resident_array_bound_at_another_count_is_copied_again_at_that_count()
    {
        float[] edges = [1, 2, 3, 4, 5];

        var first = Arena.Resident(edges, 3);
        Assert.Equal([3L], first.GetTensorTypeAndShape().Shape);
        Assert.Equal([1f, 2, 3], first.GetTensorDataAsSpan<float>().ToArray());
        Assert.Same(first, Arena.Resident(edges, 3));

        var whole = Arena.Resident(edges, 5);
        Assert.Equal([5L], whole.GetTensorTypeAndShape().Shape);
        Assert.Equal(edges, whole.GetTensorDataAsSpan<float>().ToArray());
    }

    [Fact]
    public void Zero_clears_every_piece()
    {
        const int Length = (1 << 20) + 7;
        using var memory = Arena.Allocate(Length, "zeroed");
        memory.CopyFrom(Enumerable.Repeat(1f, Length).ToArray());

        Arena.Zero(memory);

        var back = new float[Length];
        memory.CopyTo(back);
        Assert.All(back, v => Assert.Equal(0f, v));
    }
}
