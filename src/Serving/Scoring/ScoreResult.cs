namespace InverseLearning.Serving.Scoring;

/// <summary>One request's slice of a batch: scores and known flags in request order; <see cref="UserKnown"/> is its first row's user's.</summary>
public sealed record ScoreResult(float[] Scores, bool UserKnown, bool[] ItemKnown);
