using System.Text.RegularExpressions;
using InverseLearning.Serving;
using YamlDotNet.RepresentationModel;
using static InverseLearning.Deploy.Tests.Manifests;

namespace InverseLearning.Deploy.Tests;

/// <summary>The manifests checked without a cluster: each parses, and the fields the deployment relies on hold together.</summary>
public class KubernetesManifestTests
{
    private static YamlMappingNode Deployment => Kind("Deployment", "ranker");
    private static YamlNode Container => At(Deployment, "spec.template.spec.containers[0]")!;
    private static IReadOnlyDictionary<string, string> PodLabels => Labels(Deployment, "spec.template.metadata.labels");

    [Fact]
    public void Every_document_parses_and_names_its_kind()
    {
        RequireKindsAndNames(Folder, 9);
    }

    [Fact]
    public void Kustomization_lists_every_manifest_file_and_no_other()
    {
        var listed = ((YamlSequenceNode)At(Kind("Kustomization"), "resources")!).Children.Select(n => ((YamlScalarNode)n).Value!).Order();
        var files = Directory.GetFiles(Folder, "*.yaml").Select(Path.GetFileName).Where(f => f != "kustomization.yaml").Order();
        Assert.Equal(files, listed);
    }

    [Fact]
    public void Deployment_runs_non_root_serving_the_mounted_repository()
    {
        Assert.Equal("true", Text(Deployment, "spec.template.spec.securityContext.runAsNonRoot"));
        Assert.NotEqual(0, Int(Deployment, "spec.template.spec.securityContext.runAsUser"));
        var args = ((YamlSequenceNode)At(Container, "args")!).Children.Select(n => ((YamlScalarNode)n).Value).ToList();
        Assert.Equal("/models", args[args.IndexOf("--model-dir") + 1]);
        // `*`: every IPv4 and IPv6 address; 0.0.0.0 left an IPv6-only cluster's pod address unserved.
        Assert.Equal("*", args[args.IndexOf("--host") + 1]);
        Assert.Equal(args[args.IndexOf("--port") + 1], Text(Container, "ports[0].containerPort"));

        var mount = ((YamlSequenceNode)At(Container, "volumeMounts")!).Children.Single(m => Text(m, "mountPath") == "/models");
        Assert.Equal("true", Text(mount, "readOnly"));
        var volume = ((YamlSequenceNode)At(Deployment, "spec.template.spec.volumes")!).Children.Single(v => Text(v, "name") == Text(mount, "name"));
        Assert.Equal(Text(Kind("PersistentVolumeClaim"), "metadata.name"), Text(volume, "persistentVolumeClaim.claimName"));
    }

    [Fact]
    public void Prometheus_can_scrape_each_replicas_metrics_and_the_admin_token_guards_reloads()
    {
        // The admin port was bound to loopback, undeclared and unannotated: nothing outside the pod could scrape /metrics.
        var args = ((YamlSequenceNode)At(Container, "args")!).Children.Select(n => ((YamlScalarNode)n).Value!).ToList();
        var adminPort = args[args.IndexOf("--metrics-port") + 1];
        Assert.Equal("*", args[args.IndexOf("--admin-host") + 1]);
        var metrics = ((YamlSequenceNode)At(Container, "ports")!).Children.Single(p => Text(p, "name") == "metrics");
        Assert.Equal(adminPort, Text(metrics, "containerPort"));
        var annotations = Labels(Deployment, "spec.template.metadata.annotations");
        Assert.Equal("true", annotations["prometheus.io/scrape"]);
        Assert.Equal(adminPort, annotations["prometheus.io/port"]);
        Assert.Equal("/metrics", annotations["prometheus.io/path"]);

        // Off loopback the server refuses to start without a token file: it is mounted from a Secret, read-only.
        var tokenFile = args[args.IndexOf("--admin-token-file") + 1];
        var mount = ((YamlSequenceNode)At(Container, "volumeMounts")!).Children.Single(m => tokenFile.StartsWith(Text(m, "mountPath") + "/", StringComparison.Ordinal));
        Assert.Equal("true", Text(mount, "readOnly"));
        var volume = ((YamlSequenceNode)At(Deployment, "spec.template.spec.volumes")!).Children.Single(v => Text(v, "name") == Text(mount, "name"));
        Assert.Equal("ranker-admin-token", Text(volume, "secret.secretName"));
        Assert.Equal(Path.GetFileName(tokenFile), Text(volume, "secret.items[0].path"));
    }

