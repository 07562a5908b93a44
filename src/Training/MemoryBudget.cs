using System.Globalization;
using InverseLearning.Data;

namespace InverseLearning.Training;

/// <summary>
/// How much memory a run may take: the machine's (as the GC sees it, container limits
/// included) unless <c>--max-memory</c> says otherwise. <paramref name="Shares"/> runs at once
/// (experiment --jobs) divide it: <see cref="Bytes"/> is one run's part, <see cref="Total"/> the whole.
/// </summary>
public sealed record MemoryBudget(double Bytes, bool Explicit, int Shares = 1)
{
    /// <summary>The smaller of the memory the GC may use (container limits included) and, on Linux, what /proc/meminfo calls available now.</summary>
    public static MemoryBudget Machine() => new(Math.Min(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, AvailableNow() ?? double.MaxValue), Explicit: false);

    private static double? AvailableNow()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemAvailable:"));
            var fields = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields is [_, var kib, "kB"] && double.TryParse(kib, CultureInfo.InvariantCulture, out var value) ? value * 1024 : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The --max-memory value: a number of bytes with an optional K, M, G or T suffix (powers of 1024), e.g. 8G or 500M; null means the machine's memory.</summary>
    public static MemoryBudget Parse(string? value)
    {
        if (value is null) return Machine();
        var text = value.Trim().ToUpperInvariant();
        if (text.EndsWith("IB")) text = text[..^2];
        else if (text.EndsWith('B')) text = text[..^1];
        var scale = text.Length == 0 ? 1 : text[^1] switch { 'K' => 1L << 10, 'M' => 1L << 20, 'G' => 1L << 30, 'T' => 1L << 40, _ => 1 };
        if (scale > 1) text = text[..^1];
        if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) || !(number * scale >= 1 << 20) || double.IsInfinity(number * scale))
            throw new ArgumentException($"--max-memory: expected a size of at least 1M such as 8G or 500M, got '{value}'");
        return new MemoryBudget(number * scale, Explicit: true);
    }

    /// <summary>One run's part when <paramref name="runs"/> runs train at once.</summary>
    public MemoryBudget SharedBy(int runs) => new(Total / runs, Explicit, runs);

    /// <summary>What all the runs at once may take together.</summary>
    public double Total => Bytes * Shares;

    public string Describe() =>
        (Explicit ? $"--max-memory {ByteSize.Format(Total)}" : $"the {ByteSize.Format(Total)} this machine has available")
        + (Shares > 1 ? $", shared by {Shares} runs at once (--jobs)" : "");

}
