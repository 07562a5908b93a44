using System.Diagnostics;

namespace InverseLearning.Training.Cli;

/// <summary>
/// A progress line on stderr: "label  42% (1.3M rows/s)". On a terminal it is redrawn in
/// place (at most ~10 times a second); when stderr is redirected, a line is written every
/// 10% so logs stay short. <see cref="Complete"/> ends the line.
/// </summary>
/// <param name="error">Where the line goes (stderr when null).</param>
/// <param name="interactive">Whether it is redrawn in place (when null: whether stderr is a terminal).</param>
public sealed class ConsoleProgress(string label, long total = 0, string unit = "rows", TextWriter? error = null, bool? interactive = null) : IProgress<double>
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly bool _interactive = interactive ?? !Console.IsErrorRedirected;
    private readonly object _gate = new();
    private TimeSpan? _lastDraw;   // none yet: the first report draws (TimeSpan.MinValue overflowed the subtraction below)
    private int _lastDecile = -1;
    private bool _drawn;

    public void Report(double value)
    {
        var fraction = Math.Clamp(value, 0, 1);
        lock (_gate)
        {
            if (_interactive)
            {
                if (fraction < 1 && _lastDraw is { } last && _clock.Elapsed - last < TimeSpan.FromMilliseconds(100)) return;
                _lastDraw = _clock.Elapsed;
                Output.Write($"\r{Line(fraction)}   ");
                _drawn = true;
            }
            else
            {
                var decile = (int)(fraction * 10);
                if (decile <= _lastDecile) return;
                _lastDecile = decile;
                Output.WriteLine(Line(fraction));
            }
        }
    }

    /// <summary>Finishes the progress line (on a terminal, moves to the next line).</summary>
    public void Complete()
    {
        lock (_gate)
        {
            if (_interactive && _drawn) Output.WriteLine();
            _drawn = false;
        }
    }

    // Read at each write, not kept: the command line puts its escaping writer in front of stderr once, at its start.
    private TextWriter Output => error ?? Console.Error;

    private string Line(double fraction)
    {
        var seconds = _clock.Elapsed.TotalSeconds;
        var rate = total > 0 && seconds > 0 ? $" ({Human(fraction * total / seconds)} {unit}/s)" : "";
        // Floor, so 99.8% never shows as a premature 100%.
        return $"{label} {Math.Floor(fraction * 100),3:F0}%{rate}, {seconds:F1} s";
    }

    /// <summary>A rate or count in few digits at any size: 950, 12.5k, 1.3M.</summary>
    public static string Human(double value) => value switch
    {
        >= 1e9 => $"{value / 1e9:F1}G",
        >= 1e6 => $"{value / 1e6:F1}M",
        >= 1e3 => $"{value / 1e3:F1}k",
        _ => $"{value:F0}",
    };
}
