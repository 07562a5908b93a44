using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using static InverseLearning.Deploy.Tests.Manifests;

namespace InverseLearning.Deploy.Tests;

/// <summary>
/// The training side (deploy/k8s/training) checked without a cluster: each document parses,
/// and Redis, the shard silos and the training job agree on addresses, ports, volumes and images.
/// </summary>
public class TrainingManifestTests
{
    private const string TrainImage = "inverselearning-train";

    private static YamlMappingNode Get(string kind, string? name = null) => Kind(kind, name, TrainingFolder);
    private static YamlMappingNode Redis => Get("Deployment", "redis-membership");
    private static YamlNode RedisContainer => At(Redis, "spec.template.spec.containers[0]")!;
    private static YamlMappingNode RedisService => Get("Service", "redis-membership");
    private static YamlMappingNode Silos => Get("StatefulSet");
    private static YamlNode Silo => At(Silos, "spec.template.spec.containers[0]")!;
    private static IReadOnlyList<string> SiloArgs => Strings(Silo, "args");
    private static YamlMappingNode SiloService => Get("Service", Text(Silos, "spec.serviceName"));
    private static YamlMappingNode Job => Get("Job");
    private static YamlNode Trainer => At(Job, "spec.template.spec.containers[0]")!;
    private static IReadOnlyList<string> TrainerArgs => Strings(Trainer, "args");

    /// <summary>Every document with a pod template (Deployment, StatefulSet, Job).</summary>
    private static IEnumerable<YamlMappingNode> Workloads =>
        All(TrainingFolder).Select(d => d.Root).Where(r => At(r, "spec.template.spec") is not null);

    private static IEnumerable<(string Workload, YamlNode Container)> Containers => Workloads.SelectMany(w =>
        Items(w, "spec.template.spec.initContainers").Concat(Items(w, "spec.template.spec.containers")).Select(c => (Text(w, "metadata.name")!, c)));

    private static bool Selects(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels) =>
        selector.Count > 0 && selector.All(l => labels.TryGetValue(l.Key, out var value) && value == l.Value);

    private static YamlNode Port(YamlNode container, string name) =>
        Items(container, "ports").SingleOrDefault(p => Text(p, "name") == name) ?? throw new Xunit.Sdk.XunitException($"no container port named {name}");

    /// <summary>The volume mounted at <paramref name="mountPath"/> in <paramref name="container"/> of <paramref name="workload"/>: (the mount, the volume).</summary>
    private static (YamlNode Mount, YamlNode Volume) Mounted(YamlNode workload, YamlNode container, string mountPath)
    {
        var mount = Items(container, "volumeMounts").SingleOrDefault(m => Text(m, "mountPath") == mountPath)
            ?? throw new Xunit.Sdk.XunitException($"nothing mounted at {mountPath}");
        var volume = Items(workload, "spec.template.spec.volumes").Single(v => Text(v, "name") == Text(mount, "name"));
        return (mount, volume);
    }

    [Fact]
    public void Every_document_parses_and_names_its_kind()
    {
        RequireKindsAndNames(TrainingFolder, 9);
    }

    [Fact]
    public void Kustomization_lists_every_manifest_file_and_no_other()
    {
        var listed = Strings(Get("Kustomization"), "resources").Order();
        var files = Directory.GetFiles(TrainingFolder, "*.yaml").Select(Path.GetFileName).Where(f => f != "kustomization.yaml").Order();
        Assert.Equal(files, listed);
    }

    [Fact]
    public void Serving_kustomization_leaves_the_training_cluster_to_its_own()
    {
        // `kubectl apply -k deploy/k8s` starts the ranker only: silos hold memory while a run needs them, not always.
        Assert.DoesNotContain(Strings(Kind("Kustomization"), "resources"), r => r.TrimEnd('/') == Path.GetFileName(TrainingFolder));
    }

    [Fact]
    public void Kustomization_shares_the_serving_namespace_and_train_image()
    {
        var training = Get("Kustomization");
        var serving = Kind("Kustomization");
        // The job reads the interaction-lake claim the serving side's publish-model job reads: claims are per namespace.
        Assert.Equal(Text(serving, "namespace"), Text(training, "namespace"));
        YamlNode Image(YamlNode k) => Items(k, "images").Single(i => Text(i, "name") == TrainImage);
        Assert.Equal(Text(Image(serving), "newName"), Text(Image(training), "newName"));
        Assert.Equal(Text(Image(serving), "newTag"), Text(Image(training), "newTag"));
    }

