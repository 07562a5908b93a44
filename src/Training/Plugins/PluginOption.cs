using System.Globalization;

namespace InverseLearning.Training.Plugins;

/// <summary>
/// A hyper-parameter a plugin (a method, a backbone) declares: its command-line flag (without
/// the leading dashes, also its key in <see cref="TrainSettings.Options"/>), what it means, its
/// default and its valid range. The CLI offers, validates and records every declared option.
/// A <paramref name="Switch"/> is a flag without a value (on: 1, off: 0).
/// </summary>
public sealed record PluginOption(string Flag, string Description, double Default, double Min, double Max, bool Integer = false, bool MaxExclusive = false,
    bool MinExclusive = false, bool Switch = false)
{
    /// <summary>A switch: a flag without a value, off by default.</summary>
    public static PluginOption OnOff(string flag, string description) => new(flag, description, 0, 0, 1, Integer: true, Switch: true);

    /// <summary>One line naming the flag when <paramref name="value"/> is not allowed; null when it is.</summary>
    public string? Check(double value)
    {
        if (Integer) return WholeNumberCheck(value);
        var range = Max == double.PositiveInfinity ? $"{(MinExclusive ? "above" : "at least")} {Format(Min)}"
            : $"in {(MinExclusive ? "(" : "[")}{Format(Min)}, {Format(Max)}{(MaxExclusive ? ")" : "]")}";
        if (double.IsNaN(value) || value < Min || value > Max || (MaxExclusive && value == Max) || (MinExclusive && value == Min)) return $"--{Flag} must be {range}, got {Format(value)}";
        return null;
    }

    /// <summary>A whole-number option refused in the core flags' words: "--dns-candidates must be a whole number from 1 to 100,000, got 0".</summary>
    private string? WholeNumberCheck(double value)
    {
        var low = MinExclusive ? Math.Floor(Min) + 1 : Math.Ceiling(Min);
        var high = MaxExclusive ? Math.Ceiling(Max) - 1 : Math.Floor(Max);
        if (value >= low && value <= high && value == Math.Floor(value)) return null;
        var range = double.IsPositiveInfinity(high) ? $"of at least {Whole(low)}" : $"from {Whole(low)} to {Whole(high)}";
        return $"--{Flag} must be a whole number {range}, got {(value == Math.Floor(value) ? Whole(value) : Format(value))}";
    }

    private static string Whole(double v) => v.ToString("N0", CultureInfo.InvariantCulture);

    private static string Format(double v) => v.ToString("G", CultureInfo.InvariantCulture);
}
