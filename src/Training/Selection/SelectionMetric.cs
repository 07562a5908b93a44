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

    /// <summary>
    /// Reads the --select-by value; a malformed one is refused, naming the flag and what it takes. Names are lower case and taken
    /// as written, as method and model names are: 'AUC' is refused with "did you mean auc?", not read as auc.
    /// </summary>
    public static SelectionMetric Parse(string text)
    {
        var value = text.Trim();
        var at = value.IndexOf('@');
        var name = at < 0 ? value : value[..at];
        Kind? kind = (name, at < 0) switch
        {
            ("loss", true) => Kind.Loss,
            ("auc", true) => Kind.Auc,
            ("gauc", true) => Kind.Gauc,
            ("recall", false) => Kind.Recall,
            ("ndcg", false) => Kind.Ndcg,
            _ => null,
        };
        if (kind is null)
            throw new ArgumentException($"--select-by: '{text}' is not a selection metric; expected {Expected}{DidYouMean(name, at < 0 ? "" : value[at..])}");
        if (kind is not (Kind.Recall or Kind.Ndcg)) return new(kind.Value);
        var kText = value[(at + 1)..];
        if (!int.TryParse(kText, NumberStyles.None, CultureInfo.InvariantCulture, out var k) || k < 1)
            throw new ArgumentException(kText.Length > 0 && kText.All(char.IsAsciiDigit) && kText.TrimStart('0').Length > 0
                ? $"--select-by: '{text}': K must be from 1 to {int.MaxValue.ToString("N0", CultureInfo.InvariantCulture)}"
                : $"--select-by: '{text}' needs a positive integer K after @, e.g. {name}@50");
        return new(kind.Value, k);
    }

    /// <summary>"; did you mean recall@50?" for a name a slip or a capital away from a measure's (K kept as given, or 50 where none is); else nothing.</summary>
    private static string DidYouMean(string name, string atK) =>
        Serving.Spelling.Nearest(name, ["loss", "auc", "gauc", "recall", "ndcg"]) is not { } meant ? ""
            : $"; did you mean {meant}{(meant is "recall" or "ndcg" ? atK.Length > 1 ? atK : "@50" : "")}?";
}
