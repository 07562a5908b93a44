using System.CommandLine;
using System.Runtime.CompilerServices;

namespace InverseLearning.Training.Cli;

/// <summary>
/// The whole numbers a flag takes, declared beside the flag for the one refusal its own check never sees: a number past int's
/// range, which the parser refuses first. It is told the flag's range ("--epochs must be from 1 to 100,000"), as the flag's own
/// check words it, not int's, which the flag does not take either. Declared from the constants that check reads.
/// </summary>
public static class FlagRange
{
    private sealed record Bounds(long Min, long Max);

    private static readonly ConditionalWeakTable<Option, Bounds> Declared = new();

    /// <summary><paramref name="option"/>, declared to take <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static Option<T> Within<T>(this Option<T> option, long min, long max)
    {
        Declared.AddOrUpdate(option, new Bounds(min, max));
        return option;
    }

    /// <summary>
    /// Refuses <paramref name="value"/> of <paramref name="option"/> outside its declared range, in the words a number past int's
    /// range is refused with: one flag, one wording, whichever side of int's range the number is.
    /// </summary>
    public static void Require(Option option, long value)
    {
        if (!Declared.TryGetValue(option, out var bounds)) throw new InvalidOperationException($"{option.Name} declares no range: declare it with Within");
        if (value < bounds.Min || value > bounds.Max)
            throw new ArgumentException(Refusal(option, value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>The refusal of <paramref name="given"/> (the number as the flag's check writes it: 99,999,999,999) for <paramref name="option"/>, naming its declared range; null where none is declared.</summary>
    public static string? Refusal(Option option, string given) =>
        Declared.TryGetValue(option, out var bounds) ? $"{option.Name} must be from {bounds.Min:N0} to {bounds.Max:N0}, got {given}" : null;
}
