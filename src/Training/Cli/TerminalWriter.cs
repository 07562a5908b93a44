using System.Text;
using InverseLearning.Data;

namespace InverseLearning.Training.Cli;

/// <summary>
/// The command line's standard output and error: every line it prints may carry a path or a value from a file (a run's folder,
/// a log's name), so control characters and bidirectional overrides are escaped on the way out (<see cref="TerminalText.SafeLines"/>),
/// not line by line where each is printed. Line breaks stay, and so does the progress bars' carriage return.
/// </summary>
public sealed class TerminalWriter(TextWriter inner) : TextWriter
{
    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value) => inner.Write(TerminalText.SafeLines(value.ToString()));

    public override void Write(string? value) => inner.Write(value is null ? null : TerminalText.SafeLines(value));

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void WriteLine(string? value) => inner.WriteLine(value is null ? null : TerminalText.SafeLines(value));

    public override void Flush() => inner.Flush();

    /// <summary>Puts the escaping in front of the console's standard output and error, for the rest of the process.</summary>
    public static void Install()
    {
        Console.SetOut(TextWriter.Synchronized(new TerminalWriter(Console.Out)));
        Console.SetError(TextWriter.Synchronized(new TerminalWriter(Console.Error)));
    }
}