    [Fact]
    public void Selectors_match_the_pod_labels_they_are_meant_to()
    {
        foreach (var workload in Workloads.Where(w => At(w, "spec.selector") is not null))
            Assert.True(Selects(Labels(workload, "spec.selector.matchLabels"), Labels(workload, "spec.template.metadata.labels")),
                $"{Text(workload, "metadata.name")}: its selector misses its own pods");
        var pods = Workloads.ToDictionary(w => Text(w, "metadata.name")!, w => Labels(w, "spec.template.metadata.labels"));
        foreach (var service in All(TrainingFolder).Select(d => d.Root).Where(r => Text(r, "kind") == "Service"))
        {
            var selected = pods.Where(p => Selects(Labels(service, "spec.selector"), p.Value)).Select(p => p.Key).ToList();
            Assert.True(selected.Count == 1, $"Service {Text(service, "metadata.name")} selects [{string.Join(", ", selected)}]");
        }
        Assert.True(Selects(Labels(RedisService, "spec.selector"), pods[Text(Redis, "metadata.name")!]), "the Redis Service misses Redis");
        Assert.True(Selects(Labels(SiloService, "spec.selector"), pods[Text(Silos, "metadata.name")!]), "the StatefulSet's service misses the silos");
        Assert.True(Selects(Labels(Get("PodDisruptionBudget"), "spec.selector.matchLabels"), pods[Text(Silos, "metadata.name")!]), "the budget misses the silos");
        var antiAffinity = At(Silos, "spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm")!;
        Assert.True(Selects(Labels(antiAffinity, "labelSelector.matchLabels"), pods[Text(Silos, "metadata.name")!]), "the anti-affinity misses the silos");
    }

    [Fact]
    public void Silos_join_through_the_redis_service()
    {
        var redis = Flag(SiloArgs, "--redis");
        var servicePort = At(RedisService, "spec.ports[0]")!;
        Assert.Equal($"{Text(RedisService, "metadata.name")}:{Text(servicePort, "port")}", redis);
        // The Service's port reaches the port Redis listens on.
        Assert.Equal("6379", Text(Port(RedisContainer, Text(servicePort, "targetPort")!), "containerPort"));
    }

    [Fact]
    public void Trainer_finds_the_cluster_in_the_same_redis()
    {
        Assert.Equal($"redis://{Flag(SiloArgs, "--redis")}", Flag(TrainerArgs, "--cluster"));
    }

    [Fact]
    public void Silos_advertise_their_pod_ip()
    {
        var advertise = Regex.Match(Flag(SiloArgs, "--advertise"), @"^\$\((\w+)\)$");
        Assert.True(advertise.Success, "--advertise is not $(VARIABLE)");
        var variable = Items(Silo, "env").Single(e => Text(e, "name") == advertise.Groups[1].Value);
        Assert.Equal("status.podIP", Text(variable, "valueFrom.fieldRef.fieldPath"));
    }

    [Fact]
    public void The_silo_takes_the_manifests_args_through_its_own_checks()
    {
        // Kubernetes puts the pod's IP in for $(POD_IP); the silo must then take the args as given, --advertise with --redis included.
        var podIp = Items(Silo, "env").Where(e => Text(e, "valueFrom.fieldRef.fieldPath") == "status.podIP").Select(e => $"$({Text(e, "name")})").ToHashSet();
        var args = SiloArgs.Skip(1).Select(a => podIp.Contains(a) ? "10.244.1.7" : a).ToList();
        var parse = InverseLearning.Training.Cli.SiloCommand.Create().Parse(args);
        Assert.Empty(parse.Errors);
        var settings = InverseLearning.Training.Cli.SiloCommand.Settings(parse);
        Assert.Equal(System.Net.IPAddress.Parse("10.244.1.7"), settings.AdvertisedAddress);
        Assert.Equal(Flag(SiloArgs, "--redis"), settings.Redis);
    }

