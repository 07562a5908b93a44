namespace InverseLearning.Serving.Models;

/// <summary>What a reload did: swapped to <see cref="Version"/>, or kept the old model because of <see cref="Error"/>.</summary>
public sealed record ReloadOutcome(bool Swapped, string Version, string? Error);
