namespace InverseLearning.Data;

/// <summary>What reading does with a row that breaks the schema's rules.</summary>
public enum BadRowPolicy
{
    /// <summary>Stop at the first bad row with a <see cref="DataException"/>.</summary>
    Fail,

    /// <summary>Leave bad rows out and count them, by reason, in <see cref="InteractionLog.SkippedRows"/>.</summary>
    Skip,
}
