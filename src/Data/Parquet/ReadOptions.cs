namespace InverseLearning.Data;

/// <summary>How to read an interaction log: the bad-row policy, the declared rating range, an optional progress sink (fraction of rows read) and the memory the read may hold (none: unchecked).</summary>
public sealed record ReadOptions(
    BadRowPolicy OnBadRow = BadRowPolicy.Fail,
    float RatingMin = 1,
    float RatingMax = 5,
    IProgress<double>? Progress = null,
    HeldMemoryLimit? Memory = null);
