using InverseLearning.Data;
using InverseLearning.Training.Cli;
using InverseLearning.Training.Tests.Cluster;

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

    [Fact]
    public async Task The_executable_puts_it_in_front_of_its_output()
    {
        // inspect's "log:" line is no error line: only the writer the executable installs escapes it.
        var folder = Directory.CreateTempSubdirectory("terminal-writer-").FullName;
        try
        {
            var path = Path.Combine(folder, "log\u001b]0;t\u0007.parquet");
            var log = new InteractionLog(40);
            for (var r = 0; r < 40; r++) (log.UserId[r], log.ItemId[r]) = (r % 4, r);
            InteractionLogParquet.Write(log, path);

            using var inspect = new CliChild("inspect", "--data", path, "--labels", "implicit");
            await inspect.Said("log:           " + Path.Combine(folder, "log\\u001B]0;t\\u0007.parquet"), TimeSpan.FromMinutes(1));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
