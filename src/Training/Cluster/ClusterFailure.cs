using StackExchange.Redis;

namespace InverseLearning.Training.Cluster;

/// <summary>
/// Why the cluster could not be reached, in the words of one error line: the first line of the failure's message, except
/// for Redis, whose message advises connection-string options (abortConnect) that are no answer to a Redis that is not there.
/// </summary>
public static class ClusterFailure
{
    public static string Reason(Exception failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
            if (e is RedisConnectionException redis)
                return redis.FailureType switch
                {
                    ConnectionFailureType.UnableToConnect or ConnectionFailureType.UnableToResolvePhysicalConnection or ConnectionFailureType.SocketFailure
                        => "Redis did not answer",
                    ConnectionFailureType.AuthenticationFailure => "Redis refused to authenticate this connection",
                    var other => $"Redis connection failed: {other}",
                };
        return failure.Message.Split('\n')[0];
    }

    /// <summary>
    /// The line a run ends with once a shard's calls have failed for its whole retry time; it says to train with --resume where the run
    /// has a checkpoint to go on from (<paramref name="resumable"/>), else to train again.
    /// </summary>
    public static string ShardGaveUp(string operation, int shard, TimeSpan retryFor, Exception failure, bool resumable = true)
    {
        var train = resumable ? "train with --resume" : "train again (the run saved no checkpoint yet to go on from)";
        // Orleans' timeout names its whole message ("… for message: Request [ sys.client/… ]->[S127.0.0.1:…] …"), its own address form.
        if (failure is TimeoutException)
            return $"cluster: {operation} shard {shard} failed for {retryFor.TotalSeconds:F0} s (no answer: {failure.Message.Split(" for message:")[0].Split('\n')[0].Trim()}); " +
                "a silo that stopped answering (paused, cut off) holds the shard and was not declared dead, or every gateway this process was given " +
                $"in --cluster is such a silo's: give every silo's gateway in --cluster (or the cluster's redis://); if the cluster lost a silo it cannot do " +
                $"without (a local cluster's first), start the cluster again and {train}";
        return failure is Orleans.Runtime.Messaging.ConnectionFailedException
            // Orleans' words ("Unable to connect to S127.0.0.1:31108:0, will retry after 999.9ms") are its own address form and retry, and
            // never say that a trainer reaches the cluster through the gateways it was given only.
            ? $"cluster: {operation} shard {shard} failed for {retryFor.TotalSeconds:F0} s: no gateway given in --cluster accepts a connection, and a trainer reaches the cluster " +
              $"through those only; start the stopped silos again and {train}, and give every silo's gateway in --cluster (or the cluster's redis://) so that one stopped silo leaves the others"
            : $"cluster: {operation} shard {shard} failed for {retryFor.TotalSeconds:F0} s ({failure.GetType().Name}: {failure.Message.Split('\n')[0].Trim()}); " +
              $"the cluster cannot serve the shard: if it lost a silo it cannot do without (a local cluster's first), start the cluster again and {train}";
    }
}
