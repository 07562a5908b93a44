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
}
