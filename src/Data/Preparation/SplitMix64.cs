namespace InverseLearning.Data;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014): a tiny generator whose output is fixed by its
/// definition, so seeded splits and samples are identical on every machine and runtime.
/// </summary>
public struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    /// <summary>The whole state of the generator: saving it and setting it back resumes the stream exactly.</summary>
    public ulong State
    {
        readonly get => _state;
        set => _state = value;
    }

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, n) without modulo bias (Lemire's multiply-and-reject).</summary>
    public ulong NextBelow(ulong n)
    {
        if (n == 0) throw new ArgumentOutOfRangeException(nameof(n), "n must be positive");
        var product = (UInt128)Next() * n;
        var low = (ulong)product;
        if (low < n)
        {
            var threshold = (0 - n) % n;
            while (low < threshold)
            {
                product = (UInt128)Next() * n;
                low = (ulong)product;
            }
        }
        return (ulong)(product >> 64);
    }

    /// <summary>A seed for an independent stream, e.g. one per (seed, epoch).</summary>
    public static ulong Mix(long a, long b)
    {
        var generator = new SplitMix64((ulong)a * 0x9E3779B97F4A7C15UL ^ (ulong)b);
        generator.Next();
        return generator.Next();
    }
}
