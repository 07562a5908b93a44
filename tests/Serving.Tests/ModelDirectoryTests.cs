using Grpc.Core;
using InverseLearning.Serving.Models.Loading;
using InverseLearning.Serving.Models.Repository;
using InverseLearning.V1;
using Microsoft.Extensions.Logging;

namespace InverseLearning.Serving.Tests;

public sealed class ModelDirectoryTests
{
    private const int Items = 30, SeenPerVersion = 5;

    /// <summary>Version k: its own embeddings, and user 0 has seen its own five items (disjoint from every other version's).</summary>
    private static readonly GmfModelFixture[] Retrains = Enumerable.Range(0, 6)
        .Select(k => GmfModelFixture.Random(users: 4, items: Items, dim: 6, seed: 20 + k, version: $"r{k}")).ToArray();

    private static long User => Retrains[0].UserIds[0];

    private static (long, long)[] SeenOf(int k) =>
        Retrains[k].ItemIds.Skip(k * SeenPerVersion).Take(SeenPerVersion).Select(item => (User, item)).ToArray();

    [Fact]
    public async Task Retrains_published_under_load_are_served_with_their_own_seen_list_and_no_call_fails()
    {
        await using var server = await ServerHarness.StartOnRepositoryAsync(Retrains[0], SeenOf(0));
        var answered = new int[Retrains.Length];
        var stale = 0;
        using var stop = new CancellationTokenSource();
        var callers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var response = await server.Client.RecommendAsync(new RecommendRequest { UserId = User, TopK = Items, ExcludeSeen = true });
                var version = VersionThatScored(response);
                if (version < 0) Interlocked.Increment(ref stale);
                else
                {
                    Interlocked.Increment(ref answered[version]);
                    var seen = SeenOf(version).Select(p => p.Item2).ToHashSet();
                    if (response.Items.Count != Items - SeenPerVersion || response.Items.Any(i => seen.Contains(i.ItemId))) Interlocked.Increment(ref stale);
                }
            }
        })).ToArray();

        for (var k = 1; k < Retrains.Length; k++)
        {
            await Task.Delay(150);
            Retrains[k].Publish(server.Repository, SeenOf(k));
        }
        await server.WaitForVersionAsync(Retrains[^1].Version);
        await Task.Delay(150);
        await stop.CancelAsync();
        await Task.WhenAll(callers); // a failed call fails the test here

        Assert.Equal(0, stale);
        Assert.True(answered.Count(n => n > 0) >= 2, $"answers per version: {string.Join(", ", answered)}");
        Assert.True(answered[^1] > 0);
    }

    [Fact]
    public async Task A_version_whose_files_do_not_match_its_manifest_is_refused_and_the_old_one_keeps_serving()
    {
        await using var server = await ServerHarness.StartOnRepositoryAsync(Retrains[0], SeenOf(0));
        // A version that arrives complete but with a seen list not the one its manifest describes.
        var staging = Path.Combine(server.Folder, "tampered");
        Directory.CreateDirectory(staging);
        PublishFirstTwo(staging); // so that the tampered one is version 2 there too, its manifest's number
        await GmfModelFixture.WriteSeenAsync(Path.Combine(staging, "2"), SeenOf(0));
        Directory.Move(Path.Combine(staging, "2"), Path.Combine(server.Repository, "2"));

        await WaitUntilAsync(() => server.Logs.Lines.Any(l => l.Level == LogLevel.Error && l.Message.Contains("reload refused")));

        Assert.Equal("r0", (await server.Client.GetModelInfoAsync(new GetModelInfoRequest())).Version);
        var error = server.Logs.Lines.Single(l => l.Level == LogLevel.Error).Message;
        Assert.Contains(Path.Combine(server.Repository, "2", "seen.parquet"), error);
        Assert.Contains("the manifest says", error);
    }

    [Theory]
    [InlineData("model.onnx", "deleted", "was deleted")]
    [InlineData("manifest.json", "deleted", "was deleted")]
    [InlineData("seen.parquet", "deleted", "was deleted")]
    [InlineData("model.onnx", "a link to nothing", "is a link to /nonexistent/model.onnx, which leads to no file")]
    [InlineData("seen.parquet", "a folder", "is now a folder, not a file")]
    public async Task A_file_of_the_served_version_lost_is_a_warning_once_and_the_model_keeps_serving(string file, string madeInto, string said)
    {
        // As a deleted --model: it was a reload refused at error level, counted as failed, and for the manifest and seen list
        // said to be a missing manifest.
        await using var server = await ServerHarness.StartOnRepositoryAsync(Retrains[0], SeenOf(0));
        var served = Path.Combine(server.Repository, "1", file);

        File.Delete(served);
        if (madeInto == "a link to nothing") File.CreateSymbolicLink(served, "/nonexistent/model.onnx");
        if (madeInto == "a folder") Directory.CreateDirectory(served);
        await WaitUntilAsync(() => server.Logs.Lines.Any(l => l.Level == LogLevel.Warning));
        await Task.Delay(600); // three more polls of the harness's 200 ms

        var warning = Assert.Single(server.Logs.Lines, l => l.Level >= LogLevel.Warning);
        Assert.Equal((LogLevel.Warning, $"{served} {said}; model r0 keeps serving from memory, and a restart would load an older version, if any"),
            (warning.Level, warning.Message));
        Assert.Equal(0, PrometheusText.Value(await server.MetricsAsync(), "ranking_model_reloads_total{result=\"failed\"}"));
        Assert.Equal("r0", (await server.Client.GetModelInfoAsync(new GetModelInfoRequest())).Version);
        // A version published afterwards is served as any new one.
        Retrains[1].Publish(server.Repository, SeenOf(1));
        await server.WaitForVersionAsync(Retrains[1].Version);
    }

    [Theory]
    [InlineData("deleted")]
    [InlineData("renamed out of sight")]
    public async Task The_served_version_folder_lost_is_a_warning_once_not_a_swap_back_to_the_older_version(string how)
    {
        // It was a swap back to version 1, logged at info: a version folder moved aside (or deleted to free disk) rolled the
        // model back silently, where its model.onnx deleted alone keeps serving.
        await using var server = await ServerHarness.StartOnRepositoryAsync(Retrains[0], SeenOf(0));
        Retrains[1].Publish(server.Repository, SeenOf(1));
        await server.WaitForVersionAsync(Retrains[1].Version);
        var served = Path.Combine(server.Repository, "2");

        if (how == "deleted") Directory.Delete(served, recursive: true);
        else Directory.Move(served, Path.Combine(server.Repository, ".retiring-by-hand"));
        await WaitUntilAsync(() => server.Logs.Lines.Any(l => l.Level == LogLevel.Warning));
        await Task.Delay(600); // three more polls of the harness's 200 ms

        var warning = Assert.Single(server.Logs.Lines, l => l.Level >= LogLevel.Warning);
        Assert.Equal($"{served} was deleted or renamed; model r1 keeps serving from memory, and a restart would load version 1, the newest left (or an older one, if it fails its checks)",
            warning.Message);
        Assert.DoesNotContain(server.Logs.Lines, l => l.Message.StartsWith("Swapped model r1 for r0", StringComparison.Ordinal));
        Assert.Equal("r1", (await server.Client.GetModelInfoAsync(new GetModelInfoRequest())).Version);
        // The next version published (numbered 2 again) is served as any new one.
        Retrains[2].Publish(server.Repository, SeenOf(2));
        await server.WaitForVersionAsync(Retrains[2].Version);
    }

    [Fact]
    public async Task The_served_version_folder_lost_is_told_once_while_the_versions_left_are_renamed_about()
    {
        // A version folder renamed above the lost one (a reload of it refused) cleared what had been told: renamed back
        // below, the same loss was told a second time.
        await using var server = await ServerHarness.StartOnRepositoryAsync(Retrains[0], SeenOf(0));
        Retrains[1].Publish(server.Repository, SeenOf(1));
        await server.WaitForVersionAsync(Retrains[1].Version);
        var served = Path.Combine(server.Repository, "2");

        Directory.Delete(served, recursive: true);
        await WaitUntilAsync(() => server.Logs.Lines.Any(l => l.Message.StartsWith($"{served} was deleted", StringComparison.Ordinal)));
        Directory.Move(Path.Combine(server.Repository, "1"), Path.Combine(server.Repository, "5"));
        await Task.Delay(600); // three polls of the harness's 200 ms
        Directory.Move(Path.Combine(server.Repository, "5"), Path.Combine(server.Repository, "1"));
        await Task.Delay(600);

        Assert.Single(server.Logs.Lines, l => l.Message.StartsWith($"{served} was deleted", StringComparison.Ordinal));
        Assert.Equal("r1", (await server.Client.GetModelInfoAsync(new GetModelInfoRequest())).Version);
    }

    [Fact]
    public async Task A_reload_asked_for_after_the_served_version_folder_is_deleted_rolls_back_to_the_older_version()
    {
        // The documented way to roll back: the folder's loss alone keeps the model, an explicit reload loads what is there.
        await using var server = await ServerHarness.StartOnRepositoryAsync(Retrains[0], SeenOf(0), o => { o.WatchModel = false; o.ReloadMinInterval = TimeSpan.Zero; });
        Retrains[1].Publish(server.Repository, SeenOf(1));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await server.Http.PostAsync("/admin/reload", null)).StatusCode);
        Directory.Delete(Path.Combine(server.Repository, "2"), recursive: true);

        var response = await server.Http.PostAsync("/admin/reload", null);

        Assert.Equal("swapped: now serving r0\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_lost_file_is_told_once_while_other_files_of_the_version_change()
    {
        await using var server = await ServerHarness.StartOnRepositoryAsync(Retrains[0], SeenOf(0));
        var version = Path.Combine(server.Repository, "1");

        File.Delete(Path.Combine(version, "manifest.json"));
        await WaitUntilAsync(() => server.Logs.Lines.Any(l => l.Level == LogLevel.Warning));
        // The seen list rewritten meanwhile: a change to look at, and the same loss.
        File.SetLastWriteTimeUtc(Path.Combine(version, "seen.parquet"), DateTime.UtcNow.AddMinutes(1));
        await Task.Delay(600); // three more polls of the harness's 200 ms

        Assert.Single(server.Logs.Lines, l => l.Level >= LogLevel.Warning);
    }

    [Theory]
    [InlineData("seen.parquet,model.onnx", "manifest.json")]    // the manifest last, as a careful copy does
    [InlineData("manifest.json,seen.parquet", "model.onnx")]    // the model last: its checksum fails until it is there
    public async Task A_version_first_seen_incomplete_is_served_once_complete(string first, string last)
    {
        await using var server = await ServerHarness.StartOnRepositoryAsync(Retrains[0], SeenOf(0));
        var elsewhere = Path.Combine(server.Folder, "elsewhere");
        Retrains[0].Publish(elsewhere, SeenOf(0));
        Retrains[1].Publish(elsewhere, SeenOf(1));
        // Copied by hand, not published: the version folder is there before its last file.
        var version = Path.Combine(server.Repository, "2");
        Directory.CreateDirectory(version);
        foreach (var file in first.Split(',')) File.Copy(Path.Combine(elsewhere, "2", file), Path.Combine(version, file));
        await WaitUntilAsync(() => server.Logs.Lines.Any(l => l.Level == LogLevel.Error && l.Message.Contains("reload refused")));

        File.Copy(Path.Combine(elsewhere, "2", last), Path.Combine(version, last));

        await server.WaitForVersionAsync(Retrains[1].Version);
    }

    /// <summary>Versions 1 and 2 of <paramref name="repository"/>: retrains r0 and r1, each with its own seen list.</summary>
    private static void PublishFirstTwo(string repository)
    {
        Retrains[0].Publish(repository, SeenOf(0));
        Retrains[1].Publish(repository, SeenOf(1));
    }

    [Theory]
    [InlineData("model.onnx")]
    [InlineData("a manifest repeating a key")] // stopped the start with an ArgumentException naming no file
    [InlineData("a manifest over the cap")]     // read whole, however long: hundreds of MB on every replica
    public async Task At_start_a_broken_newest_version_is_skipped_for_the_newest_good_one(string broken)
    {
        var folder = Directory.CreateTempSubdirectory("serving-tests-").FullName;
        var repository = Path.Combine(folder, "repo");
        PublishFirstTwo(repository);
        Break(Path.Combine(repository, "2"), broken);
        try
        {
            await using var server = await ServerHarness.StartQuietAsync("--model-dir", repository, "--port", "0", "--metrics-port", "-1", "--no-watch");
            using var channel = Grpc.Net.Client.GrpcChannel.ForAddress($"http://127.0.0.1:{server.Port}");
            var info = await new Ranker.RankerClient(channel).GetModelInfoAsync(new GetModelInfoRequest());
            Assert.Equal("r0", info.Version);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("a manifest repeating a key", "cannot read the manifest")]
    [InlineData("a manifest over the cap", "over the 1,048,576-byte cap for a manifest; not read")]
    public async Task A_reload_onto_a_version_with_a_malformed_manifest_is_refused_with_422_naming_it(string broken, string said)
    {
        // A repeated key was a 500 (an unhandled ArgumentException with its stack trace); a manifest of any length was read whole.
        await using var server = await ServerHarness.StartOnRepositoryAsync(Retrains[0], SeenOf(0), o => o.WatchModel = false);
        Retrains[1].Publish(server.Repository, SeenOf(1));
        Break(Path.Combine(server.Repository, "2"), broken);

        var response = await server.Http.PostAsync("/admin/reload", null);

        Assert.Equal((System.Net.HttpStatusCode)422, response.StatusCode);
        var manifest = Path.Combine(server.Repository, "2", BundleManifest.FileName);
        Assert.StartsWith($"refused: still serving r0: {manifest}: ", await response.Content.ReadAsStringAsync());
        Assert.Contains(said, await response.Content.ReadAsStringAsync());
        Assert.Equal("r0", (await server.Client.GetModelInfoAsync(new GetModelInfoRequest())).Version);
    }

    /// <summary>Spoils one thing in a published version's folder: its model's bytes, or its manifest (still valid JSON otherwise).</summary>
    private static void Break(string version, string what)
    {
        var manifest = Path.Combine(version, BundleManifest.FileName);
        var text = File.ReadAllText(manifest).TrimEnd()[..^1];
        switch (what)
        {
            case "model.onnx":
                File.WriteAllBytes(Path.Combine(version, "model.onnx"), [1, 2, 3]);
                break;
            case "a manifest repeating a key":
                File.WriteAllText(manifest, text + ", \"files\": {}}");
                break;
            case "a manifest over the cap":
                File.WriteAllText(manifest, text + $", \"pad\": \"{new string('a', 1 << 20)}\"}}");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(what), what, null);
        }
    }

    [Fact]
    public async Task A_version_folder_copied_under_another_number_is_refused_for_the_version_it_is_not()
    {
        var folder = Directory.CreateTempSubdirectory("serving-tests-").FullName;
        var repository = Path.Combine(folder, "repo");
        PublishFirstTwo(repository);
        var copy = Directory.CreateDirectory(Path.Combine(repository, "8")).FullName;
        foreach (var file in Directory.GetFiles(Path.Combine(repository, "2"))) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        try
        {
            var error = await Assert.ThrowsAsync<ModelLoadException>(() =>
                ModelLoader.LoadAsync(ModelLocation.ForVersion(repository, 8), new RankingOptions(), new ModelLoadTests.NoBatches()));
            Assert.Contains("the manifest is version 2's, in the folder of version 8", error.Message);
            // The folder it was copied from loads as before.
            var original = await ModelLoader.LoadAsync(ModelLocation.ForVersion(repository, 2), new RankingOptions(), new ModelLoadTests.NoBatches());
            Assert.Equal(2, original.BundleVersion);
            original.Release();
            await original.Released;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task An_empty_repository_is_a_clear_load_error()
    {
        var repository = Directory.CreateTempSubdirectory("serving-tests-").FullName;
        try
        {
            var error = await Assert.ThrowsAsync<ModelLoadException>(() =>
                ServerHarness.StartQuietAsync("--model-dir", repository, "--port", "0", "--metrics-port", "-1"));
            Assert.Contains("no model versions", error.Message);
        }
        finally
        {
            Directory.Delete(repository);
        }
    }

    [Fact]
    public async Task Keep_versions_prunes_old_versions_after_a_swap_but_not_the_new_one()
    {
        await using var server = await ServerHarness.StartOnRepositoryAsync(Retrains[0], SeenOf(0), o => o.KeepVersions = 2);
        Retrains[1].Publish(server.Repository, SeenOf(1));
        Retrains[2].Publish(server.Repository, SeenOf(2));

        await server.WaitForVersionAsync("r2");
        await WaitUntilAsync(() => ModelRepository.Versions(server.Repository).Count == 2);

        Assert.Equal([2, 3], ModelRepository.Versions(server.Repository));
    }

    [Fact]
    public async Task A_version_that_cannot_be_pruned_is_one_warning_naming_it_not_silence_nor_one_per_swap()
    {
        await using var server = await ServerHarness.StartOnRepositoryAsync(Retrains[0], SeenOf(0), o => o.KeepVersions = 1);
        var stuck = ModelRepository.VersionDirectory(server.Repository, 1);
        // The tests run as root, whom no permission stops; the immutable attribute refuses even root the rename, as a read-only volume does.
        Chattr("+i", stuck);
        try
        {
            Retrains[1].Publish(server.Repository, SeenOf(1));
            await server.WaitForVersionAsync("r1");
            Retrains[2].Publish(server.Repository, SeenOf(2));
            await server.WaitForVersionAsync("r2");
            await WaitUntilAsync(() => ModelRepository.Versions(server.Repository).Count == 2); // the second swap pruned version 2

            Assert.Equal([1, 3], ModelRepository.Versions(server.Repository));
            var warning = Assert.Single(server.Logs.Lines, l => l.Level == LogLevel.Warning).Message;
            Assert.StartsWith($"Cannot prune model versions 1 from {server.Repository} for --keep-versions 1: ", warning);
        }
        finally
        {
            Chattr("-i", stuck);
        }
    }

    [Fact]
    public async Task A_prune_that_fails_again_after_one_that_succeeded_is_warned_again()
    {
        await using var server = await ServerHarness.StartOnRepositoryAsync(Retrains[0], SeenOf(0), o => o.KeepVersions = 1);
        var first = ModelRepository.VersionDirectory(server.Repository, 1);
        Chattr("+i", first);
        try
        {
            Retrains[1].Publish(server.Repository, SeenOf(1));
            await server.WaitForVersionAsync("r1");
            // The cause goes (version 1 pruned with the next swap), then comes back for version 3: a new failure, told again.
            Chattr("-i", first);
            Retrains[2].Publish(server.Repository, SeenOf(2));
            await server.WaitForVersionAsync("r2");
            await WaitUntilAsync(() => ModelRepository.Versions(server.Repository).SequenceEqual([3]));
            Chattr("+i", ModelRepository.VersionDirectory(server.Repository, 3));
            Retrains[3].Publish(server.Repository, SeenOf(3));
            await server.WaitForVersionAsync("r3");
            await WaitUntilAsync(() => server.Logs.Lines.Count(l => l.Level == LogLevel.Warning) == 2);

            Assert.Equal(["Cannot prune model versions 1 from", "Cannot prune model versions 3 from"],
                server.Logs.Lines.Where(l => l.Level == LogLevel.Warning).Select(l => l.Message[..34]));
        }
        finally
        {
            foreach (var version in new[] { first, ModelRepository.VersionDirectory(server.Repository, 3) })
                if (Directory.Exists(version)) Chattr("-i", version);
        }
    }

    private static void Chattr(string change, string path)
    {
        using var chattr = System.Diagnostics.Process.Start("chattr", [change, path])!;
        chattr.WaitForExit();
        Assert.True(chattr.ExitCode == 0, $"chattr {change} {path} failed: the test needs a file system with the immutable attribute (ext4, xfs, btrfs) and root");
    }

    [Fact]
    public async Task A_swap_to_a_model_with_another_catalogue_is_a_warning_with_both_sizes()
    {
        await using var server = await ServerHarness.StartOnRepositoryAsync(Retrains[0], SeenOf(0));
        GmfModelFixture.Random(users: 4, items: 42, dim: 6, seed: 9, version: "bigger").Publish(server.Repository, SeenOf(0));

        await server.WaitForVersionAsync("bigger");

        var warning = server.Logs.Lines.Single(l => l.Level == LogLevel.Warning).Message;
        Assert.Contains("42 items", warning);
        Assert.Contains($"had {Items}", warning);
    }

    [Fact]
    public async Task A_swap_to_the_same_catalogue_size_warns_nothing()
    {
        await using var server = await ServerHarness.StartOnRepositoryAsync(Retrains[0], SeenOf(0));
        Retrains[1].Publish(server.Repository, SeenOf(1));

        await server.WaitForVersionAsync("r1");

        Assert.DoesNotContain(server.Logs.Lines, l => l.Level >= LogLevel.Warning);
    }

    /// <summary>The version whose model produced these scores, or −1 when none did.</summary>
    private static int VersionThatScored(RankResponse response)
    {
        for (var k = 0; k < Retrains.Length; k++)
            if (response.Items.All(i => Math.Abs(Retrains[k].Expected(User, i.ItemId) - i.Score) < 1e-5)) return k;
        return -1;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var attempt = 0; attempt < 100 && !condition(); attempt++) await Task.Delay(50);
        Assert.True(condition(), "the expected event never happened");
    }
}
