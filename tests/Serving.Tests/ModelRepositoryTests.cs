using System.Text.Json.Nodes;
using InverseLearning.Serving.Models.Loading;
using InverseLearning.Serving.Models.Repository;

namespace InverseLearning.Serving.Tests;

public sealed class ModelRepositoryTests : IDisposable
{
    private readonly string _repository = Path.Combine(Directory.CreateTempSubdirectory("repository-tests-").FullName, "repo");

    [Fact]
    public void Publishing_numbers_versions_and_writes_a_manifest_with_each_files_checksum()
    {
        var first = ModelRepository.Publish(_repository, dir => File.WriteAllText(Path.Combine(dir, "model.onnx"), "one"), new JsonObject { ["auc"] = 0.7 });
        var second = ModelRepository.Publish(_repository, dir => File.WriteAllText(Path.Combine(dir, "model.onnx"), "two"), new JsonObject { ["auc"] = 0.8 });

        Assert.Equal((1, 2), (first, second));
        Assert.Equal([1, 2], ModelRepository.Versions(_repository));
        var manifest = BundleManifest.Read(Path.Combine(_repository, "2", BundleManifest.FileName));
        Assert.Equal(2, manifest.Version);
        // SHA-256 of "two", computed independently.
        Assert.Equal(new FileDigest("3fc4ccfe745870e2c0d99f71f30ff0656c8dedd41cc1d7d3d376b0dbe685e2f3", 3), manifest.Files["model.onnx"]);
        Assert.Equal(0.8, (double)manifest.Metrics["auc"]!);
        Assert.Equal(["1", "2"], Directory.EnumerateFileSystemEntries(_repository).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void A_failed_export_leaves_no_version_and_no_staging_folder()
    {
        ModelRepository.Publish(_repository, dir => File.WriteAllText(Path.Combine(dir, "model.onnx"), "one"), []);

        var error = Assert.Throws<IOException>(() => ModelRepository.Publish(_repository, dir =>
        {
            File.WriteAllText(Path.Combine(dir, "model.onnx"), "half");
            throw new IOException($"No space left on device : '{Path.Combine(dir, ".model.onnx.tmp")}'");
        }, []));

        // Told of the repository named, not of the hidden staging folder that was removed.
        Assert.Equal($"{_repository}: the new version could not be written (No space left on device); the repository is left as it was", error.Message);

        Assert.Equal(["1"], Directory.EnumerateFileSystemEntries(_repository).Select(Path.GetFileName));
    }

    [Fact]
    public void A_file_holding_the_next_numbers_name_makes_the_publish_take_the_number_after()
    {
        Directory.CreateDirectory(_repository);
        File.WriteAllText(Path.Combine(_repository, "1"), "not a version");

        var version = ModelRepository.Publish(_repository, dir => File.WriteAllText(Path.Combine(dir, "model.onnx"), "one"), []);

        Assert.Equal(2, version);
        Assert.Equal(2, BundleManifest.Read(Path.Combine(_repository, "2", BundleManifest.FileName)).Version);
    }

    [Fact]
    public void Staging_folders_of_dead_processes_are_removed_and_are_never_versions()
    {
        Directory.CreateDirectory(_repository);
        var orphan = Path.Combine(_repository, $".staging-2147483000-{Guid.NewGuid():N}");
        Directory.CreateDirectory(orphan);
        Directory.CreateDirectory(Path.Combine(_repository, "not-a-version"));
        Directory.CreateDirectory(Path.Combine(_repository, "007"));
        Assert.Empty(ModelRepository.Versions(_repository));

        ModelRepository.Publish(_repository, dir => File.WriteAllText(Path.Combine(dir, "model.onnx"), "one"), []);

        Assert.False(Directory.Exists(orphan));
        Assert.Equal([1], ModelRepository.Versions(_repository));
    }

    [Fact]
    public void A_manifest_of_another_format_is_refused_naming_the_field()
    {
        ModelRepository.Publish(_repository, dir => File.WriteAllText(Path.Combine(dir, "model.onnx"), "one"), []);
        var path = Path.Combine(_repository, "1", BundleManifest.FileName);
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"format\": 1", "\"format\": 2"));

        var error = Assert.Throws<ModelLoadException>(() => BundleManifest.Read(path));

        Assert.Equal($"{path}: 'format' is 2, expected 1", error.Message);
    }