    [Fact]
    public void Silo_state_is_one_readwritemany_claim_mounted_by_every_silo()
    {
        var (mount, volume) = Mounted(Silos, Silo, Flag(SiloArgs, "--state"));
        Assert.NotEqual("true", Text(mount, "readOnly"));
        // One claim shared by all the pods; a volumeClaimTemplate would give each silo its own.
        Assert.Null(At(Silos, "spec.volumeClaimTemplates"));
        var claim = Get("PersistentVolumeClaim", Text(volume, "persistentVolumeClaim.claimName"));
        Assert.Contains("ReadWriteMany", Strings(claim, "spec.accessModes"));
    }

    [Fact]
    public void Silo_ports_match_its_args_its_service_and_its_probes()
    {
        Assert.Equal(Flag(SiloArgs, "--port"), Text(Port(Silo, "silo"), "containerPort"));
        Assert.Equal(Flag(SiloArgs, "--gateway-port"), Text(Port(Silo, "gateway"), "containerPort"));
        Assert.Equal("None", Text(SiloService, "spec.clusterIP"));
        Assert.Equal(new[] { "gateway", "silo" }, Items(SiloService, "spec.ports").Select(p => Text(p, "targetPort")).Order());
        // Ready when the gateway accepts trainers; alive while the silo port answers.
        Assert.Equal("gateway", Text(Silo, "readinessProbe.tcpSocket.port"));
        Assert.Equal("gateway", Text(Silo, "startupProbe.tcpSocket.port"));
        Port(Silo, Text(Silo, "livenessProbe.tcpSocket.port")!);
    }

    [Fact]
    public void Silos_schedule_and_stop_as_a_cluster()
    {
        var replicas = Int(Silos, "spec.replicas");
        Assert.True(replicas >= 2, $"{replicas} silo");
        Assert.Equal("Parallel", Text(Silos, "spec.podManagementPolicy"));
        // The .NET host gives a stopping silo 30 s by default (HostOptions.ShutdownTimeout).
        Assert.InRange(Int(Silos, "spec.template.spec.terminationGracePeriodSeconds"), 30, 90);
        var preferred = At(Silos, "spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm")!;
        Assert.Equal("kubernetes.io/hostname", Text(preferred, "topologyKey"));
        Assert.InRange(Int(Get("PodDisruptionBudget"), "spec.maxUnavailable"), 1, replicas - 1);
        // Fewer shards than silos would leave silos empty.
        Assert.True(int.Parse(Flag(TrainerArgs, "--shards")) >= replicas, $"--shards {Flag(TrainerArgs, "--shards")} < {replicas} silos");
    }

    [Fact]
    public void Redis_is_pinned_and_ready_when_it_answers_ping()
    {
        Assert.Matches(@"^redis:\d+\.\d+\.\d+(-[a-z0-9]+)?$", Text(RedisContainer, "image"));
        Assert.Equal(1, Int(Redis, "spec.replicas"));
        Assert.Contains("redis-cli ping", string.Join(' ', Strings(RedisContainer, "readinessProbe.exec.command")));
    }

    [Fact]
    public void Silos_and_trainer_run_the_projects_train_image_with_its_verbs()
    {
        foreach (var (workload, container) in Containers.Where(c => c.Workload != Text(Redis, "metadata.name")))
            Assert.True(Text(container, "image") == TrainImage, $"{workload}/{Text(container, "name")} runs {Text(container, "image")}");
        // The train stage's entrypoint is the CLI, so the args start with its verb.
        var dockerfile = File.ReadAllText(Path.Combine(RepositoryRoot(), "Dockerfile"));
        Assert.Matches(@"FROM \S+ AS train\n(?:(?!FROM ).*\n)*ENTRYPOINT \[""dotnet"", ""inverselearning.dll""\]", dockerfile);
        Assert.Equal("silo", SiloArgs[0]);
        Assert.Equal("train", TrainerArgs[0]);
        Assert.Null(At(Silo, "command"));
        Assert.Null(At(Trainer, "command"));
    }

    [Fact]
    public void The_flags_given_are_the_clis_own()
    {
        var cli = Path.Combine(RepositoryRoot(), "src", "Training", "Cli");
        var silo = File.ReadAllText(Path.Combine(cli, "SiloCommand.cs"));
        var train = string.Concat(Directory.GetFiles(cli, "*.cs").Select(File.ReadAllText));
        Assert.Contains("new Command(\"silo\"", silo);
        Assert.Contains("new Command(\"train\"", File.ReadAllText(Path.Combine(cli, "TrainCommand.cs")));
        foreach (var flag in SiloArgs.Where(a => a.StartsWith("--")))
            Assert.True(silo.Contains($"(\"{flag}\")"), $"silo has no {flag}");
        foreach (var flag in TrainerArgs.Where(a => a.StartsWith("--")))
            Assert.True(train.Contains($"(\"{flag}\")"), $"train has no {flag}");
    }

