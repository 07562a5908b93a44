using InverseLearning.Training.Models;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Tests.Models;

/// <summary>
/// Embedding tables start N(0, std²) (the authors' nn.init.normal_), drawn by Box–Muller in
/// pairs: the cosine half at even positions, the sine half at odd ones; each half must be the law.
/// </summary>
public class EmbeddingInitTests
{
    [Fact]
    public void An_embedding_table_is_centred_normal_with_its_std_at_even_and_odd_positions_alike()
    {
        // A GMF user table of 5 000 rows × 10, std 0.01: 25 000 values in each half.
        var table = new HostParameterStore(new Gmf(10), userRows: 5_000, itemRows: 2, stateSlots: 0, seed: 3).Tables[0].Values;
        Assert.Equal(50_000, table.Length);
        foreach (var half in new[] { 0, 1 })
        {
            var values = table.Where((_, i) => i % 2 == half).Select(v => (double)v).ToArray();
            var mean = values.Average();
            var std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
            // Standard errors: mean 0.01/√25 000 ≈ 6.3e-5, std ≈ 4.5e-5, share of negatives ≈ 0.0032; each margin is over 4 of them.
            Assert.InRange(mean, -3e-4, 3e-4);
            Assert.InRange(std, 0.0098, 0.0102);
            Assert.InRange(values.Count(v => v < 0) / (double)values.Length, 0.485, 0.515);
        }
    }
}
