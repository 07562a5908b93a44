using InverseLearning.Training.Methods;
using InverseLearning.Training.Plugins;

namespace InverseLearning.Training.Cli;

/// <summary>
/// One line for a run whose candidates per negative outnumber the catalogue (DNS's --dns-candidates, SRNS's --srns-memory): the
/// candidates are drawn with repeats, so past the item count they add time (in proportion) and scarcely a harder negative.
/// Not capped: the draws, and so the run, would differ from the ones the flag asks for.
/// </summary>
public static class CandidateCountWarnings
{
    private static readonly (string Method, PluginOption Option, string Per)[] PerNegative =
    [
        ("dns", DynamicNegativeSampling.Candidates, "negative is the best of"),
        ("srns", Srns.MemorySize, "user's memory holds"),
    ];

    /// <summary>The warnings for <paramref name="runs"/> on a catalogue of <paramref name="items"/> items, one per flag.</summary>
    public static IEnumerable<string> For(IEnumerable<TrainSettings> runs, int items) =>
        PerNegative.Select(c => (c, Value: runs.Where(run => run.Method == c.Method).Select(run => run.Option(c.Option)).DefaultIfEmpty(0).Max()))
            .Where(found => found.Value > items)
            .Select(found => $"warning: --{found.c.Option.Flag} {found.Value:N0} is more than the catalogue's {items:N0} items: each {found.c.Per} {found.Value:N0} draws " +
                $"(with repeats) of at most {items:N0} items, about {Times(found.Value / items)} times the work of --{found.c.Option.Flag} {items:N0} for much the same choice");

    // 600 candidates on 500 items are 1.2 times the work, which a whole number rounded to "1 times".
    private static string Times(double ratio) => ratio.ToString(ratio < 10 ? "N1" : "N0", System.Globalization.CultureInfo.InvariantCulture);
}
