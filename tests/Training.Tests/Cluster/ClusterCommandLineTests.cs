using InverseLearning.Training.Tests.Cli;

namespace InverseLearning.Training.Tests.Cluster;

/// <summary>The cluster's flags, refused in one line before any data is read or any silo is asked.</summary>
[Collection("Console")]
public class ClusterCommandLineTests(CliFixture fixture) : IClassFixture<CliFixture>
{
    private (int, string, string) Train(params string[] args) => CliRunner.Run(["train", "--data", fixture.Log, "--out", Path.Combine(fixture.Root, "cluster-refusals"), .. args]);

    [Theory]
    [InlineData("--workers applies to --cluster only", "--workers", "2")]
    [InlineData("--shards applies to --cluster only", "--shards", "4")]
    [InlineData("--run applies to --cluster only", "--run", "a")]
    [InlineData("--shards must be from 1 to 4,096, got 0", "--cluster", "127.0.0.1:1", "--shards", "0")]
    [InlineData("--shard-persist-every must be from 1 to 2,147,483,647, got 0", "--cluster", "127.0.0.1:1", "--shard-persist-every", "0")]
    [InlineData("--workers must be from 1 to 256, got 0", "--cluster", "127.0.0.1:1", "--workers", "0")]
    [InlineData("--worker: 2, expected 0 to 1", "--cluster", "127.0.0.1:1", "--workers", "2", "--worker", "2")]
    [InlineData("give the same --run to both", "--cluster", "127.0.0.1:1", "--workers", "2", "--worker", "1")]
    [InlineData("--run: 'a/b'", "--cluster", "127.0.0.1:1", "--workers", "2", "--run", "a/b")]
    [InlineData("--spawn-workers: only worker 0", "--cluster", "127.0.0.1:1", "--spawn-workers")]
    // One flag, one wording: this was "--worker-timeout: 0 s, expected 2 to 86,400", and a number past int's range is told as
    // RefusalTests.A_number_past_ints_range_is_told_the_flags_own_range shows.
    [InlineData("--worker-timeout must be from 2 to 86,400, got 0", "--cluster", "127.0.0.1:1", "--workers", "2", "--worker-timeout", "0")]
    [InlineData("--shards must be from 1 to 4,096, got 5,000", "--cluster", "127.0.0.1:1", "--shards", "5000")]
    [InlineData("--exit-with applies to --cluster only", "--exit-with", "1")]
    [InlineData("--exit-with: 0 is not a process id", "--cluster", "127.0.0.1:1", "--exit-with", "0")]
    [InlineData("--exit-with: no process 2147483647 is running", "--cluster", "127.0.0.1:1", "--workers", "2", "--worker", "1", "--run", "r", "--exit-with", "2147483647")]
    [InlineData("act inside an epoch", "--cluster", "127.0.0.1:1", "--workers", "2", "--checkpoint-every", "5")]
    [InlineData("cannot be combined with --store device", "--cluster", "127.0.0.1:1", "--store", "device")]
    [InlineData("'localhost' is not a gateway address", "--cluster", "localhost")]
    [InlineData("names no Redis host", "--cluster", "redis://")]
    public void A_bad_cluster_flag_is_one_line(string expected, params string[] args) => CliRunner.AssertOneLineFailure(Train(args), expected);

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    public void A_missing_log_is_told_before_a_cluster_that_does_not_answer_is_waited_for(string worker)
    {
        // Told only "no silo answered" after the connect timeout, the log's own error never shown.
        var missing = Path.Combine(fixture.Root, "not-there.parquet");
        var run = CliRunner.Run(["train", "--data", missing, "--out", Path.Combine(fixture.Root, "missing-log-" + worker),
            "--cluster", "127.0.0.1:1", "--workers", "2", "--worker", worker, "--run", "missing-log"]);
        CliRunner.AssertOneLineFailure(run, $"{missing}: file not found");
    }

