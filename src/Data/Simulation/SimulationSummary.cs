using System.Globalization;

namespace InverseLearning.Data.Simulation;

/// <summary>
/// What a simulation produced, measured on the log itself: sizes, the share of truly liked
/// impressions, the observed label shares, the realized noise rates (shares of the LABELED
/// rows of each true label), likes and hates, and how skewed activity and exposure are.
/// </summary>
/// <param name="PositiveShare">Share of all impressions labeled positive (finish rate &gt; 0.8, or rating ≥ 3).</param>
/// <param name="LabeledPositiveShare">Share of the labeled impressions that are positive (the paper's 52%).</param>
/// <param name="FalseNegativeRate">Share of truly liked labeled impressions labeled negative.</param>
/// <param name="FalsePositiveRate">Share of truly disliked labeled impressions labeled positive.</param>
/// <param name="LikesFinishedShare">Share of likes on impressions watched past 0.8 of their duration.</param>
/// <param name="TopUserShare">Share of impressions made by the most active 10% of users.</param>
/// <param name="TopItemShare">Share of impressions of the most shown 10% of the catalogue.</param>
public sealed record SimulationSummary(
    int Rows,
    int Users,
    int Items,
    double TrueLikedShare,
    double PositiveShare,
    double NegativeShare,
    double UnlabeledShare,
    double LabeledPositiveShare,
    double FalseNegativeRate,
    double FalsePositiveRate,
    double LikeRate,
    double HateRate,
    double LikesFinishedShare,
    double TopUserShare,
    double TopItemShare,
    FeedbackKind Feedback)
{
    private const double SkipBelow = 0.2, FinishAbove = 0.8, PositiveRatingFrom = 3, TopShare = 0.1;

    /// <summary>Labels as the default rules would: finish rate &gt; 0.8 / &lt; 0.2, or rating ≥ 3 / ≤ 2.</summary>
    public static SimulationSummary Of(SimulationResult r)
    {
        var log = r.Log;
        var truth = r.Truth.ImpressionLabels;
        long positive = 0, negative = 0, labeledLiked = 0, labeledDisliked = 0, liked = 0;
        long falseNegative = 0, falsePositive = 0, likes = 0, likesFinished = 0, hates = 0;
        for (var row = 0; row < log.Count; row++)
        {
            bool isPositive, isNegative;
            if (log.Rating is { } rating)
            {
                isPositive = rating.Values[row] >= PositiveRatingFrom;
                isNegative = !isPositive;
            }
            else
            {
                var finish = (double)log.PlayTimeMs!.Values[row] / log.DurationMs!.Values[row];
                isPositive = finish > FinishAbove;
                isNegative = finish < SkipBelow;
                if (log.Like!.Values[row]) { likes++; if (isPositive) likesFinished++; }
                if (log.Hate!.Values[row]) hates++;
            }
            if (isPositive) positive++;
            if (isNegative) negative++;
            if (truth[row]) liked++;
            if (!isPositive && !isNegative) continue;
            if (truth[row]) { labeledLiked++; if (isNegative) falseNegative++; }
            else { labeledDisliked++; if (isPositive) falsePositive++; }
        }
        double rows = Math.Max(1, log.Count);
        return new SimulationSummary(log.Count, Distinct(log.UserId), Distinct(log.ItemId),
            liked / rows, positive / rows, negative / rows, (log.Count - positive - negative) / rows,
            positive / (double)Math.Max(1, positive + negative),
            falseNegative / (double)Math.Max(1, labeledLiked), falsePositive / (double)Math.Max(1, labeledDisliked),
            likes / rows, hates / rows, likesFinished / (double)Math.Max(1, likes),
            TopCountShare(log.UserId, r.Truth.UserIds.Count, log.Count), TopCountShare(log.ItemId, r.Truth.ItemIds.Count, log.Count),
            r.Options.Feedback);
    }

    /// <summary>One paragraph for the console.</summary>
    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        var labels = Feedback == FeedbackKind.Watch
            ? string.Format(c, "By finish rate: {0} positive (> 0.8), {1} negative (< 0.2), {2} unlabeled in between; {3}. ",
                Percent(PositiveShare), Percent(NegativeShare), Percent(UnlabeledShare),
                UnlabeledShare < 1 ? $"{Percent(LabeledPositiveShare)} of labeled rows are positive" : "no row is labeled")
            : string.Format(c, "By rating: {0} positive (≥ 3), {1} negative (≤ 2). ", Percent(PositiveShare), Percent(NegativeShare));
        // No likes have no share finished: "0.0% of them finished" would read as likes on unfinished watches.
        var reactions = Feedback != FeedbackKind.Watch ? ""
            : LikeRate == 0 ? string.Format(c, " No likes, hates on {0}.", Percent(HateRate, 3))
            : string.Format(c, " Likes on {0} of impressions ({1} of them finished), hates on {2}.", Percent(LikeRate, 2), Percent(LikesFinishedShare), Percent(HateRate, 3));
        return $"{Counted.Of(Rows, "impression")} by {Counted.Of(Users, "user")} on {Counted.Of(Items, "item")}; {Percent(TrueLikedShare)} are truly liked. "
               + labels
               + string.Format(c, "True noise among labeled rows: {0} of truly liked look negative (false negatives), {1} of truly disliked look positive (false positives).", Percent(FalseNegativeRate), Percent(FalsePositiveRate))
               + reactions
               + string.Format(c, " The most active 10% of users make {0} of impressions; the most shown 10% of videos get {1}.", Percent(TopUserShare), Percent(TopItemShare));
    }

    /// <summary>A share as the summaries print it: "52.5%".</summary>
    public static string Percent(double share, int decimals = 1) => (share * 100).ToString("F" + decimals, CultureInfo.InvariantCulture) + "%";

    private static int Distinct(long[] ids) => new HashSet<long>(ids).Count;

    /// <summary>Share of <paramref name="rows"/> held by the top 10% of a population of <paramref name="population"/> ids (ids never seen count as zero).</summary>
    private static double TopCountShare(long[] ids, int population, int rows)
    {
        var counts = new Dictionary<long, int>();
        for (var row = 0; row < rows; row++) counts[ids[row]] = counts.GetValueOrDefault(ids[row]) + 1;
        var top = Math.Max(1, (int)(population * TopShare));
        return counts.Values.OrderDescending().Take(top).Sum(n => (long)n) / (double)Math.Max(1, rows);
    }
}
