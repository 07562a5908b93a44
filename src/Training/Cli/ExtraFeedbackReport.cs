using System.Globalization;
using InverseLearning.Data;

namespace InverseLearning.Training.Cli;

/// <summary>
/// inspect's extra-feedback lines: the size of D* per split, and how its share of each
/// user's training positives (extra ÷ implicit, colliding inference's sparsity) is spread.
/// </summary>
public static class ExtraFeedbackReport
{
    /// <summary>The ratio bands DenoisingRec groups sparse users by.</summary>
    public static readonly double[] Bands = [0.1, 0.2, 0.3];

    public static void Print(PreparedDataset data)
    {
        PrintExtra(data);
        if (data.Extra.TestPositives is { } positives)
            Console.WriteLine($"test positives: {data.Extra.TestPositivesRule}: {N(positives.Count)} test rows");
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static void PrintExtra(PreparedDataset data)
    {
        var extra = data.Extra;
        if (!extra.Available)
        {
            Console.WriteLine($"extra feedback: {extra.Rule}: none (the log has no such column)");
            return;
        }
        var total = extra.Train.Count + extra.Valid.Count + extra.Test.Count;
        Console.WriteLine($"extra feedback: {extra.Rule}: {N(total)} rows (train {N(extra.Train.Count)}, valid {N(extra.Valid.Count)}, test {N(extra.Test.Count)})" +
            (extra.OutsideSplits > 0 ? $"; {N(extra.OutsideSplits)} more on unlabeled rows, in no split" : ""));
        var ratios = extra.TrainRatioPerUser(data).Where(r => !double.IsNaN(r)).Order().ToArray();
        if (ratios.Length == 0) return;
        double At(double p) => ratios[(int)Math.Min(ratios.Length - 1, Math.Floor(p * ratios.Length))];
        Console.WriteLine($"  share per user: extra ÷ implicit training positives over {N(ratios.Length)} users: " +
            $"mean {ratios.Average():F3}, p10 {At(0.1):F3}, median {At(0.5):F3}, p90 {At(0.9):F3}, max {ratios[^1]:F3}");
        Console.WriteLine("  sparse users:  " + string.Join(", ", Bands.Select(b =>
            $"< {b.ToString(CultureInfo.InvariantCulture)}: {N(ratios.Count(r => r < b))} ({100.0 * ratios.Count(r => r < b) / ratios.Length:F1}%)")));
    }
}
