using System.Globalization;

namespace InverseLearning.Training.Plugins;

/// <summary>
/// A hyper-parameter a plugin (a method, a backbone) declares: its command-line flag (without
/// the leading dashes, also its key in <see cref="TrainSettings.Options"/>), what it means, its
/// default and its valid range. The CLI offers, validates and records every declared option.
/// </summary>
public sealed record PluginOption(string Flag, string Description, double Default, double Min, double Max, bool Integer = false, bool MaxExclusive = false)
{
    /// <summary>One line naming the flag when <paramref name="value"/> is not allowed; null when it is.</summary>
    public string? Check(double value)
    {
        var range = Max == double.PositiveInfinity ? $"at least {Format(Min)}" : $"in [{Format(Min)}, {Format(Max)}{(MaxExclusive ? ")" : "]")}";
        if (double.IsNaN(value) || value < Min || value > Max || (MaxExclusive && value == Max)) return $"--{Flag} must be {(Integer ? "an integer " : "")}{range}, got {Format(value)}";
        if (Integer && value != Math.Floor(value)) return $"--{Flag} must be an integer {range}, got {Format(value)}";
        return null;
    }

    private static string Format(double v) => v.ToString("G", CultureInfo.InvariantCulture);
}
