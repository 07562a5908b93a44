namespace InverseLearning.Data.Simulation;

/// <summary>
/// Turns dense indices into large, scattered raw ids (a bijection on 62-bit values that
/// keeps 0 at 0, applied to index + 1), so consumers really have to map ids to indices.
/// Users and items use different constants, so their id sets look unrelated.
/// </summary>
internal static class IdScrambler
{
    private const ulong Mask = (1UL << 62) - 1;

    public static long User(int index) => Mix((ulong)index + 1, 0x9E3779B97F4A7C15UL, 0xBF58476D1CE4E5B9UL);

    public static long Item(int index) => Mix((ulong)index + 1, 0x94D049BB133111EBUL, 0xD6E8FEB86659FD93UL);

    private static long Mix(ulong x, ulong oddA, ulong oddB)
    {
        // Multiplying by an odd constant and xor-shifting right are both invertible modulo 2^62.
        x = (x * oddA) & Mask;
        x ^= x >> 29;
        x = (x * oddB) & Mask;
        x ^= x >> 32;
        return (long)x;
    }
}
