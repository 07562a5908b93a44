namespace InverseLearning.Data;

/// <summary>A size in bytes as a user reads it: binary units, one decimal at most, the same in every culture ("1.5 GiB", "640 KiB").</summary>
public static class ByteSize
{
    public static string Format(double bytes) => bytes switch
    {
        >= 1L << 40 => FormattableString.Invariant($"{bytes / (1L << 40):0.#} TiB"),
        >= 1 << 30 => FormattableString.Invariant($"{bytes / (1 << 30):0.#} GiB"),
        >= 1 << 20 => FormattableString.Invariant($"{bytes / (1 << 20):0.#} MiB"),
        _ => FormattableString.Invariant($"{bytes / (1 << 10):0.#} KiB"),
    };
}
