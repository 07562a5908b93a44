using System.Globalization;
using System.Text;

namespace InverseLearning.Serving;

/// <summary>A Prometheus histogram: cumulative bucket counts, sum and count, updated lock-free.</summary>
public sealed class Histogram(double[] upperBounds)
{
    private readonly long[] _counts = new long[upperBounds.Length + 1];
    private long _sumBits;

    public void Observe(double value)
    {
        var bucket = Array.BinarySearch(upperBounds, value);
        Interlocked.Increment(ref _counts[bucket >= 0 ? bucket : ~bucket]);
        var bits = Interlocked.Read(ref _sumBits);
        while (true)
        {
            var next = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(bits) + value);
            var seen = Interlocked.CompareExchange(ref _sumBits, next, bits);
            if (seen == bits) return;
            bits = seen;
        }
    }

    /// <summary>Writes the `_bucket`, `_sum` and `_count` lines; <paramref name="labels"/> is `key="value",` pairs or empty.</summary>
    public void Write(StringBuilder text, string name, string labels)
    {
        long cumulative = 0;
        for (var b = 0; b < upperBounds.Length; b++)
        {
            cumulative += Interlocked.Read(ref _counts[b]);
            text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{{labels}le=\"{upperBounds[b].ToString("R", CultureInfo.InvariantCulture)}\"}} {cumulative}\n");
        }
        cumulative += Interlocked.Read(ref _counts[^1]);
        text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{{labels}le=\"+Inf\"}} {cumulative}\n");
        var braces = labels.Length > 0 ? $"{{{labels.TrimEnd(',')}}}" : "";
        text.Append(CultureInfo.InvariantCulture, $"{name}_sum{braces} {BitConverter.Int64BitsToDouble(Interlocked.Read(ref _sumBits)).ToString("R", CultureInfo.InvariantCulture)}\n");
        text.Append(CultureInfo.InvariantCulture, $"{name}_count{braces} {cumulative}\n");
    }
}
