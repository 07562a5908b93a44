using InverseLearning.Training.Cli;

namespace InverseLearning.Training.Tests.Cli;

public sealed class TerminalWriterTests
{
    [Fact]
    public void Every_way_of_writing_escapes_control_characters_and_overrides_but_keeps_lines_and_progress()
    {
        var terminal = new StringWriter { NewLine = "\n" };
        var writer = new TerminalWriter(terminal) { NewLine = "\n" };

        writer.Write("note: \u001b]0;title\u0007 holds");
        writer.Write('\u202E');
        writer.Write('\r');
        writer.Write("bar\t#".ToCharArray(), 0, 5);
        writer.WriteLine("written to \u001b[31mred/");
        writer.WriteLine("done");

        Assert.Equal("note: \\u001B]0;title\\u0007 holds\\u202E\rbar\t#written to \\u001B[31mred/\ndone\n", terminal.ToString());
    }
}
