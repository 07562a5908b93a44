namespace InverseLearning.Data;

/// <summary>How a log row becomes a positive, a negative or an unlabeled row.</summary>
public enum LabelRule
{
    /// <summary>play_time / duration above the upper threshold → 1, below the lower → 0.</summary>
    FinishRate,

    /// <summary>play time above the upper quartile of all play times → 1, below the lower quartile → 0.</summary>
    PlayTime,

    /// <summary>rating at least the upper threshold → 1, at most the lower → 0.</summary>
    Rating,

    /// <summary>every logged interaction → 1 (click or purchase logs: negatives come only from sampling).</summary>
    Implicit,
}
