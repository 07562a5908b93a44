namespace InverseLearning.Data;

/// <summary>Why a row of an interaction log is not usable.</summary>
public enum BadRowReason
{
    NullUserId,
    NullItemId,
    NullTimestamp,
    NegativePlayTime,
    NonPositiveDuration,
    RatingOutOfRange,
    UnknownSplit,
}

/// <summary>The column each reason is about and what that column must hold, for error messages and reports.</summary>
public static class BadRowReasons
{
    public static string Column(BadRowReason reason) => reason switch
    {
        BadRowReason.NullUserId => InteractionLogSchema.UserId,
        BadRowReason.NullItemId => InteractionLogSchema.ItemId,
        BadRowReason.NullTimestamp => InteractionLogSchema.Timestamp,
        BadRowReason.NegativePlayTime => InteractionLogSchema.PlayTime,
        BadRowReason.NonPositiveDuration => InteractionLogSchema.Duration,
        BadRowReason.RatingOutOfRange => InteractionLogSchema.Rating,
        BadRowReason.UnknownSplit => InteractionLogSchema.Split,
        _ => throw new ArgumentOutOfRangeException(nameof(reason)),
    };

    public static string Expectation(BadRowReason reason, ReadOptions options) => reason switch
    {
        BadRowReason.NullUserId => "expected a user id, found null",
        BadRowReason.NullItemId => "expected an item id, found null",
        BadRowReason.NullTimestamp => "expected a timestamp, found null",
        BadRowReason.NegativePlayTime => "expected a play time >= 0",
        BadRowReason.NonPositiveDuration => "expected a duration > 0 where play time is given",
        BadRowReason.RatingOutOfRange => $"expected a rating in [{options.RatingMin}, {options.RatingMax}]",
        BadRowReason.UnknownSplit => "expected split 'train', 'valid' or 'test'",
        _ => throw new ArgumentOutOfRangeException(nameof(reason)),
    };
}
