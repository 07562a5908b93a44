using System.Globalization;

namespace InverseLearning.Data;

/// <summary>Where a feedback rule reads its marks: the log's like column, its rating column, or a named boolean column.</summary>
public enum FeedbackSource { Like, Rating, Column }

/// <summary>
/// Which rows carry reliable, sparse feedback that marks a true positive (DenoisingRec's
/// "extra feedback"): <c>like</c> (like = true), <c>rating:N</c> (rating ≥ N) or
/// <c>column:NAME</c> (the log file's boolean column NAME is true). Null values mark nothing.
/// </summary>
public sealed record FeedbackRule(FeedbackSource Source, float RatingAtLeast = 0, string? ColumnName = null)
{
    public static readonly FeedbackRule Like = new(FeedbackSource.Like);

    /// <summary>Parses like | rating:N | column:NAME; <paramref name="flag"/> names the option in the error.</summary>
    public static FeedbackRule Parse(string text, string flag)
    {
        var value = text.Trim();
        if (value == "like") return Like;
        if (value.StartsWith("rating:", StringComparison.Ordinal))
        {
            var threshold = value["rating:".Length..];
            return float.TryParse(threshold, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && float.IsFinite(n)
                ? new FeedbackRule(FeedbackSource.Rating, n)
                : throw new ArgumentException($"{flag}: '{threshold}' in '{text}' is not a number; expected rating:N, e.g. rating:4");
        }
        if (value.StartsWith("column:", StringComparison.Ordinal) && value.Length > "column:".Length)
            return new FeedbackRule(FeedbackSource.Column, ColumnName: value["column:".Length..]);
        throw new ArgumentException($"{flag}: '{text}' is not a feedback rule; expected like, rating:N or column:NAME");
    }

    /// <summary>The column of the log file this rule reads.</summary>
    public string Column => Source switch
    {
        FeedbackSource.Like => InteractionLogSchema.Like,
        FeedbackSource.Rating => InteractionLogSchema.Rating,
        _ => ColumnName!,
    };

    public override string ToString() => Source switch
    {
        FeedbackSource.Like => "like",
        FeedbackSource.Rating => $"rating:{RatingAtLeast.ToString(CultureInfo.InvariantCulture)}",
        _ => $"column:{ColumnName}",
    };

    /// <summary>
    /// Per log row: whether the rule marks it. Null when the log lacks the rule's column
    /// (<paramref name="named"/> is the column:NAME column, read by <see cref="FlagColumnReader"/>).
    /// </summary>
    public bool[]? Mark(InteractionLog log, NullableColumn<bool>? named = null)
    {
        switch (Source)
        {
            case FeedbackSource.Like:
                return log.Like is { } like ? Flags(like, log.Count) : null;
            case FeedbackSource.Column:
                return named is null ? null : Flags(named, log.Count);
            default:
                if (log.Rating is not { } rating) return null;
                var marks = new bool[log.Count];
                for (var row = 0; row < marks.Length; row++)
                    marks[row] = rating.HasValue[row] && rating.Values[row] >= RatingAtLeast;
                return marks;
        }
    }

    internal static bool[] Flags(NullableColumn<bool> column, int count)
    {
        if (column.Values.Length != count)
            throw new ArgumentException($"the flag column has {column.Values.Length} rows, the log {count}");
        var marks = new bool[count];
        for (var row = 0; row < count; row++) marks[row] = column.HasValue[row] && column.Values[row];
        return marks;
    }
}
