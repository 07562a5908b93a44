namespace InverseLearning.Training.Reports;

/// <summary>Equal-width bins over [0, 1] for IDL's weights; 1 itself falls in the last bin.</summary>
public static class WeightBins
{
    public static int[] Count(IReadOnlyList<float> weights, int bins, string name = "weights")
    {
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), bins, "expected at least one bin.");
        var counts = new int[bins];
        for (var i = 0; i < weights.Count; i++)
        {
            var w = weights[i];
            if (!(w >= 0f && w <= 1f))
                throw new ArgumentException($"{name}[{i}] is {w}; expected a weight in [0, 1].", nameof(weights));
            counts[Math.Min((int)(w * bins), bins - 1)]++;
        }
        return counts;
    }
}
