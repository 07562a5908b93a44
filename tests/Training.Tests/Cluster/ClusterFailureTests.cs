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

    [Fact]
    public void A_trainer_that_reaches_no_gateway_is_told_so_and_to_give_every_gateway_not_orleans_words()
    {
        var refused = new Orleans.Runtime.Messaging.ConnectionFailedException("Unable to connect to S127.0.0.1:31108:0, will retry after 999.9036ms");
        var line = ClusterFailure.ShardGaveUp("push to", 4, TimeSpan.FromMinutes(2), refused);
        Assert.StartsWith("cluster: push to shard 4 failed for 120 s: no gateway given in --cluster accepts a connection", line);
        Assert.Contains("give every silo's gateway in --cluster", line);
        Assert.DoesNotContain("S127.0.0.1", line);
    }

    [Fact]
    public void A_shard_that_never_answered_is_told_what_may_hold_it_not_orleans_whole_message()
    {
        // A worker given only a paused silo's gateway was told Orleans' request dump and that the cluster moved the shards.
        var timedOut = new TimeoutException("Response did not arrive on time in 00:00:10 for message: Request [S127.0.0.1:0:0 sys.client/facbaf]->[S127.0.0.1:47113:0 embeddingshard/OW/11] Pull #2ABB");
        var line = ClusterFailure.ShardGaveUp("pull from", 11, TimeSpan.FromMinutes(2), timedOut);
        Assert.StartsWith("cluster: pull from shard 11 failed for 120 s (no answer: Response did not arrive on time in 00:00:10); a silo that stopped answering", line);
        Assert.Contains("give every silo's gateway in --cluster", line);
        Assert.EndsWith("start the cluster again and train with --resume", line);
        Assert.DoesNotContain("S127.0.0.1", line);
    }

    [Fact]
    public void A_run_without_a_checkpoint_is_told_to_train_again_not_to_resume_what_it_does_not_have()
    {
        // Killed inside epoch 1: --resume would only answer that the folder holds no run to resume.
        foreach (var failure in new Exception[] { new Orleans.Runtime.Messaging.ConnectionFailedException("refused"), new TimeoutException("timed out") })
        {
            var unserved = new ShardUnservedException("pull from", 1, TimeSpan.FromSeconds(30), failure);
            Assert.Contains("train with --resume", unserved.Message);
            var fresh = unserved.WithNothingToResume();
            Assert.DoesNotContain("--resume", fresh.Message);
            Assert.Contains("train again (the run saved no checkpoint yet to go on from)", fresh.Message);
            Assert.StartsWith("cluster: pull from shard 1 failed for 30 s", fresh.Message);
            Assert.Same(failure, fresh.InnerException);
        }
    }
}
