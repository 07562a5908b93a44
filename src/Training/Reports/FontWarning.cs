using SkiaSharp;

namespace InverseLearning.Training.Reports;

/// <summary>
/// Tells, once per process, that the system has no fonts: ScottPlot then writes every chart without its text (no title, axis
/// labels or legend) and nothing fails, as in a container on a base image that ships no font.
/// </summary>
/// <param name="countFontFamilies">How many font families the system offers (Skia's font manager; a test gives its own).</param>
public sealed class FontWarning(Func<int> countFontFamilies)
{
    /// <summary>The system's fonts, as the charts' renderer finds them.</summary>
    public static FontWarning System { get; } = new(() => SKFontManager.Default.FontFamilyCount);

    public const string Line = "warning: this system has no fonts, so the charts (.png) are written without their text (no title, axis labels or legend); " +
        "install a font package (Debian and Ubuntu: fonts-dejavu-core) and run again for readable charts";

    private int _checked;

    /// <summary>Writes <see cref="Line"/> to <paramref name="to"/> if there are no fonts, on the first call only.</summary>
    public void WarnOnce(TextWriter to)
    {
        if (Interlocked.Exchange(ref _checked, 1) == 0 && countFontFamilies() == 0) to.WriteLine(Line);
    }
}