    [Fact]
    public void The_autoscaler_alone_sets_the_replica_count()
    {
        // spec.replicas beside an HPA: every `kubectl apply -k` reset a scaled-out Deployment to it.
        Assert.Equal(Text(Deployment, "metadata.name"), Text(Kind("HorizontalPodAutoscaler"), "spec.scaleTargetRef.name"));
        Assert.Null(At(Deployment, "spec.replicas"));
    }

    [Fact]
    public void Readiness_uses_the_native_grpc_health_check_on_the_serving_port()
    {
        Assert.Equal(Text(Container, "ports[0].containerPort"), Text(Container, "readinessProbe.grpc.port"));
        // The empty service name asks grpc.health.v1 about the whole server (the model health check included).
        Assert.Equal("", Text(Container, "readinessProbe.grpc.service"));
        Assert.Null(At(Container, "readinessProbe.httpGet"));
    }

    [Theory]
    [InlineData("livenessProbe")]
    [InlineData("startupProbe")]
    public void Liveness_and_startup_ask_the_admin_ports_healthz_which_a_full_grpc_port_cannot_starve(string probe)
    {
        // On the gRPC port, clients holding every --max-connections left the probe unanswered: the kubelet restarted full replicas.
        Assert.Null(At(Container, $"{probe}.grpc"));
        Assert.Equal("/healthz", Text(Container, $"{probe}.httpGet.path"));
        var port = Text(Container, $"{probe}.httpGet.port");
        var declared = ((YamlSequenceNode)At(Container, "ports")!).Children.Single(p => Text(p, "name") == port || Text(p, "containerPort") == port);
        var args = Strings(Container, "args");
        Assert.Equal(Flag(args, "--metrics-port"), Text(declared, "containerPort"));
        // The kubelet calls the pod's address, not loopback: the admin port must be bound there.
        Assert.False(System.Net.IPAddress.IsLoopback(RankingOptionsValidation.ParseAddress(Flag(args, "--admin-host"))!), "--admin-host on loopback");
        Assert.Null(At(Container, $"{probe}.httpGet.host"));
        Assert.Contains("app.MapGet(\"/healthz\"", File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "Serving", "Operations", "AdminEndpoints.cs")));
    }

    [Fact]
    public void Termination_grace_covers_the_prestop_pause_and_the_servers_drain()
    {
        var preStop = Int(Container, "lifecycle.preStop.sleep.seconds");
        var grace = Int(Deployment, "spec.template.spec.terminationGracePeriodSeconds");
        var drain = new RankingOptions().DrainTimeout.TotalSeconds;
        Assert.True(preStop >= 1, "preStop pause");
        Assert.True(grace >= preStop + drain, $"grace {grace} s < preStop {preStop} s + drain {drain} s");
        Assert.True(grace <= preStop + drain + 15, $"grace {grace} s far beyond what the server needs");
    }

    [Fact]
    public void Resources_request_no_more_than_the_limit_and_name_memory()
    {
        var request = Bytes(Text(Container, "resources.requests.memory")!);
        var limit = Bytes(Text(Container, "resources.limits.memory")!);
        Assert.InRange(request, 128L << 20, limit);
        Assert.NotNull(Text(Container, "resources.requests.cpu"));
    }

    [Theory]
    [InlineData("ranker")]
    [InlineData("ranker-headless")]
    public void Services_select_the_pods_and_target_the_grpc_port(string name)
    {
        var service = Kind("Service", name);
        Assert.All(Labels(service, "spec.selector"), l => Assert.Equal(l.Value, PodLabels[l.Key]));
        Assert.NotEmpty(Labels(service, "spec.selector"));
        Assert.Equal(Text(Container, "ports[0].name"), Text(service, "spec.ports[0].targetPort"));
    }

    [Fact]
    public void The_network_policy_leaves_the_grpc_port_open_and_the_admin_port_to_prometheus_alone()
    {
        // Any pod could open the admin port's --max-connections and leave /healthz, the liveness probe, unanswered.
        var policy = Kind("NetworkPolicy", "ranker");
        Assert.All(Labels(policy, "spec.podSelector.matchLabels"), l => Assert.Equal(l.Value, PodLabels[l.Key]));
        Assert.NotEmpty(Labels(policy, "spec.podSelector.matchLabels"));
        Assert.Equal(["Ingress"], Strings(policy, "spec.policyTypes"));
        var rules = Items(policy, "spec.ingress");
        var ports = Items(Container, "ports");
        string PortOf(YamlNode rule) => Assert.Single(Items(rule, "ports")) is var port && Text(port, "port") is { } named
            ? Text(ports.Single(p => Text(p, "name") == named || Text(p, "containerPort") == named), "containerPort")!
            : throw new Xunit.Sdk.XunitException("a rule without a port");
        var args = Strings(Container, "args");

        var grpc = Assert.Single(rules, rule => PortOf(rule) == Flag(args, "--port"));
        Assert.Null(At(grpc, "from")); // from anywhere, as without the policy
        var admin = Assert.Single(rules, rule => PortOf(rule) == Flag(args, "--metrics-port"));
        var from = Assert.Single(Items(admin, "from"));
        Assert.NotEmpty(Labels(from, "namespaceSelector.matchLabels"));
        Assert.NotEmpty(Labels(from, "podSelector.matchLabels"));
        Assert.Equal(2, rules.Count);
    }

    [Fact]
    public void Headless_service_has_no_cluster_ip()
    {
        Assert.Equal("None", Text(Kind("Service", "ranker-headless"), "spec.clusterIP"));
        Assert.NotEqual("None", Text(Kind("Service", "ranker"), "spec.clusterIP") ?? "");
    }

    [Fact]
    public void Autoscaler_and_disruption_budget_cover_the_deployment()
    {
        var hpa = Kind("HorizontalPodAutoscaler");
        Assert.Equal("Deployment", Text(hpa, "spec.scaleTargetRef.kind"));
        Assert.Equal(Text(Deployment, "metadata.name"), Text(hpa, "spec.scaleTargetRef.name"));
        var min = Int(hpa, "spec.minReplicas");
        Assert.InRange(min, 2, Int(hpa, "spec.maxReplicas"));

        var pdb = Kind("PodDisruptionBudget");
        Assert.All(Labels(pdb, "spec.selector.matchLabels"), l => Assert.Equal(l.Value, PodLabels[l.Key]));
        Assert.NotEmpty(Labels(pdb, "spec.selector.matchLabels"));
        // The budget must let a drain proceed while keeping replicas serving.
        Assert.InRange(Int(pdb, "spec.maxUnavailable"), 1, min - 1);
    }

    [Fact]
    public void Publishing_job_writes_into_the_repository_the_replicas_read()
    {
        var job = Kind("Job", "publish-model");
        var volume = ((YamlSequenceNode)At(job, "spec.template.spec.volumes")!).Children.Single(v => Text(v, "name") == "models");
        Assert.Equal(Text(Kind("PersistentVolumeClaim"), "metadata.name"), Text(volume, "persistentVolumeClaim.claimName"));
        // The replicas serve numbered versions holding a manifest: export --repository writes them, into the mounted volume,
        // from the checkpoint of the run the job trained, on the same rows.
        var commands = PublishingJobCommands();
        var train = commands.Single(c => c.Contains("inverselearning.dll train "));
        var export = commands.Single(c => c.Contains("inverselearning.dll export "));
        var mount = Text(((YamlSequenceNode)At(job, "spec.template.spec.containers[0].volumeMounts")!).Children.Single(m => Text(m, "name") == "models"), "mountPath");
        Assert.Contains($"--repository {mount} ", export + " ");
        Assert.Contains($"--checkpoint {FlagIn(train, "--out")}/checkpoint", export);
        Assert.Equal(FlagIn(train, "--data"), FlagIn(export, "--data"));
        Assert.Equal(FlagIn(train, "--where"), FlagIn(export, "--where"));
        // The service image holds no trainer: the job runs the trainer's own image.
        Assert.Equal("inverselearning-train", Text(job, "spec.template.spec.containers[0].image"));
    }

    [Fact]
    public void Publishing_job_prunes_the_repository_to_a_few_versions_with_the_exports_own_flag()
    {
        // One version per run filled the volume: the replicas mount it read-only and cannot prune, so the job must.
        var export = PublishingJobCommands().Single(c => c.Contains("inverselearning.dll export "));

        // At least two: the one served and one to roll back to; at most ten, a bounded share of the volume.
        Assert.InRange(int.Parse(FlagIn(export, "--keep-versions"), System.Globalization.CultureInfo.InvariantCulture), 2, 10);
        Assert.Contains("new Option<int>(\"--keep-versions\")", File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "Training", "Cli", "ExportCommand.cs")));
    }

    [Fact]
    public void Publishing_job_reads_finished_days_only()
    {
        // An open window (day>=D) took in today's partition as it grew: export found rows the run never read and refused its
        // checkpoint. It now leaves added parts out, but a part of today's rewritten between train and export still refuses it.
        var script = Text(Kind("Job", "publish-model"), "spec.template.spec.containers[0].args[0]")!;
        var assignment = Assert.Single(script.Split('\n'), line => line.Trim().StartsWith("days=", StringComparison.Ordinal)).Trim();
        var shell = new System.Diagnostics.ProcessStartInfo("/bin/sh", ["-c", assignment + "; printf %s \"$days\""]) { RedirectStandardOutput = true };
        using var process = System.Diagnostics.Process.Start(shell)!;
        var window = process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"day<{today}", window.Split(','));
        Assert.Contains(window.Split(','), condition => condition.StartsWith("day>=", StringComparison.Ordinal));
    }

    [Fact]
    public void The_repository_volume_holds_one_version_more_than_the_job_keeps()
    {
        // Export writes the new version before it prunes: a volume sized for exactly --keep-versions versions failed every
        // publish once full ("No space left on device"), and pruning never ran.
        var export = PublishingJobCommands().Single(c => c.Contains("inverselearning.dll export "));
        var keep = int.Parse(FlagIn(export, "--keep-versions"), System.Globalization.CultureInfo.InvariantCulture);
        const long VersionBytes = 4L << 30; // a version as the manifests size it (model.onnx and seen.parquet of the catalogue served)

        Assert.InRange(Bytes(Text(Kind("PersistentVolumeClaim"), "spec.resources.requests.storage")!), (keep + 1) * VersionBytes, long.MaxValue);
    }

    /// <summary>The publishing job's script as commands, one a line, continued lines joined and spaces collapsed.</summary>
    private static List<string> PublishingJobCommands() =>
        Text(Kind("Job", "publish-model"), "spec.template.spec.containers[0].args[0]")!
            .Replace("\\\n", " ").Split('\n').Select(line => Regex.Replace(line.Trim(), @"\s+", " ")).ToList();

    private static string FlagIn(string command, string flag) =>
        Regex.Match(command, $@"{flag} (\S+)") is { Success: true } match ? match.Groups[1].Value : throw new Xunit.Sdk.XunitException($"no {flag} in: {command}");

    [Fact]
    public void Publish_check_serves_a_model_repository_as_the_image_and_the_deployment_do()
    {
        // It served one model.onnx with --model: the repository path (--model-dir), which every replica runs, went unexercised.
        var script = File.ReadAllText(Path.Combine(RepositoryRoot(), "deploy", "publish-check.sh"));
        var serve = Regex.Match(script, @"dotnet inverselearning-serve\.dll \$\{SERVE_ARGS:-(?<args>[^}]*)\}") is { Success: true } match
            ? match.Groups["args"].Value : throw new Xunit.Sdk.XunitException("publish-check.sh starts no inverselearning-serve.dll with ${SERVE_ARGS:-...}");
        var args = ((YamlSequenceNode)At(Container, "args")!).Children.Select(n => ((YamlScalarNode)n).Value!).ToList();
        static string Source(IEnumerable<string> words) => Assert.Single(words, word => word is "--model" or "--model-dir");

        Assert.Equal(Source(args), Source(serve.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Contains($"\"{Source(args)}\"", File.ReadAllLines(Path.Combine(RepositoryRoot(), "Dockerfile")).Single(l => l.StartsWith("CMD [")));
        // What it serves is what export --repository published, as the publishing job does.
        var export = Assert.Single(script.Split('\n'), line => line.StartsWith("$TRAIN export ", StringComparison.Ordinal));
        Assert.Equal(FlagIn(export, "--repository"), FlagIn(serve, "--model-dir"));
    }

    [Fact]
    public void Dockerfile_default_command_matches_the_deployments_serving_flags()
    {
        var dockerfile = File.ReadAllLines(Path.Combine(RepositoryRoot(), "Dockerfile"));
        var cmd = dockerfile.Single(l => l.StartsWith("CMD ["));
        var args = ((YamlSequenceNode)At(Container, "args")!).Children.Select(n => ((YamlScalarNode)n).Value!).ToList();
        foreach (var flag in new[] { "--model-dir", "--host", "--port", "--metrics-port" })
            Assert.Contains($"\"{flag}\", \"{args[args.IndexOf(flag) + 1]}\"", cmd);
        // A bare `docker run` has no token to guard an open admin port: the image keeps it on loopback, the cluster opens it.
        Assert.Contains("\"--admin-host\", \"127.0.0.1\"", cmd);
        Assert.Contains(dockerfile, l => l.StartsWith("USER ") && !l.Contains("root"));
        // The last stage, the default image, is the serving host.
        Assert.Equal("ENTRYPOINT [\"dotnet\", \"inverselearning-serve.dll\"]", dockerfile.Last(l => l.StartsWith("ENTRYPOINT ")));
    }
}
