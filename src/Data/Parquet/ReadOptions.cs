namespace InverseLearning.Data;

/// <summary>
/// How to read an interaction log: the bad-row policy, the valid rating range, an optional progress sink (fraction of rows read)
/// and the memory the read may hold (none: unchecked). The rating range is the one a file records (<see cref="RecordedRatingRange"/>)
/// unless <paramref name="RatingRangeGiven"/>; RatingMin and RatingMax hold for a file that records none.
/// </summary>
/// <param name="RatingRangeGiven">Whether the user gave the range (--rating-min or --rating-max): it then holds for every file.</param>
public sealed record ReadOptions(
    BadRowPolicy OnBadRow = BadRowPolicy.Fail,
    float RatingMin = 1,
    float RatingMax = 5,
    IProgress<double>? Progress = null,
    HeldMemoryLimit? Memory = null,
    bool RatingRangeGiven = false)
{
    /// <summary>These options with the rating range <paramref name="part"/> records, when it records one and none was given.</summary>
    internal ReadOptions For(ParquetPart part) =>
        !RatingRangeGiven && RecordedRatingRange.In(part.Metadata, part.Path) is var (min, max) ? this with { RatingMin = min, RatingMax = max } : this;
}
