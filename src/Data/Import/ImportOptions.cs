namespace InverseLearning.Data.Import;

/// <summary>How to read ratings files: the unit of their timestamps and an optional progress sink (fraction of bytes read).</summary>
public sealed record ImportOptions(TimestampUnit TimestampUnit = TimestampUnit.Seconds, IProgress<double>? Progress = null);
