namespace InverseLearning.Data.Import;

/// <summary>
/// How to read ratings files: the unit of their timestamps, the valid rating range (recorded in
/// the log's footer, which later reads take as their range, so an import never writes ratings
/// training would reject), an optional progress sink (fraction of bytes read), a cancellation, checked as lines are read
/// and before the log is written (a cancelled import writes nothing), and where notes go (a header's columns not read).
/// </summary>
public sealed record ImportOptions(TimestampUnit TimestampUnit = TimestampUnit.Seconds, IProgress<double>? Progress = null,
    float RatingMin = 1, float RatingMax = 5, CancellationToken Cancel = default, Action<string>? Note = null)
{
    public void Validate()
    {
        if (!float.IsFinite(RatingMin) || !float.IsFinite(RatingMax) || RatingMin > RatingMax)
            throw new DataException($"--rating-min ({RatingMin}) and --rating-max ({RatingMax}) must be finite numbers with min ≤ max.");
    }
}
