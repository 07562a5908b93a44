namespace InverseLearning.Serving;

/// <summary>One request's slice of a batch: scores and known flags in request order.</summary>
public sealed record ScoreResult(float[] Scores, bool UserKnown, bool[] ItemKnown);