    [Fact]
    public void Every_container_requests_cpu_and_memory_within_a_memory_limit()
    {
        var containers = Containers.ToList();
        Assert.True(containers.Count >= 4, $"{containers.Count} containers");
        foreach (var (workload, container) in containers)
        {
            var where = $"{workload}/{Text(container, "name")}";
            Assert.True(Text(container, "resources.requests.cpu") is not null, $"{where}: no cpu request");
            var request = Text(container, "resources.requests.memory") ?? throw new Xunit.Sdk.XunitException($"{where}: no memory request");
            var limit = Text(container, "resources.limits.memory") ?? throw new Xunit.Sdk.XunitException($"{where}: no memory limit");
            Assert.True(Bytes(request) <= Bytes(limit), $"{where}: request {request} above limit {limit}");
        }
    }

    [Fact]
    public void Workers_are_the_indexes_of_one_job_all_running_at_once_under_one_run_name()
    {
        Assert.Equal("Indexed", Text(Job, "spec.completionMode"));
        var workers = int.Parse(Flag(TrainerArgs, "--workers"));
        Assert.True(workers >= 2, $"--workers {workers}");
        // They meet at every epoch's end: a worker left waiting for a slot would stall the others.
        Assert.Equal(workers, Int(Job, "spec.completions"));
        Assert.Equal(workers, Int(Job, "spec.parallelism"));
        Assert.Equal("$(JOB_COMPLETION_INDEX)", Flag(TrainerArgs, "--worker"));
        var run = Flag(TrainerArgs, "--run");
        var runEnv = Items(Trainer, "env").Single(e => $"$({Text(e, "name")})" == run);
        Assert.Equal("metadata.labels['batch.kubernetes.io/job-name']", Text(runEnv, "valueFrom.fieldRef.fieldPath"));
    }

    [Fact]
    public void Trainer_waits_for_a_ready_silo_and_writes_its_run_on_the_runs_volume()
    {
        // The trainer gives the cluster 30 s (ClusterStore.ConnectTimeout): the init container waits until the headless Service resolves, which it does for ready silos only.
        var wait = Items(Job, "spec.template.spec.initContainers").Single();
        Assert.Contains($"getent hosts {Text(SiloService, "metadata.name")};", string.Join(' ', Strings(wait, "args")));
        Assert.Equal("false", Text(SiloService, "spec.publishNotReadyAddresses"));

        Assert.Equal("Never", Text(Job, "spec.template.spec.restartPolicy"));
        Assert.Equal(0, Int(Job, "spec.backoffLimit"));

        var output = Flag(TrainerArgs, "--out");
        var (runsMount, runs) = Mounted(Job, Trainer, "/" + output.Split('/', StringSplitOptions.RemoveEmptyEntries)[0]);
        Assert.NotEqual("true", Text(runsMount, "readOnly"));
        var runsClaim = Get("PersistentVolumeClaim", Text(runs, "persistentVolumeClaim.claimName"));
        // Every worker's pod mounts it, at once and on whichever nodes they land: one node's ReadWriteOnce would stall the second.
        Assert.True(Int(Job, "spec.parallelism") > 1);
        Assert.Contains("ReadWriteMany", Strings(runsClaim, "spec.accessModes"));
        // Each pod its own run folder.
        var podName = Items(Trainer, "env").Single(e => Text(e, "valueFrom.fieldRef.fieldPath") == "metadata.name");
        Assert.EndsWith($"/$({Text(podName, "name")})", output);

        var data = Flag(TrainerArgs, "--data");
        var (lakeMount, lake) = Mounted(Job, Trainer, "/" + data.Split('/', StringSplitOptions.RemoveEmptyEntries)[0]);
        Assert.Equal("true", Text(lakeMount, "readOnly"));
        // The same lake the serving side's publish-model job reads.
        var publishLake = Items(Kind("Job", "publish-model"), "spec.template.spec.volumes").Single(v => Text(v, "name") == "lake");
        Assert.Equal(Text(publishLake, "persistentVolumeClaim.claimName"), Text(lake, "persistentVolumeClaim.claimName"));
    }
}