    [Theory]
    [InlineData("Loud")]
    [InlineData("Information,Warning")]   // .NET reads it as the two ORed together: Warning, which it does not say
    public async Task A_local_cluster_refuses_a_bad_log_level_in_one_line_before_it_starts_a_silo(string level)
    {
        // Its first silo stopped on it, told as "silo 0 (ports …) did not come up within 90 s: error: …".
        using var cluster = new CliChild(new Dictionary<string, string> { ["Logging__LogLevel__Default"] = level },
            "cluster", "--silos", "1", "--state", Path.Combine(fixture.Root, "cluster-log-level"));
        await cluster.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, cluster.Process.ExitCode);
        Assert.Equal($"error: Logging:LogLevel:Default is '{level}', expected one of Trace, Debug, Information, Warning, Error, Critical, None", cluster.Stderr.Trim());
    }

    [Fact]
    public void A_cluster_nobody_answers_at_is_one_line_naming_the_address()
    {
        var port = InverseLearning.Training.Cluster.LocalCluster.FreePort();
        CliRunner.AssertOneLineFailure(Train("--cluster", $"127.0.0.1:{port}"), $"no silo of the cluster at 127.0.0.1:{port} answered");
        CliRunner.AssertOneLineFailure(Train("--cluster", $"redis://127.0.0.1:{port}"), $"no silo of the cluster at 127.0.0.1:{port} answered (Redis did not answer)");
    }

    [Fact]
    public void A_redis_address_is_shown_without_its_options_where_a_password_may_be()
    {
        var port = InverseLearning.Training.Cluster.LocalCluster.FreePort();
        // The password after the address, or before it.
        foreach (var address in new[] { $"redis://127.0.0.1:{port},password=hunter2", $"redis://password=hunter2,127.0.0.1:{port},ssl=false" })
        {
            var train = Train("--cluster", address);
            CliRunner.AssertOneLineFailure(train, $"no silo of the cluster at 127.0.0.1:{port} answered (Redis did not answer)");
            Assert.DoesNotContain("hunter2", train.Item3);
        }
        var silo = CliRunner.Run(["silo", "--state", Path.Combine(fixture.Root, "silo-state"), "--redis", "127.0.0.1:99999,password=hunter2"]);
        CliRunner.AssertOneLineFailure(silo, "--redis: '127.0.0.1:99999' has port 99999, not a port (1..65535)");
        Assert.DoesNotContain("hunter2", silo.Error);
    }

    [Theory]
    [InlineData("--cluster", "redis://password=hunter2", "--cluster: '' names no HOST:PORT")]
    [InlineData("--cluster", "redis://password=hunter2,bad host:6379", "--cluster: 'bad host:6379' is not HOST:PORT")]
    [InlineData("--redis", "password=hunter2,r:99999", "--redis: 'r:99999' has port 99999")]
    [InlineData("--redis", "password=hunter2", "--redis: '' names no HOST:PORT")]
    [InlineData("--cluster", "redis://user:hunter2@r:6379", "--cluster: '…@r:6379' is not HOST:PORT (options may follow it after a comma, and a password goes in password=…)")]
    [InlineData("--redis", ":hunter2@r:6379", "--redis: '…@r:6379' is not HOST:PORT")]
    [InlineData("--cluster", "rediss://u:hunter2@r:6380", "--cluster: '…@r:6380' is not a gateway address")]
    [InlineData("--cluster", "127.0.0.1:30000,password=hunter2", "--cluster: 'an option (key=value)' is not a gateway address")]
    public void A_redis_password_before_the_address_is_never_shown(string flag, string value, string expected)
    {
        var run = flag == "--cluster" ? Train(flag, value) : CliRunner.Run(["silo", "--state", Path.Combine(fixture.Root, "silo-state"), flag, value]);
        CliRunner.AssertOneLineFailure(run, expected);
        Assert.DoesNotContain("hunter2", run.Item3);
    }

    [Theory]
    [InlineData("[::1]:6379")]                        // IPv6, in brackets
    [InlineData("redis_membership:6379")]             // a Docker service name
    [InlineData("redis.ns.svc:6379,password=x")]      // a Kubernetes one, with options
    public void A_redis_host_of_any_usual_form_is_taken(string redis)
    {
        Assert.Null(InverseLearning.Training.Cluster.ClusterAddress.RedisProblem(redis, "--redis"));
        Assert.Equal(redis, InverseLearning.Training.Cluster.ClusterAddress.Parse("redis://" + redis, "--cluster").Redis);
    }

    [Fact]
    public void A_gateway_that_takes_the_connection_and_never_answers_is_one_line_at_the_connect_timeout()
    {
        // Listening, never accepting: the kernel completes the handshake, and nothing ever answers on it.
        var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        try
        {
            var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
            CliRunner.AssertOneLineFailure(Train("--cluster", $"127.0.0.1:{port}"),
                $"no silo of the cluster at 127.0.0.1:{port} answered (not within {InverseLearning.Training.Cluster.ClusterStore.ConnectTimeout.TotalSeconds:F0} s); " +
                "start them with `inverselearning silo`, and give their --gateway-port here, not their --port");
        }
        finally
        {
            silent.Stop();
        }
    }

    [Theory]
    [InlineData("--port: 0 is not a port", "--port", "0")]
    [InlineData("give two ports", "--port", "30100", "--gateway-port", "30100")]
    [InlineData("two ways to join", "--redis", "r:6379", "--primary-port", "11111")]
    [InlineData("--advertise: 'x' is not an IP address", "--advertise", "x")]
    // Through CliErrors, as every verb's error: a tab typed into a value is shown as \t, not as spaces.
    [InlineData("--advertise: '10.0.0.5\\t' is not an IP address", "--advertise", "10.0.0.5\t")]
    [InlineData("--redis: '-1' is not HOST:PORT", "--redis", "-1")]
    [InlineData("--state is empty; expected a folder to write into", "--state", "")]
    [InlineData("--redis: 'r:70000' has port 70000, not a port (1..65535)", "--redis", "r:70000")]
    [InlineData("--advertise is for silos that join through --redis", "--advertise", "10.0.0.5")]
    [InlineData("--primary-port 30100 is this silo's own port", "--port", "30100", "--gateway-port", "30101", "--primary-port", "30100")]
    [InlineData("--exit-with: -3 is not a process id", "--exit-with", "-3")]
    [InlineData("--exit-with: no process 2147483647 is running", "--exit-with", "2147483647")]
    public void A_bad_silo_flag_is_one_line(string expected, params string[] args) =>
        CliRunner.AssertOneLineFailure(CliRunner.Run(["silo", .. args.Contains("--state") ? [] : new[] { "--state", Path.Combine(fixture.Root, "silo-state") }, .. args]), expected);

    [Fact]
    public void A_file_as_the_silos_state_folder_or_above_it_is_one_line_saying_so()
    {
        CliRunner.AssertOneLineFailure(CliRunner.Run(["silo", "--state", fixture.Log]), $"--state {fixture.Log} is a file; expected a folder (new or existing) to write into");
        CliRunner.AssertOneLineFailure(CliRunner.Run(["silo", "--state", Path.Combine(fixture.Log, "state")]),
            $"--state {Path.Combine(fixture.Log, "state")}: {fixture.Log} is a file, so no folder can be made below it");
    }

    [Fact]
    public void A_dangling_link_as_the_silos_state_folder_is_one_line_naming_it()
    {
        var link = Path.Combine(fixture.Root, "state-link-to-nowhere");
        File.CreateSymbolicLink(link, Path.Combine(fixture.Root, "gone", "state"));
        CliRunner.AssertOneLineFailure(CliRunner.Run(["silo", "--state", link]), $"--state {link} is a link to {Path.Combine(fixture.Root, "gone", "state")}, which does not exist");
    }

    [Fact]
    public void A_silo_whose_redis_is_not_there_is_one_line_naming_it_without_the_clients_advice()
    {
        var redis = InverseLearning.Training.Cluster.LocalCluster.FreePort();
        var (silo, gateway) = InverseLearning.Training.Cluster.LocalCluster.FreePorts();
        var (code, _, error) = CliRunner.Run(["silo", "--state", Path.Combine(fixture.Root, "silo-state"), "--port", $"{silo}", "--gateway-port", $"{gateway}", "--redis", $"127.0.0.1:{redis}"]);

        Assert.Equal(1, code);
        Assert.EndsWith($"error: the silo did not start on ports {silo}/{gateway} (--redis 127.0.0.1:{redis}): Redis did not answer", error.TrimEnd());
        Assert.DoesNotContain("abortConnect", error);
    }

    [Fact]
    public void A_silo_whose_primary_is_not_there_is_one_line_not_endless_retries()
    {
        var (silo, gateway) = InverseLearning.Training.Cluster.LocalCluster.FreePorts();
        var primary = InverseLearning.Training.Cluster.LocalCluster.FreePort();
        CliRunner.AssertOneLineFailure(CliRunner.Run(["silo", "--state", Path.Combine(fixture.Root, "silo-state"), "--port", $"{silo}", "--gateway-port", $"{gateway}", "--primary-port", $"{primary}"]),
            $"--primary-port {primary}: nothing listens on 127.0.0.1:{primary}");
    }
}
