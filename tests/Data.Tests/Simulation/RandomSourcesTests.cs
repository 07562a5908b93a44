using InverseLearning.Data.Simulation;

namespace InverseLearning.Data.Tests.Simulation;

/// <summary>The random building blocks against their known distributions.</summary>
public class RandomSourcesTests
{
    [Fact]
    public void Alias_table_draws_in_proportion_to_the_weights()
    {
        double[] weights = [1, 2, 3, 4, 0];
        var table = new AliasTable(weights);
        var random = new SimRandom(1, 0, 0);
        var counts = new int[weights.Length];
        const int draws = 200_000;
        for (var k = 0; k < draws; k++) counts[table.Draw(ref random)]++;
        for (var i = 0; i < weights.Length; i++)
            Assert.InRange(counts[i] / (double)draws, weights[i] / 10 - 0.005, weights[i] / 10 + 0.005);
    }

    [Fact]
    public void Making_an_alias_table_ticks_for_each_weight_and_pair_so_a_cancel_is_heard()
    {
        // Built without a word for tens of millions of items, a datagen's SIGTERM went unheard there until it was forced out.
        var weights = Enumerable.Range(1, 1_000).Select(i => 1.0 / i).ToArray();
        var ticks = 0;
        _ = new AliasTable(weights, () => ticks++);
        Assert.InRange(ticks, weights.Length + 1, 2 * weights.Length);   // every weight scaled, then the pairs, within the plan's two a weight

        var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.Throws<OperationCanceledException>(() => new AliasTable(weights, cancel.Token.ThrowIfCancellationRequested));
    }

    [Fact]
    public void Uniform_and_gaussian_draws_have_the_right_moments()
    {
        var random = new SimRandom(3, 1, 2);
        const int n = 200_000;
        double sum = 0, sumSquares = 0, uniformSum = 0;
        for (var k = 0; k < n; k++)
        {
            var g = random.NextGaussian();
            sum += g;
            sumSquares += g * g;
            var u = random.NextDouble();
            Assert.InRange(u, 0, 1 - 1e-17);
            uniformSum += u;
        }
        Assert.InRange(sum / n, -0.01, 0.01);
        Assert.InRange(sumSquares / n, 0.98, 1.02);
        Assert.InRange(uniformSum / n, 0.495, 0.505);
    }

    [Fact]
    public void Streams_are_reproducible_and_distinct()
    {
        var a = new SimRandom(9, 1, 5);
        var b = new SimRandom(9, 1, 5);
        var c = new SimRandom(9, 1, 6);
        var d = new SimRandom(9, 2, 5);
        var x = a.NextUInt64();
        Assert.Equal(x, b.NextUInt64());
        Assert.NotEqual(x, c.NextUInt64());
        Assert.NotEqual(x, d.NextUInt64());
    }
}
