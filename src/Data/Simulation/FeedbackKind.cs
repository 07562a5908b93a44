namespace InverseLearning.Data.Simulation;

/// <summary>What the simulated users leave behind: watch behaviour (micro-video feeds) or explicit 1–5 ratings (MovieLens-like).</summary>
public enum FeedbackKind
{
    Watch,
    Rating,
}
