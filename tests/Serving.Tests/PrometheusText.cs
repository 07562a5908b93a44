using System.Globalization;

namespace InverseLearning.Serving.Tests;

/// <summary>Reads one sample out of Prometheus text exposition.</summary>
public static class PrometheusText
{
    /// <summary>The value of the line whose name-and-labels part is exactly <paramref name="series"/>; fails when absent.</summary>
    public static double Value(string text, string series)
    {
        if (Find(text, series) is { } value) return value;
        Assert.Fail($"no series {series} in:\n{text}");
        return double.NaN;
    }

    /// <summary>The value of <paramref name="series"/>, or null when the server has not written it (yet).</summary>
    public static double? Find(string text, string series)
    {
        foreach (var line in text.Split('\n'))
        {
            var space = line.LastIndexOf(' ');
            if (space > 0 && !line.StartsWith('#') && line[..space] == series)
                return double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
        }
        return null;
    }
}
