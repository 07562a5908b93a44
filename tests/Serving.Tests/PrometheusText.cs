using System.Globalization;

namespace InverseLearning.Serving.Tests;

/// <summary>Reads samples out of Prometheus text exposition.</summary>
public static class PrometheusText
{
    /// <summary>
    /// The sum of the samples of <paramref name="series"/>: a name with the labels that must
    /// match (`name{a="x"}`), whatever other labels a sample has; fails when there is none.
    /// </summary>
    public static double Value(string text, string series)
    {
        if (Find(text, series) is { } value) return value;
        Assert.Fail($"no series {series} in:\n{text}");
        return double.NaN;
    }

    /// <summary>
    /// What a counter, or a histogram's count, sum or bucket, has recorded: 0 before its first measurement, when the exporter
    /// writes no series for it yet.
    /// </summary>
    public static double Recorded(string text, string series) => Find(text, series) ?? 0;

    /// <summary>The sum of the samples of <paramref name="series"/>, or null when the server has not written it (yet).</summary>
    public static double? Find(string text, string series)
    {
        var (name, labels) = Parse(series);
        double? sum = null;
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var end = line.IndexOf('}') is var brace and >= 0 ? brace + 1 : line.IndexOf(' ');
            var (sampleName, sampleLabels) = Parse(line[..end]);
            if (sampleName != name || !labels.All(sampleLabels.Contains)) continue;
            // The value, then an optional timestamp.
            var value = line[end..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
            sum = (sum ?? 0) + double.Parse(value, CultureInfo.InvariantCulture);
        }
        return sum;
    }

    private static (string Name, HashSet<string> Labels) Parse(string series)
    {
        var brace = series.IndexOf('{');
        if (brace < 0) return (series, []);
        // Label values here hold no commas or escaped quotes.
        var labels = series[(brace + 1)..series.LastIndexOf('}')].Split(',', StringSplitOptions.RemoveEmptyEntries);
        return (series[..brace], [.. labels]);
    }
}
