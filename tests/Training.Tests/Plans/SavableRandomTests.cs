using InverseLearning.Data;
using InverseLearning.Training.Plans;

namespace InverseLearning.Training.Tests.Plans;

/// <summary>SavableRandom against SplitMix64 itself: the stream it draws, its ranges, and that its state resumes the stream.</summary>
public class SavableRandomTests
{
    private static SplitMix64 Reference(int seed) => new(SplitMix64.Mix(seed, 0x5EED));

    [Fact]
    public void Draws_the_seeded_splitmix_stream()
    {
        var random = new SavableRandom(11);
        var reference = Reference(11);
        for (var k = 0; k < 50; k++)
        {
            Assert.Equal((reference.Next() >> 11) * (1.0 / (1UL << 53)), random.NextDouble());
            Assert.Equal((int)reference.NextBelow(1000), random.Next(1000));
            Assert.Equal((int)reference.NextBelow(int.MaxValue), random.Next());
            Assert.Equal((long)reference.NextBelow(long.MaxValue), random.NextInt64());
            Assert.Equal(-5 + (int)reference.NextBelow(12), random.Next(-5, 7));
        }
        var bytes = new byte[8];
        random.NextBytes(bytes);
        for (var i = 0; i < bytes.Length; i++) Assert.Equal((byte)reference.Next(), bytes[i]);
        Assert.Equal(reference.State, random.State);
    }

    [Fact]
    public void Setting_a_saved_state_replays_the_stream_and_other_seeds_differ()
    {
        var random = new SavableRandom(3);
        for (var k = 0; k < 7; k++) random.Next();
        var saved = random.State;
        var first = Draw(random);
        random.State = saved;
        Assert.Equal(first, Draw(random));
        Assert.NotEqual(new SavableRandom(3).State, new SavableRandom(4).State);
        Assert.NotEqual(Draw(new SavableRandom(3)), Draw(new SavableRandom(4)));
    }

    private static List<double> Draw(Random random)
    {
        var values = new List<double>();
        var bytes = new byte[5];
        for (var k = 0; k < 10; k++)
        {
            values.Add(random.Next(17));
            values.Add(random.NextDouble());
            values.Add(random.Next(2, 9));
            random.NextBytes(bytes);
            values.AddRange(bytes.Select(b => (double)b));
        }
        return values;
    }

    [Fact]
    public void Bounded_draws_cover_their_range_and_only_it()
    {
        var random = new SavableRandom(5);
        var below = new HashSet<int>();
        var between = new HashSet<int>();
        for (var k = 0; k < 2000; k++)
        {
            below.Add(random.Next(4));
            between.Add(random.Next(-2, 2));
            var d = random.NextDouble();
            Assert.InRange(d, 0.0, 1.0 - 1e-17);
        }
        Assert.Equal([0, 1, 2, 3], below.Order());
        Assert.Equal([-2, -1, 0, 1], between.Order());
        // The full int range (its width does not fit in an int).
        for (var k = 0; k < 100; k++) Assert.InRange(random.Next(int.MinValue, int.MaxValue), int.MinValue, int.MaxValue - 1);
        Assert.Contains(Enumerable.Range(0, 100).Select(_ => random.Next(int.MinValue, int.MaxValue)), v => v < 0);
    }

    [Fact]
    public void Empty_ranges_give_their_bound_without_drawing_and_reversed_ones_throw()
    {
        var random = new SavableRandom(9);
        var state = random.State;
        Assert.Equal(0, random.Next(0));
        Assert.Equal(6, random.Next(6, 6));
        Assert.Equal(state, random.State);
        Assert.Throws<ArgumentOutOfRangeException>(() => random.Next(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => random.Next(3, 2));
        Assert.Equal(1, random.Next(1, 2));
    }
}
