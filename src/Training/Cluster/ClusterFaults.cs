using Orleans.Runtime;

namespace InverseLearning.Training.Cluster;

/// <summary>Which failures of a grain call are the cluster's, to be retried, and which are the grain's own answer.</summary>
public static class ClusterFaults
{
    /// <summary>A lost silo, a dropped connection or a call that timed out: the grain will be reachable again. Anything a grain itself threw is not.</summary>
    public static bool IsTransient(Exception e) => e is TimeoutException or SiloUnavailableException or OrleansMessageRejectionException
        or Orleans.Runtime.Messaging.ConnectionFailedException or OrleansException { InnerException: TimeoutException };

    /// <summary>One call's answer; default when the cluster is moving the grain (the caller, which polls, asks again).</summary>
    public static T? Ask<T>(Func<Task<T>> call)
    {
        try
        {
            return call().GetAwaiter().GetResult();
        }
        catch (Exception e) when (IsTransient(e))
        {
            return default;
        }
    }

    /// <summary>Whether a call that returns nothing went through (false when the cluster is moving the grain).</summary>
    public static bool Done(Func<Task> call) => Ask(async () =>
    {
        await call();
        return true;
    });
}
