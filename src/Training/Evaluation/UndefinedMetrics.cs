using System.Globalization;
using InverseLearning.Data;

namespace InverseLearning.Training.Evaluation;

/// <summary>
/// Why a split's labeled-row metrics are undefined (NaN), in one clause for the line that stands
/// in for them: train, eval and experiment print "n/a" and this reason, never NaN. The usual
/// case is implicit feedback, whose test rows are all positive: AUC, GAUC, NDCG and MRR compare
/// positives with negatives, so only logloss is defined there.
/// </summary>
public static class UndefinedMetrics
{
    /// <summary>The undefined metrics of <paramref name="metrics"/> by their report names, in report order.</summary>
    public static IReadOnlyList<string> Of(RankingMetrics metrics) => RankingMetrics.Names.Where(name => !double.IsFinite(metrics[name])).ToList();

    /// <summary>A figure as the console shows it: four decimals, or n/a when undefined (never NaN).</summary>
    public static string Shown(double value) => double.IsFinite(value) ? value.ToString("F4", CultureInfo.CurrentCulture) : "n/a";

    /// <summary>A metric's name as the tables head it (AUC, GAUC, NDCG@10, …, logloss).</summary>
    public static string Header(string metric) => metric == "logloss" ? metric : metric.ToUpperInvariant();

    /// <summary>
    /// Null when every metric of <paramref name="metrics"/> is defined; else e.g. "AUC, GAUC, NDCG@10, NDCG@20 and MRR are undefined
    /// on the observed test labels: all 1,200 rows are positive (implicit labels: …)", from the rows' <paramref name="labels"/>.
    /// </summary>
    /// <param name="what">The labels, as the sentence names them: "observed test", "true (clean) test".</param>
    /// <param name="observed">The log's own labels (not the simulator's truth): rows all positive then mean implicit feedback.</param>
    public static string? Why(RankingMetrics metrics, LabeledSet set, PackedLabels labels, string what, bool observed)
    {
        var undefined = Of(metrics);
        if (undefined.Count == 0) return null;
        var (rows, positives, usersWithBoth) = Count(set, labels);
        var cause = positives == rows
            ? $"all {N(rows)} rows are positive, with no negative to rank them against" +
              (observed ? " (implicit labels: every logged interaction is positive, negatives come only from sampling)" : "")
            : positives == 0 ? $"none of the {N(rows)} rows is positive"
            : $"no user holds both a positive and a negative among the {N(rows)} rows ({N(usersWithBoth)} users with both)";
        return $"{List(undefined.Select(Header).ToList())} {(undefined.Count == 1 ? "is" : "are")} undefined on the {what} labels: {cause}";
    }

    /// <summary>"A", "A and B", "A, B and C".</summary>
    public static string List(IReadOnlyList<string> items) =>
        items.Count <= 1 ? string.Concat(items) : string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1];

    private static (int Rows, int Positives, int UsersWithBoth) Count(LabeledSet set, PackedLabels labels)
    {
        var positives = 0;
        var seen = new Dictionary<int, int>();   // user → bit 1: a negative, bit 2: a positive (a user's rows may form several runs)
        foreach (var (user, start, count) in set.UserRuns())
            for (var r = start; r < start + count; r++)
            {
                var positive = labels[r] > 0.5f;
                if (positive) positives++;
                seen[user] = seen.GetValueOrDefault(user) | (positive ? 2 : 1);
            }
        return (labels.Count, positives, seen.Values.Count(v => v == 3));
    }

    private static string N(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
