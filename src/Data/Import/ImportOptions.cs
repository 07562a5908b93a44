namespace InverseLearning.Data.Import;

/// <summary>
/// How to read ratings files: the unit of their timestamps, the valid rating range (the one
/// `train --rating-min/--rating-max` reads the log with, so an import never writes ratings
/// training would reject) and an optional progress sink (fraction of bytes read).
/// </summary>
public sealed record ImportOptions(TimestampUnit TimestampUnit = TimestampUnit.Seconds, IProgress<double>? Progress = null,
    float RatingMin = 1, float RatingMax = 5)
{
    public void Validate()
    {
        if (!float.IsFinite(RatingMin) || !float.IsFinite(RatingMax) || RatingMin > RatingMax)
            throw new DataException($"--rating-min ({RatingMin}) and --rating-max ({RatingMax}) must be finite numbers with min ≤ max.");
    }
}
