using InverseLearning.Data;

namespace InverseLearning.Training.Plans;

/// <summary>
/// A <see cref="Random"/> over SplitMix64 whose whole state is one number, so a stateful
/// part can save it in a checkpoint and a resumed run draws exactly what the
/// uninterrupted one would have (System.Random's state cannot be saved).
/// </summary>
public sealed class SavableRandom(int seed) : Random
{
    private SplitMix64 _generator = new(SplitMix64.Mix(seed, 0x5EED));

    public ulong State
    {
        get => _generator.State;
        set => _generator.State = value;
    }

    public override int Next() => (int)_generator.NextBelow(int.MaxValue);

    public override int Next(int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return maxValue == 0 ? 0 : (int)_generator.NextBelow((ulong)maxValue);
    }

    public override int Next(int minValue, int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        return minValue == maxValue ? minValue : (int)(minValue + (long)_generator.NextBelow((ulong)((long)maxValue - minValue)));
    }

    public override double NextDouble() => Sample();

    protected override double Sample() => (_generator.Next() >> 11) * (1.0 / (1UL << 53));

    public override long NextInt64() => (long)_generator.NextBelow(long.MaxValue);

    public override void NextBytes(Span<byte> buffer)
    {
        for (var i = 0; i < buffer.Length; i++) buffer[i] = (byte)_generator.Next();
    }

    public override void NextBytes(byte[] buffer) => NextBytes(buffer.AsSpan());
}
