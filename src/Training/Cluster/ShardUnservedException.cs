namespace InverseLearning.Training.Cluster;

/// <summary>
/// A shard's calls failed for their whole retry time: the run ends in the one line <see cref="ClusterFailure.ShardGaveUp"/> says, which
/// advises --resume. Only the coordinator knows whether its run saved a checkpoint to resume from; one that did not says to train again
/// instead (<see cref="WithNothingToResume"/>), since --resume would only answer that the folder holds no run to resume.
/// </summary>
public sealed class ShardUnservedException : IOException
{
    private readonly string _operation;
    private readonly int _shard;
    private readonly TimeSpan _retryFor;

    public ShardUnservedException(string operation, int shard, TimeSpan retryFor, Exception failure, bool resumable = true)
        : base(ClusterFailure.ShardGaveUp(operation, shard, retryFor, failure, resumable), failure) => (_operation, _shard, _retryFor) = (operation, shard, retryFor);

    /// <summary>The same failure, for a run with no checkpoint yet: it says to train again, not with --resume.</summary>
    public ShardUnservedException WithNothingToResume() => new(_operation, _shard, _retryFor, InnerException!, resumable: false);
}