    [Theory]
    [InlineData("files")]
    [InlineData("version")]
    public void A_manifest_that_repeats_a_key_is_refused_naming_the_file(string key)
    {
        // It was an ArgumentException naming no file, which stopped the server at start and answered a reload with a 500.
        ModelRepository.Publish(_repository, dir => File.WriteAllText(Path.Combine(dir, "model.onnx"), "one"), []);
        var path = Path.Combine(_repository, "1", BundleManifest.FileName);
        var text = File.ReadAllText(path).TrimEnd();
        File.WriteAllText(path, $"{text[..^1]}, \"{key}\": {{}}}}");

        var error = Assert.Throws<ModelLoadException>(() => BundleManifest.Read(path));

        Assert.StartsWith($"{path}: cannot read the manifest (", error.Message);
        Assert.Contains(key, error.Message);
    }

    [Fact]
    public void A_staging_folder_of_another_machine_is_left_to_it_and_one_of_this_machines_dead_process_is_removed()
    {
        // Two publish Jobs in different pods share the volume: each judged the other's staging folder by its own process table.
        Directory.CreateDirectory(_repository);
        var elsewhere = Path.Combine(_repository, $".staging-otherpod7-{int.MaxValue}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(elsewhere);
        string? ours = null;
        ModelRepository.Publish(_repository, dir => { ours = Path.GetFileName(dir); File.WriteAllText(Path.Combine(dir, "model.onnx"), "one"); }, []);
        // This machine's name, as its own staging folder carried it, with a process that runs nowhere.
        var host = ours!.Split('-')[1];
        var orphan = Path.Combine(_repository, $".staging-{host}-{int.MaxValue}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(orphan);

        ModelRepository.Publish(_repository, dir => File.WriteAllText(Path.Combine(dir, "model.onnx"), "two"), []);

        Assert.True(Directory.Exists(elsewhere));
        Assert.False(Directory.Exists(orphan));
        Assert.Equal([1, 2], ModelRepository.Versions(_repository));
    }

    [Fact]
    public void A_staging_folder_of_a_running_process_is_left_to_it()
    {
        // Another export still writing its version: this process stands in for it.
        Directory.CreateDirectory(_repository);
        var writing = Path.Combine(_repository, $".staging-{Environment.ProcessId}-abc");
        Directory.CreateDirectory(writing);

        ModelRepository.Publish(_repository, dir => File.WriteAllText(Path.Combine(dir, "model.onnx"), "one"), []);

        Assert.True(Directory.Exists(writing));
        Assert.Equal([1], ModelRepository.Versions(_repository));
    }

    [Fact]
    public void A_repository_at_the_largest_version_number_refuses_the_next_naming_it_and_leaves_nothing_behind()
    {
        Directory.CreateDirectory(Path.Combine(_repository, int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        var error = Assert.Throws<IOException>(() => ModelRepository.Publish(_repository, dir => File.WriteAllText(Path.Combine(dir, "model.onnx"), "m"), []));

        Assert.Equal($"{_repository} holds version 2147483647, the largest number a version can have; publish into a new repository", error.Message);
        Assert.Equal(["2147483647"], Directory.EnumerateFileSystemEntries(_repository).Select(Path.GetFileName));
    }

    [Fact]
    public void A_file_named_as_the_last_number_is_named_as_a_file_not_as_a_version()
    {
        Directory.CreateDirectory(Path.Combine(_repository, "2147483646"));
        var file = Path.Combine(_repository, "2147483647");
        File.WriteAllText(file, "not a version");

        var error = Assert.Throws<IOException>(() => ModelRepository.Publish(_repository, dir => File.WriteAllText(Path.Combine(dir, "model.onnx"), "m"), []));

        Assert.Equal([2147483646], ModelRepository.Versions(_repository));
        Assert.Equal($"{file} is a file, not a version, and takes 2147483647, the largest number a version can have; publish into a new repository", error.Message);
    }

    [Fact]
    public void Pruning_keeps_the_newest_versions_and_never_the_one_serving()
    {
        for (var i = 0; i < 5; i++) ModelRepository.Publish(_repository, dir => File.WriteAllText(Path.Combine(dir, "model.onnx"), "m"), []);

        var pruned = ModelRepository.Prune(_repository, keep: 2, protect: 1);

        Assert.Equal([2, 3], pruned.Removed);
        Assert.Empty(pruned.Stuck);
        Assert.Equal([1, 4, 5], ModelRepository.Versions(_repository));
        Assert.Equal(3, Directory.EnumerateFileSystemEntries(_repository).Count()); // no retiring folder left behind
    }

    [Fact]
    public void Pruning_removes_what_a_killed_pruner_left_and_leaves_a_running_ones()
    {
        string? staging = null;
        for (var i = 0; i < 3; i++)
            ModelRepository.Publish(_repository, dir => { staging = Path.GetFileName(dir); File.WriteAllText(Path.Combine(dir, "model.onnx"), "m"); }, []);
        // This machine's name, as its staging folders carry it; a server killed mid-prune, and one still deleting (this process).
        var host = staging!.Split('-')[1];
        var killed = Directory.CreateDirectory(Path.Combine(_repository, $".retiring-{host}-{int.MaxValue}-{Guid.NewGuid():N}")).FullName;
        File.WriteAllText(Path.Combine(killed, "model.onnx"), "half deleted");
        var running = Directory.CreateDirectory(Path.Combine(_repository, $".retiring-{host}-{Environment.ProcessId}-{Guid.NewGuid():N}")).FullName;

        ModelRepository.Prune(_repository, keep: 3);

        Assert.False(Directory.Exists(killed), "a killed server's half-deleted version was left for good");
        Assert.True(Directory.Exists(running));
    }

    [Fact]
    public void Pruning_a_version_that_links_to_another_pruned_one_removes_the_link_and_what_it_led_to_stays_removed()
    {
        // The link, retired after the folder it led to, led to nothing: its delete was taken for another pruner's, and a hidden
        // link to nothing stayed for good, which no sweep of folders saw.
        ModelRepository.Publish(_repository, dir => File.WriteAllText(Path.Combine(dir, "model.onnx"), "m"), []);
        Directory.CreateSymbolicLink(Path.Combine(_repository, "2"), Path.Combine(_repository, "1"));
        ModelRepository.Publish(_repository, dir => File.WriteAllText(Path.Combine(dir, "model.onnx"), "m"), []);

        var pruned = ModelRepository.Prune(_repository, keep: 1);

        Assert.Equal([1, 2], pruned.Removed);
        Assert.Equal(["3"], Directory.EnumerateFileSystemEntries(_repository).Select(Path.GetFileName));
    }

    [Fact]
    public void Pruning_removes_a_link_to_nothing_a_killed_pruner_left()
    {
        ModelRepository.Publish(_repository, dir => File.WriteAllText(Path.Combine(dir, "model.onnx"), "m"), []);
        var host = ThisHostsTag();
        var killed = Path.Combine(_repository, $".retiring-{host}-{int.MaxValue}-{Guid.NewGuid():N}");
        Directory.CreateSymbolicLink(killed, Path.Combine(_repository, "gone"));

        ModelRepository.Prune(_repository, keep: 1);

        Assert.Equal(["1"], Directory.EnumerateFileSystemEntries(_repository).Select(Path.GetFileName));
    }

    [Fact]
    public void Pruning_removes_only_hidden_folders_named_as_export_and_prune_name_theirs()
    {
        // An operator's own staging folder, mid-copy: `.staging-p` was judged a dead writer (no PID at all), and
        // `.staging-20261207` one whose PID 20261207 ran no more, and both were deleted under the copy. Nor is a name that ends
        // otherwise than as a GUID as export writes it (32 lower-case hex digits): a day's second copy, a GUID in capitals.
        ModelRepository.Publish(_repository, dir => File.WriteAllText(Path.Combine(dir, "model.onnx"), "m"), []);
        var host = ThisHostsTag();
        string[] operators = [".staging-p", ".staging-20261207", ".staging-20261207-copy", ".retiring-by-hand", $".staging-{host}-{int.MaxValue}-not-a-guid",
            ".staging-20261207-2", $".staging-{int.MaxValue}-{Guid.NewGuid().ToString("N").ToUpperInvariant()}"];
        foreach (var name in operators) File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(_repository, name)).FullName, "model.onnx"), "copying");
        // Export's own, of a process that runs nowhere: as named now, and before the host was named.
        string[] killed = [$".staging-{host}-{int.MaxValue}-{Guid.NewGuid():N}", $".staging-{int.MaxValue}-{Guid.NewGuid():N}"];
        foreach (var name in killed) Directory.CreateDirectory(Path.Combine(_repository, name));

        ModelRepository.Prune(_repository, keep: 1);

        Assert.Equal(operators.Append("1").Order(StringComparer.Ordinal),
            Directory.EnumerateFileSystemEntries(_repository).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    /// <summary>This machine's name, as the hidden folders of its publishers and pruners carry it.</summary>
    private string ThisHostsTag()
    {
        string? staging = null;
        ModelRepository.Publish(Path.Combine(_repository, "..", "tag"), dir => { staging = Path.GetFileName(dir); File.WriteAllText(Path.Combine(dir, "model.onnx"), "m"); }, []);
        return staging!.Split('-')[1];
    }

    [Fact]
    public void A_model_behind_a_swapped_data_link_has_a_new_stamp()
    {
        // A Kubernetes ConfigMap or Secret volume: k/model.onnx -> ..data/model.onnx, ..data -> ..v1, swapped to ..v2 in one rename.
        var k = Directory.CreateDirectory(Path.Combine(_repository, "k")).FullName;
        var written = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        foreach (var version in new[] { "..v1", "..v2" })
        {
            var file = Path.Combine(Directory.CreateDirectory(Path.Combine(k, version)).FullName, "model.onnx");
            File.WriteAllText(file, version == "..v1" ? "one" : "two"); // the same length, and the same write time below
            File.SetLastWriteTimeUtc(file, written);
        }
        Directory.CreateSymbolicLink(Path.Combine(k, "..data"), "..v1");
        File.CreateSymbolicLink(Path.Combine(k, "model.onnx"), "..data/model.onnx");
        var before = ModelLocation.ForFile(Path.Combine(k, "model.onnx")).Stamp;

        Directory.CreateSymbolicLink(Path.Combine(k, "..tmp"), "..v2");
        // rename(2) over the old link, which .NET's moves refuse for a link to a folder.
        using (var swap = System.Diagnostics.Process.Start("mv", ["-T", Path.Combine(k, "..tmp"), Path.Combine(k, "..data")])!) swap.WaitForExit();
        var after = ModelLocation.ForFile(Path.Combine(k, "model.onnx")).Stamp;

        Assert.NotEqual(before, after);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_file_made_readable_gives_its_version_a_new_stamp()
    {
        // A version refused for a model.onnx this user could not read is tried again once the stamp changes: chmod 644 must change it.
        ModelRepository.Publish(_repository, dir => File.WriteAllText(Path.Combine(dir, "model.onnx"), "m"), []);
        var model = Path.Combine(_repository, "1", "model.onnx");
        File.SetUnixFileMode(model, UnixFileMode.None);
        var unreadable = ModelLocation.ForVersion(_repository, 1).Stamp;

        File.SetUnixFileMode(model, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        Assert.NotEqual(unreadable, ModelLocation.ForVersion(_repository, 1).Stamp);
    }

    [Fact]
    public void A_manifest_that_does_not_match_a_file_names_the_file_and_both_digests()
    {
        ModelRepository.Publish(_repository, dir => File.WriteAllText(Path.Combine(dir, "model.onnx"), "one"), []);
        var directory = Path.Combine(_repository, "1");
        var manifest = BundleManifest.Read(Path.Combine(directory, BundleManifest.FileName));

        var error = Assert.Throws<ModelLoadException>(() => manifest.Verify(directory, "model.onnx", "onf"u8));

        Assert.Contains(Path.Combine(directory, "model.onnx"), error.Message);
        Assert.Contains(FileDigest.Of("one"u8).Sha256, error.Message);
        Assert.Contains(FileDigest.Of("onf"u8).Sha256, error.Message);
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_repository)!, recursive: true);
}
