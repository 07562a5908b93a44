using System.Numerics;

namespace InverseLearning.Data.Import;

/// <summary>
/// How the imported rows repeat (user, item) pairs. They are kept as written, a row a rating the files hold (which of two
/// ratings is the true one, no import can tell), but counted and warned about: a repeated pair weighs twice in training,
/// contradicts itself where its ratings differ, and leaks a rating trained on into the held-out ones where it sits in two splits.
/// </summary>
/// <param name="Distinct">Distinct (user, item) pairs.</param>
/// <param name="Repeated">Pairs held by more than one row.</param>
/// <param name="ExtraRows">Rows past each pair's first.</param>
/// <param name="Contradictory">Repeated pairs with a row that rating labels make positive and another they make negative, at their default
/// thresholds (<see cref="DefaultLabels"/>): rows of 5 and 4 stars differ, but both say liked.</param>
/// <param name="AcrossSplits">Pairs whose rows are tagged with more than one split.</param>
/// <param name="SplitsCrossed">The splits those pairs' rows are tagged with, one bit per <see cref="SplitTag"/> (1 &lt;&lt; tag); 0 for none.</param>
public sealed record ImportedPairCounts(int Distinct, int Repeated, int ExtraRows, int Contradictory, int AcrossSplits, int SplitsCrossed)
{
    /// <summary>The thresholds train labels ratings with unless told others, which the warning names.</summary>
    private static readonly LabelingOptions DefaultLabels = new(LabelRule.Rating);

    public static ImportedPairCounts Of(InteractionLog log)
    {
        var order = new int[log.Count];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        // Sorted row numbers (4 bytes a row) rather than a set of pairs: the import already holds about 90 bytes a rating.
        Array.Sort(order, (a, b) => log.UserId[a] != log.UserId[b] ? log.UserId[a].CompareTo(log.UserId[b]) : log.ItemId[a].CompareTo(log.ItemId[b]));
        int distinct = 0, repeated = 0, contradictory = 0, acrossSplits = 0, splitsCrossed = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start + 1;
            while (end < order.Length && log.UserId[order[end]] == log.UserId[order[start]] && log.ItemId[order[end]] == log.ItemId[order[start]]) end++;
            distinct++;
            if (end - start > 1)
            {
                repeated++;
                if (LabeledBothWays(log, order, start, end)) contradictory++;
                var splits = log.Split is { } split ? SplitsOf(split, order, start, end) : 0;
                if (BitOperations.PopCount((uint)splits) > 1) (acrossSplits, splitsCrossed) = (acrossSplits + 1, splitsCrossed | splits);
            }
            start = end;
        }
        return new ImportedPairCounts(distinct, repeated, log.Count - distinct, contradictory, acrossSplits, splitsCrossed);
    }

    private static bool LabeledBothWays(InteractionLog log, int[] order, int start, int end)
    {
        bool positive = false, negative = false;
        for (var k = start; k < end; k++)
        {
            var rating = log.Rating!.Values[order[k]];
            positive |= rating >= DefaultLabels.RatingPositiveAtLeast;
            negative |= rating <= DefaultLabels.RatingNegativeAtMost;
        }
        return positive && negative;
    }

    private static int SplitsOf(SplitTag[] split, int[] order, int start, int end)
    {
        var splits = 0;
        for (var k = start; k < end; k++) splits |= 1 << (int)split[order[k]];
        return splits;
    }

    /// <summary>One warning line for each way the pairs repeat (none when no pair does).</summary>
    public IEnumerable<string> Warnings()
    {
        if (Repeated > 0)
            yield return $"warning: {Repeated:N0} (user, item) {Plural(Repeated, "pair occurs", "pairs occur")} in more than one row ({ExtraRows:N0} extra {Plural(ExtraRows, "row", "rows")}), " +
                "kept as written: training reads each row";
        if (Contradictory > 0)
            yield return $"warning: {Contradictory:N0} of the repeated pairs {Plural(Contradictory, "has", "have")} a row rated {DefaultLabels.RatingPositiveAtLeast:G} or more " +
                $"and one rated {DefaultLabels.RatingNegativeAtMost:G} or less, which --labels rating labels positive and negative (its default thresholds)";
        if (AcrossSplits > 0)
            yield return $"warning: {AcrossSplits:N0} (user, item) {Plural(AcrossSplits, "pair is", "pairs are")} in {CrossedInWords()}: " +
                "a pair trained on is also held out, which leaks its rating into validation or test";
    }

    // The splits named, so that pairs only in train and test are not said to be in valid too.
    private string CrossedInWords()
    {
        var names = new[] { SplitTag.Train, SplitTag.Valid, SplitTag.Test }.Where(tag => (SplitsCrossed & (1 << (int)tag)) != 0)
            .Select(tag => tag.ToString().ToLowerInvariant()).ToList();
        return names.Count == 2 ? $"both {names[0]} and {names[1]}" : $"more than one split ({string.Join(", ", names)})";
    }

    private static string Plural(int count, string one, string many) => count == 1 ? one : many;
}
