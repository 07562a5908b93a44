using System.Globalization;
using System.Text;
using InverseLearning.Data;

namespace InverseLearning.Training.Reports;

/// <summary>
/// Full-ranking results in DenoisingRec's table layout, as Markdown: one block of rows per
/// model, one row per method, columns Recall@K for each K then NDCG@K for each K; a cell is
/// "mean ± std" over repeats. Within a model the best value of each column is **bold**
/// (compared as displayed).
/// </summary>
public static class FullRankingTable
{
    public const string FileName = "ranking_table.md";

    public static string Markdown(IReadOnlyList<RunResult> runs, int decimals = 4)
    {
        if (runs.Any(r => r.FullRanking is null)) throw new ArgumentException("every run needs full-ranking metrics", nameof(runs));
        var names = runs[0].FullRanking!.Names.ToList();
        if (runs.Any(r => !r.FullRanking!.Names.SequenceEqual(names)))
            throw new ArgumentException("the runs were ranked at different K", nameof(runs));
        var headers = names.Select(n => n.StartsWith("recall@", StringComparison.Ordinal) ? "Recall@" + n[7..] : "NDCG@" + n[5..]);
        var text = new StringBuilder();
        text.Append("| Model | Method | ").AppendJoin(" | ", headers).Append(" |\n");
        text.Append("|---|---|").AppendJoin("", names.Select(_ => "---:|")).Append('\n');
        foreach (var model in runs.Select(r => r.Model).Distinct())
        {
            var rows = runs.Where(r => r.Model == model).GroupBy(r => r.Method)
                .Select(g => (Method: g.Key, Cells: names.Select(n => MetricSummary.Of(g.Select(r => r.FullRanking![n]).ToList())).ToList()))
                .ToList();
            var best = names.Select((_, c) => rows.Max(r => Math.Round(r.Cells[c].Mean, decimals))).ToList();
            foreach (var (method, cells) in rows)
            {
                text.Append("| ").Append(model).Append(" | ").Append(method).Append(" |");
                for (var c = 0; c < cells.Count; c++)
                {
                    var shown = Format(cells[c], decimals);
                    text.Append(' ').Append(Math.Round(cells[c].Mean, decimals) == best[c] ? $"**{shown}**" : shown).Append(" |");
                }
                text.Append('\n');
            }
        }
        return text.ToString();
    }

    /// <param name="title">The heading, one line: ": full ranking" follows it.</param>
    /// <param name="appendix">Markdown added at the end (the significance of each method against the baseline).</param>
    /// <param name="data">The paragraph under the heading that says what the runs were trained on.</param>
    public static void Write(string path, string title, IReadOnlyList<RunResult> runs, string? appendix = null, string? data = null)
    {
        var first = runs[0].FullRanking!;
        var text = new StringBuilder($"# {title}: full ranking\n\n{(data is null ? "" : data + "\n\n")}")
            .Append(Markdown(runs))
            .Append($"\nEvery item ranked for each of {first.Users:N0} test users (true positives: {first.TestPositives}), ")
            .Append("their training and validation items left out; **bold**: best of its model.\n")
            .Append(appendix);
        AtomicFile.WriteAllText(path, text.ToString());
    }

    private static string Format(MetricSummary summary, int decimals)
    {
        var format = "F" + decimals.ToString(CultureInfo.InvariantCulture);
        var mean = summary.Mean.ToString(format, CultureInfo.InvariantCulture);
        return summary.Count > 1 ? $"{mean} ± {summary.Std.ToString(format, CultureInfo.InvariantCulture)}" : mean;
    }
}
