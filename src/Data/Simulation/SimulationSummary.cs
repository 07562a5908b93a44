using System.Globalization;

namespace InverseLearning.Data.Simulation;

/// <summary>
/// What a simulation produced, measured on the log itself: sizes, the share of truly
/// liked impressions, the observed label shares and the realized noise rates.
/// </summary>
public sealed record SimulationSummary(
    int Rows,
    int Users,
    int Items,
    double TrueLikedShare,
    double PositiveShare,
    double NegativeShare,
    double UnlabeledShare,
    double FalseNegativeRate,
    double FalsePositiveRate,
    double LikeRate,
    double HateRate,
    FeedbackKind Feedback)
{
    private const double SkipBelow = 0.2, FinishAbove = 0.8, PositiveRatingFrom = 3;

    /// <summary>Labels as the default rules would: finish rate &gt; 0.8 / &lt; 0.2, or rating ≥ 3 / ≤ 2.</summary>
    public static SimulationSummary Of(SimulationResult r)
    {
        var log = r.Log;
        var truth = r.Truth.ImpressionLabels;
        long liked = 0, positive = 0, negative = 0, falseNegative = 0, falsePositive = 0, likes = 0, hates = 0;
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
                if (log.Like!.Values[row]) likes++;
                if (log.Hate!.Values[row]) hates++;
            }
            if (isPositive) positive++;
            if (isNegative) negative++;
            if (truth[row])
            {
                liked++;
                if (isNegative) falseNegative++;
            }
            else if (isPositive)
            {
                falsePositive++;
            }
        }
        double rows = Math.Max(1, log.Count);
        return new SimulationSummary(log.Count, Distinct(log.UserId), Distinct(log.ItemId),
            liked / rows, positive / rows, negative / rows, (log.Count - positive - negative) / rows,
            falseNegative / (double)Math.Max(1, liked), falsePositive / (double)Math.Max(1, log.Count - liked),
            likes / rows, hates / rows, r.Options.Feedback);
    }

    /// <summary>One paragraph for the console.</summary>
    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        var labels = Feedback == FeedbackKind.Watch
            ? string.Format(c, "By finish rate: {0} positive (> 0.8), {1} negative (< 0.2), {2} unlabeled in between. ", Pct(PositiveShare), Pct(NegativeShare), Pct(UnlabeledShare))
            : string.Format(c, "By rating: {0} positive (≥ 3), {1} negative (≤ 2). ", Pct(PositiveShare), Pct(NegativeShare));
        var reactions = Feedback == FeedbackKind.Watch
            ? string.Format(c, " Likes on {0} of impressions, hates on {1}.", Pct(LikeRate, 2), Pct(HateRate, 3))
            : "";
        return string.Format(c, "{0:N0} impressions by {1:N0} users on {2:N0} items; {3} are truly liked. ", Rows, Users, Items, Pct(TrueLikedShare))
               + labels
               + string.Format(c, "True noise: {0} of truly liked impressions look negative (false negatives), {1} of truly disliked look positive (false positives).", Pct(FalseNegativeRate), Pct(FalsePositiveRate))
               + reactions;
    }

    private static string Pct(double share, int decimals = 1) => (share * 100).ToString("F" + decimals, CultureInfo.InvariantCulture) + "%";

    private static int Distinct(long[] ids) => new HashSet<long>(ids).Count;
}
