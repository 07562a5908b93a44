using YamlDotNet.RepresentationModel;

namespace InverseLearning.Deploy.Tests;

/// <summary>Every YAML document under deploy/k8s (or deploy/k8s/training), parsed, with path lookups into the mappings.</summary>
internal static class Manifests
{
    public static string Folder { get; } = Path.Combine(RepositoryRoot(), "deploy", "k8s");

    /// <summary>The training side: Redis, the shard silos and a training run, a kustomization of its own.</summary>
    public static string TrainingFolder { get; } = Path.Combine(Folder, "training");

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "InverseLearning.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no InverseLearning.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>(file name, document root) for every document of every .yaml file in <paramref name="folder"/> (default <see cref="Folder"/>, not its subfolders).</summary>
    public static IReadOnlyList<(string File, YamlMappingNode Root)> All(string? folder = null) =>
        [.. Directory.GetFiles(folder ?? Folder, "*.yaml").Order(StringComparer.Ordinal).SelectMany(path =>
        {
            var stream = new YamlStream();
            using (var reader = File.OpenText(path)) stream.Load(reader);
            return stream.Documents.Select(d => (Path.GetFileName(path), (YamlMappingNode)d.RootNode));
        })];

    /// <summary>Fails unless <paramref name="folder"/> holds at least <paramref name="atLeast"/> documents, each with an apiVersion, a kind and (but the kustomization) a name.</summary>
    public static void RequireKindsAndNames(string folder, int atLeast)
    {
        var documents = All(folder);
        Xunit.Assert.True(documents.Count >= atLeast, $"{documents.Count} documents");
        foreach (var (file, root) in documents)
        {
            Xunit.Assert.False(string.IsNullOrEmpty(Text(root, "apiVersion")), $"{file}: no apiVersion");
            Xunit.Assert.False(string.IsNullOrEmpty(Text(root, "kind")), $"{file}: no kind");
            if (Text(root, "kind") != "Kustomization")
                Xunit.Assert.False(string.IsNullOrEmpty(Text(root, "metadata.name")), $"{file}: no metadata.name");
        }
    }

    public static YamlMappingNode Kind(string kind, string? name = null, string? folder = null) =>
        All(folder).Select(d => d.Root).Single(r => Text(r, "kind") == kind && (name is null || Text(r, "metadata.name") == name));

    /// <summary>The node at a dotted path ("spec.template.spec"); [n] indexes a sequence.</summary>
    public static YamlNode? At(YamlNode node, string path)
    {
        foreach (var step in path.Split('.'))
        {
            var bracket = step.IndexOf('[');
            var key = bracket < 0 ? step : step[..bracket];
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var next)) return null;
            node = next;
            if (bracket >= 0)
            {
                var index = int.Parse(step[(bracket + 1)..^1]);
                if (node is not YamlSequenceNode seq || index >= seq.Children.Count) return null;
                node = seq.Children[index];
            }
        }
        return node;
    }

    public static string? Text(YamlNode node, string path) => (At(node, path) as YamlScalarNode)?.Value;

    /// <summary>The scalars of the sequence at <paramref name="path"/> (empty when there is none).</summary>
    public static IReadOnlyList<string> Strings(YamlNode node, string path) =>
        At(node, path) is YamlSequenceNode seq ? [.. seq.Children.Select(n => ((YamlScalarNode)n).Value!)] : [];

    /// <summary>The mappings of the sequence at <paramref name="path"/> (empty when there is none).</summary>
    public static IReadOnlyList<YamlNode> Items(YamlNode node, string path) =>
        At(node, path) is YamlSequenceNode seq ? [.. seq.Children] : [];

    /// <summary>The value after <paramref name="flag"/> in a container's args, failing when the flag is absent or last.</summary>
    public static string Flag(IReadOnlyList<string> args, string flag)
    {
        var at = args.ToList().IndexOf(flag);
        if (at < 0 || at + 1 >= args.Count) throw new Xunit.Sdk.XunitException($"no value for {flag} in [{string.Join(' ', args)}]");
        return args[at + 1];
    }

    public static int Int(YamlNode node, string path) =>
        int.Parse(Text(node, path) ?? throw new Xunit.Sdk.XunitException($"missing {path}"));

    public static IReadOnlyDictionary<string, string> Labels(YamlNode node, string path) =>
        At(node, path) is YamlMappingNode map
            ? map.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value!)
            : new Dictionary<string, string>();

    /// <summary>Kubernetes memory quantity in bytes (Ki, Mi, Gi; plain bytes).</summary>
    public static long Bytes(string quantity) =>
        quantity.EndsWith("Gi") ? long.Parse(quantity[..^2]) << 30
        : quantity.EndsWith("Mi") ? long.Parse(quantity[..^2]) << 20
        : quantity.EndsWith("Ki") ? long.Parse(quantity[..^2]) << 10
        : long.Parse(quantity);
}
