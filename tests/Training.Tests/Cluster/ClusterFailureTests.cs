using InverseLearning.Training.Cluster;
using StackExchange.Redis;

namespace InverseLearning.Training.Tests.Cluster;

public class ClusterFailureTests
{
    [Fact]
    public void A_redis_failure_anywhere_in_the_chain_is_told_by_its_kind_without_the_clients_advice()
    {
        var advice = "It was not possible to connect to the redis server(s). To allow this multiplexer to continue retrying, use abortConnect=false";

        Assert.Equal("Redis did not answer", ClusterFailure.Reason(new RedisConnectionException(ConnectionFailureType.UnableToConnect, advice)));
        Assert.Equal("Redis refused to authenticate this connection",
            ClusterFailure.Reason(new InvalidOperationException("membership failed", new RedisConnectionException(ConnectionFailureType.AuthenticationFailure, advice))));
        Assert.Equal("Redis connection failed: ProtocolFailure", ClusterFailure.Reason(new RedisConnectionException(ConnectionFailureType.ProtocolFailure, advice)));
    }

    [Fact]
    public void Any_other_failure_is_its_messages_first_line() =>
        Assert.Equal("no gateway", ClusterFailure.Reason(new IOException("no gateway\n   at Orleans.Something()")));
}
