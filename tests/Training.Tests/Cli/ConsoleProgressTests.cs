using InverseLearning.Training.Cli;

namespace InverseLearning.Training.Tests.Cli;

public sealed class ConsoleProgressTests
{
    [Fact]
    public void On_a_terminal_the_first_report_draws_the_line_in_place_and_complete_ends_it()
    {
        // The first report's "time since the last draw" overflowed (TimeSpan.MinValue): every run on a terminal crashed there.
        var terminal = new StringWriter();
        var progress = new ConsoleProgress("reading log", total: 1000, error: terminal, interactive: true);

        progress.Report(0.5);
        progress.Report(0.6);   // within 100 ms of the last draw: not drawn again
        progress.Report(1);     // the end is always drawn
        progress.Complete();

        var drawn = terminal.ToString().Split('\r', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, drawn.Length);
        Assert.StartsWith("reading log  50%", drawn[0]);
        Assert.StartsWith("reading log 100%", drawn[1]);
        Assert.EndsWith(Environment.NewLine, drawn[1]);
    }

    [Fact]
    public void Redirected_it_writes_a_line_per_tenth()
    {
        var log = new StringWriter();
        var progress = new ConsoleProgress("simulating", error: log, interactive: false);

        foreach (var value in new[] { 0.05, 0.12, 0.15, 0.31, 1.0 }) progress.Report(value);

        Assert.Equal(["simulating   5%", "simulating  12%", "simulating  31%", "simulating 100%"], // the first report in each tenth
            log.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(',')[0]));
    }
}
