using System.Globalization;

namespace InverseLearning.Training.Selection;

/// <summary>
/// The validation measure that picks the checkpoint (--select-by): the validation rows'
/// loss or AUC or GAUC, or Recall@K / NDCG@K of a full ranking for the validation users.
/// </summary>
public sealed record SelectionMetric(SelectionMetric.Kind Measure, int K = 0)
{
    public enum Kind { Loss, Auc, Gauc, Recall, Ndcg }

    public static readonly SelectionMetric Loss = new(Kind.Loss);
    public const string Expected = "loss, auc, gauc, recall@K or ndcg@K (e.g. recall@50)";

    /// <summary>Lower is better for the loss, higher for every other measure.</summary>
    public bool HigherIsBetter => Measure != Kind.Loss;

    /// <summary>Whether the measure ranks the whole catalogue (and so needs the validation positives).</summary>
    public bool IsRanking => Measure is Kind.Recall or Kind.Ndcg;

    /// <summary>The value no measured one can fail to improve on.</summary>
    public double Worst => HigherIsBetter ? double.NegativeInfinity : double.PositiveInfinity;

    /// <summary>Whether <paramref name="value"/> beats <paramref name="best"/> (a NaN never does).</summary>
    public bool Improves(double value, double best) => HigherIsBetter ? value > best : value < best;

    public override string ToString() => Measure switch
    {
        Kind.Recall => $"recall@{K}",
        Kind.Ndcg => $"ndcg@{K}",
        _ => Measure.ToString().ToLowerInvariant(),
    };

    /// <summary>Reads the --select-by value; a malformed one is refused, naming the flag and what it takes.</summary>
    public static SelectionMetric Parse(string text)
    {
        var value = text.Trim().ToLowerInvariant();
        switch (value)
        {
            case "loss": return Loss;
            case "auc": return new(Kind.Auc);
            case "gauc": return new(Kind.Gauc);
        }
        var at = value.IndexOf('@');
        var kind = at < 0 ? (Kind?)null : value[..at] switch { "recall" => Kind.Recall, "ndcg" => Kind.Ndcg, _ => null };
        if (kind is null)
            throw new ArgumentException($"--select-by: '{text}' is not a selection metric; expected {Expected}");
        if (!int.TryParse(value[(at + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var k) || k < 1)
            throw new ArgumentException($"--select-by: '{text}' needs a positive integer K after @, e.g. {value[..at]}@50");
        return new(kind.Value, k);
    }
}
