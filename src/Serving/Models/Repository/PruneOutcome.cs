namespace InverseLearning.Serving.Models.Repository;

/// <summary>
/// What one <see cref="ModelRepository.Prune"/> did: the versions it <paramref name="Removed"/>, and those it could not delete
/// (<paramref name="Stuck"/>: a read-only volume, a folder not this user's) with the <paramref name="Cause"/> of the first.
/// </summary>
public sealed record PruneOutcome(IReadOnlyList<int> Removed, IReadOnlyList<int> Stuck, Exception? Cause);
