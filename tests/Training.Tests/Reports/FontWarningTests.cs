using InverseLearning.Training.Reports;

namespace InverseLearning.Training.Tests.Reports;

public class FontWarningTests
{
    [Fact]
    public void A_system_without_fonts_is_told_once_that_its_charts_have_no_text()
    {
        // ScottPlot wrote the charts without titles, axes or legends where no font was installed, and exited 0 with nothing said.
        var warning = new FontWarning(() => 0);
        var output = new StringWriter();

        warning.WarnOnce(output);
        warning.WarnOnce(output);

        Assert.Equal([FontWarning.Line], output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("fonts-dejavu-core", FontWarning.Line);
    }

    [Fact]
    public void A_system_with_fonts_is_told_nothing_and_asked_once()
    {
        var asked = 0;
        var warning = new FontWarning(() => ++asked);
        var output = new StringWriter();

        warning.WarnOnce(output);
        warning.WarnOnce(output);

        Assert.Equal("", output.ToString());
        Assert.Equal(1, asked);
    }
}
