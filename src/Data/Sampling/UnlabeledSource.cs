namespace InverseLearning.Data;

/// <summary>`--unlabeled-source`: never-shown videos, the user's own middle-band impressions, or a mix.</summary>
public enum UnlabeledSource
{
    Unseen,
    Impressions,
    Both,
}
