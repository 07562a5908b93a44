using InverseLearning.Serving.Models.Repository;
using InverseLearning.Training.Artifacts;
using InverseLearning.Training.Models;
using InverseLearning.Training.Runtime;
using Microsoft.ML.OnnxRuntime;

namespace InverseLearning.Training.Tests.Artifacts;

/// <summary>
/// The Triton model repository: the layout Triton's ONNX Runtime backend loads, and a config whose
/// inputs and outputs (parsed as text proto) are the exported graph's own, with Triton's batch
/// dimension in front of each per-pair tensor.
/// </summary>
public sealed class TritonRepositoryTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("triton-").FullName;

    /// <summary>A fresh folder inside this test's scratch folder, which goes with the test.</summary>
    private string NewFolder() => Directory.CreateDirectory(Path.Combine(_scratch, Guid.NewGuid().ToString("N"))).FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private static byte[] Model()
    {
        var store = new HostParameterStore(ModelRegistry.Create("gmf", dim: 4, layers: 1), userRows: 4, itemRows: 5, stateSlots: 0, seed: 3);
        return InferenceModel.Build(store, [0, 11, 12, 13], [0, 21, 22, 23, 24], new Dictionary<string, string>());
    }

    [Fact]
    public void The_config_declares_the_exported_graphs_inputs_and_outputs_with_a_batch_dimension()
    {
        var folder = NewFolder();
        TritonRepository.Publish(folder, "ranker", Model(), maxBatchSize: 512, maxQueueDelayMicroseconds: 100);
        var config = TextProto.Parse(File.ReadAllText(Path.Combine(folder, "ranker", TritonRepository.ConfigFile)));
        Assert.Equal("ranker", config.Single("name"));
        Assert.Equal("onnxruntime", config.Single("backend"));
        Assert.Equal(512.0, config.Single("max_batch_size"));
        Assert.Equal(100.0, ((TextProto)config.Single("dynamic_batching")).Single("max_queue_delay_microseconds"));

        using var session = new InferenceSession(Path.Combine(folder, "ranker", "1", InferenceModel.FileName));
        void Matches(IReadOnlyList<object> declared, IReadOnlyDictionary<string, NodeMetadata> graph)
        {
            foreach (TextProto tensor in declared)
            {
                var name = (string)tensor.Single("name");
                Assert.True(graph.TryGetValue(name, out var node), $"{name} is not in the graph");
                var expected = node!.ElementType == typeof(long) ? "TYPE_INT64"
                    : node.ElementType == typeof(float) ? "TYPE_FP32"
                    : node.ElementType == typeof(bool) ? "TYPE_BOOL"
                    : node.ElementType.Name;
                Assert.Equal(expected, tensor.Single("data_type"));
                // Triton's shape is [batch] + dims, reshaped to [batch] + reshape: the graph's [N].
                Assert.Equal([1.0], tensor["dims"]);
                Assert.Empty(((TextProto)tensor.Single("reshape"))["shape"]);
                Assert.Equal([-1], node.Dimensions);
            }
        }
        Matches(config["input"], session.InputMetadata);
        Matches(config["output"], session.OutputMetadata);
        Assert.Equal(session.InputMetadata.Keys.Order(), config["input"].Cast<TextProto>().Select(t => (string)t.Single("name")).Order());
        // Every output but the catalogue, which has no batch dimension.
        Assert.Equal(session.OutputMetadata.Keys.Where(k => k != InferenceModel.Catalog).Order(), config["output"].Cast<TextProto>().Select(t => (string)t.Single("name")).Order());
    }

    [Fact]
    public void Each_export_is_the_next_numbered_version_beside_one_config()
    {
        var folder = NewFolder();
        Directory.CreateDirectory(Path.Combine(folder, "ranker", "not-a-version"));
        Assert.Equal(1, TritonRepository.Publish(folder, "ranker", Model(), 64, 100).Version);
        Assert.Equal(2, TritonRepository.Publish(folder, "ranker", Model(), 64, 100).Version);
        Assert.True(File.Exists(Path.Combine(folder, "ranker", "2", InferenceModel.FileName)));
        Assert.Equal([TritonRepository.ConfigFile], Directory.GetFiles(Path.Combine(folder, "ranker")).Select(Path.GetFileName));
    }

    [Fact]
    public void A_config_edited_by_hand_is_kept_by_the_next_export_and_one_as_written_is_not_told_as_kept()
    {
        var folder = NewFolder();
        var config = Path.Combine(folder, "ranker", TritonRepository.ConfigFile);
        Assert.Equal(new TritonRepository.Published(1, ConfigKept: false), TritonRepository.Publish(folder, "ranker", Model(), 64, 100));
        Assert.Equal(new TritonRepository.Published(2, ConfigKept: false), TritonRepository.Publish(folder, "ranker", Model(), 64, 100));
        // An operator's instance groups and version policy, which the next export once wrote over.
        var edited = File.ReadAllText(config) + "instance_group [ { count: 2, kind: KIND_CPU } ]\nversion_policy: { all { } }\n";
        File.WriteAllText(config, edited);

        Assert.Equal(new TritonRepository.Published(3, ConfigKept: true), TritonRepository.Publish(folder, "ranker", Model(), 64, 100));
        Assert.Equal(edited, File.ReadAllText(config));
        Assert.True(File.Exists(Path.Combine(folder, "ranker", "3", InferenceModel.FileName)));

        // An edit that keeps the length of the config export writes (its queue delay tuned) is told by the bytes, not by the size alone.
        var sameLength = TritonRepository.Config("ranker", 64, 100).Replace("max_queue_delay_microseconds: 100", "max_queue_delay_microseconds: 500", StringComparison.Ordinal);
        File.WriteAllText(config, sameLength);
        Assert.Equal(new TritonRepository.Published(4, ConfigKept: true), TritonRepository.Publish(folder, "ranker", Model(), 64, 100));
        Assert.Equal(sameLength, File.ReadAllText(config));
    }

    [Fact]
    public void Publishers_at_once_get_a_number_each_and_every_numbered_folder_holds_its_model()
    {
        var folder = NewFolder();
        // A staging folder of a publisher killed mid-write (its process is gone) is removed by the next one.
        var orphan = Directory.CreateDirectory(Path.Combine(folder, "ranker", $".staging.{int.MaxValue}.{Guid.NewGuid():N}")).FullName;
        File.WriteAllBytes(Path.Combine(orphan, InferenceModel.FileName), [1, 2, 3]);
        // Another machine's publisher on a shared volume: its process cannot be looked at from here, and its folder is left.
        var elsewhere = Directory.CreateDirectory(Path.Combine(folder, "ranker", $".staging.otherpod7.{int.MaxValue}.{Guid.NewGuid():N}")).FullName;

        var versions = new int[6];
        Parallel.For(0, versions.Length, new ParallelOptions { MaxDegreeOfParallelism = versions.Length }, k => versions[k] = TritonRepository.Publish(folder, "ranker", Model(), 64, 100).Version);

        Assert.Equal(Enumerable.Range(1, versions.Length), versions.Order());
        Assert.False(Directory.Exists(orphan));
        Assert.True(Directory.Exists(elsewhere));
        Directory.Delete(elsewhere);
        var entries = Directory.EnumerateDirectories(Path.Combine(folder, "ranker")).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(versions.Order().Select(v => v.ToString()).Order(), entries);
        Assert.All(entries, v => Assert.Equal(Model(), File.ReadAllBytes(Path.Combine(folder, "ranker", v!, InferenceModel.FileName))));
    }

    [Fact]
    public void A_file_with_a_versions_name_takes_the_number_and_a_config_that_is_a_folder_is_refused_before_publishing()
    {
        var folder = NewFolder();
        Directory.CreateDirectory(Path.Combine(folder, "ranker"));
        File.WriteAllText(Path.Combine(folder, "ranker", "1"), "not a version");
        Assert.Equal(2, TritonRepository.Publish(folder, "ranker", Model(), 64, 100).Version);

        var other = NewFolder();
        Directory.CreateDirectory(Path.Combine(other, "ranker", TritonRepository.ConfigFile));
        var error = Assert.Throws<IOException>(() => TritonRepository.Publish(other, "ranker", Model(), 64, 100).Version);
        Assert.Contains("is a folder; expected the model's config file", error.Message);
        Assert.Equal([TritonRepository.ConfigFile], Directory.EnumerateFileSystemEntries(Path.Combine(other, "ranker")).Select(Path.GetFileName));
    }

    [Fact]
    public void A_file_named_as_a_number_is_no_version()
    {
        var folder = NewFolder();
        Directory.CreateDirectory(Path.Combine(folder, "ranker"));
        File.WriteAllText(Path.Combine(folder, "ranker", "2147483647"), "not a version");

        Assert.Equal(1, TritonRepository.Publish(folder, "ranker", Model(), 64, 100).Version);
    }

    [Fact]
    public void A_folder_named_as_a_number_with_leading_zeros_is_no_version_as_the_model_repository_reads_it()
    {
        var folder = NewFolder();
        Directory.CreateDirectory(Path.Combine(folder, "ranker", "007"));

        Assert.Equal(1, TritonRepository.Publish(folder, "ranker", Model(), 64, 100).Version);
        Assert.Equal([1], ModelRepository.Versions(Path.Combine(folder, "ranker")));
    }

    [Fact]
    public void A_model_at_the_largest_version_number_refuses_the_next_and_writes_nothing()
    {
        var folder = NewFolder();
        Directory.CreateDirectory(Path.Combine(folder, "ranker", "2147483647"));

        var error = Assert.Throws<IOException>(() => TritonRepository.Publish(folder, "ranker", Model(), 64, 100).Version);

        Assert.StartsWith($"{Path.Combine(folder, "ranker")} holds version 2147483647, the largest number a version can have", error.Message);
        Assert.Equal(["2147483647"], Directory.EnumerateFileSystemEntries(Path.Combine(folder, "ranker")).Select(Path.GetFileName));
    }

    [Fact]
    public void A_refused_publish_keeps_the_config_it_found()
    {
        // An operator's config, there before the refused publish: only a config the publish itself wrote is taken back.
        var folder = NewFolder();
        Directory.CreateDirectory(Path.Combine(folder, "ranker", "2147483647"));
        var config = Path.Combine(folder, "ranker", TritonRepository.ConfigFile);
        File.WriteAllText(config, "name: \"ranker\"\n");

        Assert.Throws<IOException>(() => TritonRepository.Publish(folder, "ranker", Model(), 64, 100).Version);

        Assert.Equal("name: \"ranker\"\n", File.ReadAllText(config));
    }

    [Theory]
    [InlineData("2147483648")]
    [InlineData("9223372036854775807")]
    public void A_folder_numbered_past_the_largest_version_is_refused_as_triton_would_serve_it(string past)
    {
        // Triton reads versions as int64: the version published beside such a folder was never served, and nothing said so.
        var folder = NewFolder();
        Directory.CreateDirectory(Path.Combine(folder, "ranker", past));

        var error = Assert.Throws<IOException>(() => TritonRepository.Publish(folder, "ranker", Model(), 64, 100).Version);

        Assert.StartsWith($"{Path.Combine(folder, "ranker", past)} is numbered past 2147483647, the largest version number: a reader of 64-bit versions (Triton) would serve it", error.Message);
        Assert.Equal([past], Directory.EnumerateFileSystemEntries(Path.Combine(folder, "ranker")).Select(Path.GetFileName));

        var repository = NewFolder();
        Directory.CreateDirectory(Path.Combine(repository, past));
        var published = Assert.Throws<IOException>(() => ModelRepository.Publish(repository, staging => File.WriteAllText(Path.Combine(staging, "model.onnx"), "m"), new()));
        Assert.StartsWith($"{Path.Combine(repository, past)} is numbered past 2147483647", published.Message);
        Assert.Equal([past], Directory.EnumerateFileSystemEntries(repository).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("+7", 7L)]
    [InlineData("12abc", 12L)]
    [InlineData(" 9", 9L)]
    [InlineData("\t+3x", 3L)]
    [InlineData(" 07", 7L)] // Triton skips only a name whose first character is 0
    [InlineData("-5", -5L)]
    [InlineData("5", 5L)]
    [InlineData("0", 0L)]
    [InlineData("99999999999999999999", long.MaxValue)]
    [InlineData("007", null)]
    [InlineData("01abc", null)]
    [InlineData("abc12", null)]
    [InlineData("+", null)]
    [InlineData(" ", null)]
    [InlineData("+-3", null)]
    [InlineData(".staging.1", null)]
    public void Triton_reads_a_folder_name_as_cs_stoll_does(string name, long? version) =>
        Assert.Equal(version, TritonRepository.TritonVersion(name));

    [Theory]
    [InlineData("+7")]
    [InlineData("12abc")]
    [InlineData(" 3")]
    public void A_folder_triton_reads_as_a_newer_version_is_refused_before_anything_is_written(string name)
    {
        // Triton would make it the latest version and look for it under its number's name: neither it nor the export would be served.
        var folder = NewFolder();
        var model = Path.Combine(folder, "ranker");
        Directory.CreateDirectory(Path.Combine(model, "2"));
        Directory.CreateDirectory(Path.Combine(model, name));

        var error = Assert.Throws<IOException>(() => TritonRepository.Check("ranker", 64, folder));
        Assert.Equal($"{Path.Combine(model, name)}: Triton reads this folder's name as version {TritonRepository.TritonVersion(name)}, newer than every version here, " +
            "and would serve it instead of the version this export publishes; rename it (a version's folder is named by its number alone) or remove it", error.Message);
        Assert.Throws<IOException>(() => TritonRepository.Publish(folder, "ranker", Model(), 64, 100));
        Assert.Equal(new[] { name, "2" }.Order(StringComparer.Ordinal), Directory.EnumerateFileSystemEntries(model).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("+2")] // the version 2 already here: Triton loads 2/
    [InlineData("1abc")]
    [InlineData("-9")]
    [InlineData("007")]
    [InlineData("notes")]
    public void A_folder_triton_reads_as_no_newer_version_is_left_alone(string name)
    {
        var folder = NewFolder();
        var model = Path.Combine(folder, "ranker");
        Directory.CreateDirectory(Path.Combine(model, "2"));
        Directory.CreateDirectory(Path.Combine(model, name));

        Assert.Equal(3, TritonRepository.Publish(folder, "ranker", Model(), 64, 100).Version);
    }

    [Fact]
    public void A_folder_triton_reads_as_a_version_between_two_here_is_left_alone()
    {
        // Triton serves the newest, 3/: '+2' is older, whatever the oldest version here.
        var folder = NewFolder();
        var model = Path.Combine(folder, "ranker");
        foreach (var name in new[] { "1", "3", "+2" }) Directory.CreateDirectory(Path.Combine(model, name));

        Assert.Equal(4, TritonRepository.Publish(folder, "ranker", Model(), 64, 100).Version);
    }

    [Theory]
    [InlineData("a/b", 64, "--triton-name must be a folder name")]
    [InlineData("..", 64, "--triton-name must be a folder name")]
    [InlineData("my \"model\"", 64, "--triton-name must be a folder name of ASCII letters (A-Z, a-z), digits (0-9), '_', '-' and '.', not starting with '.', got 'my \"model\"'")]
    [InlineData("名前", 64, "--triton-name must be a folder name of ASCII letters (A-Z, a-z), digits (0-9), '_', '-' and '.', not starting with '.', got '名前'")] // letters, yet refused: the refusal says which letters
    [InlineData("...", 64, "not starting with '.', got '...'")]
    [InlineData(".ranker", 64, "not starting with '.', got '.ranker'")]
    [InlineData("two\nlines", 64, "--triton-name must be a folder name")]
    [InlineData("", 64, "--triton-name must be a folder name")]
    [InlineData("ranker", 0, "--triton-max-batch must be from 1 to 1,000,000, got 0")]
    public void A_bad_name_or_batch_is_refused_naming_the_flag(string name, int batch, string expected) =>
        Assert.Contains(expected, Assert.Throws<ArgumentException>(() => TritonRepository.Check(name, batch, Path.Combine(Path.GetTempPath(), "no-triton-repository"))).Message);

    [Fact]
    public void The_text_proto_reader_reads_what_it_is_given_and_refuses_what_it_cannot()
    {
        var parsed = TextProto.Parse("a: 1 b { c: \"x\" } d [ 2, 3 ] # comment\n e: [ { f: G } ]");
        Assert.Equal(1.0, parsed.Single("a"));
        Assert.Equal("x", ((TextProto)parsed.Single("b")).Single("c"));
        Assert.Equal([2.0, 3.0], parsed["d"]);
        Assert.Equal("G", ((TextProto)parsed.Single("e")).Single("f"));
        // Fields ended by ',' or ';', as an operator's instance_group often is.
        var separated = (TextProto)TextProto.Parse("g { h: 1, i: K; j: 3 }").Single("g");
        Assert.Equal([1.0, "K", 3.0], [separated.Single("h"), separated.Single("i"), separated.Single("j")]);
        Assert.Throws<FormatException>(() => TextProto.Parse("a: \"open"));
        // Cut short: a message or list left open, a field without its value.
        Assert.Throws<FormatException>(() => TextProto.Parse("a { b: 1"));
        Assert.Throws<FormatException>(() => TextProto.Parse("d [ 2,"));
        Assert.Throws<FormatException>(() => TextProto.Parse("a:"));
    }

    [Fact]
    public void An_empty_config_is_written_again_and_told_as_replaced()
    {
        var folder = NewFolder();
        var config = Path.Combine(folder, "ranker", TritonRepository.ConfigFile);
        TritonRepository.Publish(folder, "ranker", Model(), 64, 100);
        File.WriteAllBytes(config, []);

        // Kept before, as "edited by hand": Triton cannot load a model under an empty config.
        Assert.Equal(new TritonRepository.Published(2, ConfigKept: false, EmptyConfigReplaced: true), TritonRepository.Publish(folder, "ranker", Model(), 64, 100));
        Assert.Equal(TritonRepository.Config("ranker", 64, 100), File.ReadAllText(config));
    }

    [Fact]
    public void A_config_cut_short_is_refused_naming_it_and_no_version_is_published()
    {
        var folder = NewFolder();
        var config = Path.Combine(folder, "ranker", TritonRepository.ConfigFile);
        TritonRepository.Publish(folder, "ranker", Model(), 64, 100);
        var written = File.ReadAllText(config);
        File.WriteAllText(config, written[..(written.Length / 2)]);

        var refused = Assert.Throws<IOException>(() => TritonRepository.Publish(folder, "ranker", Model(), 64, 100));

        Assert.StartsWith($"{config} is not a config Triton can load (", refused.Message);
        Assert.EndsWith("); fix it, or remove it to have export write its own", refused.Message);
        Assert.False(Directory.Exists(Path.Combine(folder, "ranker", "2")));
    }
}
