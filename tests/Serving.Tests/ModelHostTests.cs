using InverseLearning.Serving.Models;
using InverseLearning.Serving.Operations;
using InverseLearning.Serving.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace InverseLearning.Serving.Tests;

/// <summary>The model host on its own: what a swap does to the model it replaces.</summary>
public sealed class ModelHostTests : IAsyncLifetime
{
    private static readonly GmfModelFixture First = GmfModelFixture.Random(users: 6, items: 12, dim: 4, seed: 31, version: "h1");
    private static readonly GmfModelFixture Second = GmfModelFixture.Random(users: 6, items: 12, dim: 4, seed: 32, version: "h2");
    private readonly string _folder = Directory.CreateTempSubdirectory("model-host-tests-").FullName;
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private ModelHost Host() => new(Options.Create(new RankingOptions { ModelPath = First.WriteModel(_folder) }),
        new ServingMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), new CallGauge()), NullLogger<ModelHost>.Instance);

    [Fact]
    public async Task Every_load_that_ends_loaded_or_refused_and_every_call_is_a_burst_for_the_memory_trimmer()
    {
        await using var host = Host();
        var calls = new CallGauge();
        var bursts = IdleMemoryTrimmer.Bursts(calls, host);
        await host.LoadInitialAsync(CancellationToken.None);
        Assert.Equal(1, bursts());

        Second.WriteModel(_folder);
        Assert.True((await host.ReloadAsync(CancellationToken.None)).Swapped);
        Assert.Equal(2, bursts());

        await File.WriteAllTextAsync(Path.Combine(_folder, "model.onnx"), "not a model");
        Assert.False((await host.ReloadAsync(CancellationToken.None)).Swapped);
        Assert.Equal(3, bursts());

        Assert.True(calls.TryEnter(limit: 1));
        Assert.Equal(4, bursts());
    }

    [Fact]
    public async Task A_swap_frees_the_old_model_once_its_last_request_is_done()
    {
        await using var host = Host();
        await host.LoadInitialAsync(CancellationToken.None);
        var old = host.Current;
        var lease = host.Acquire();
        Second.WriteModel(_folder);

        var outcome = await host.ReloadAsync(CancellationToken.None);

        Assert.Equal((true, "h2"), (outcome.Swapped, outcome.Version));
        Assert.False(old.Released.IsCompleted); // a request still holds it
        lease.Dispose();
        await old.Released.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(old.TryAcquire());
    }

    private ModelHost RepositoryHost(string repository, CapturedLogs logs) => new(Options.Create(new RankingOptions { ModelDirectory = repository }),
        new ServingMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), new CallGauge()),
        new Microsoft.Extensions.Logging.Logger<ModelHost>(new Microsoft.Extensions.Logging.LoggerFactory([logs])));

    [Fact]
    public async Task A_repository_of_folders_named_like_versions_that_are_none_names_them_and_why()
    {
        var repository = Directory.CreateDirectory(Path.Combine(_folder, "repository")).FullName;
        Directory.CreateDirectory(Path.Combine(repository, "0"));
        Directory.CreateDirectory(Path.Combine(repository, "007"));
        await using var host = RepositoryHost(repository, new CapturedLogs());

        var error = await Assert.ThrowsAsync<Models.Loading.ModelLoadException>(() => host.LoadInitialAsync(CancellationToken.None));

        Assert.Contains("no model versions yet", error.Message);
        Assert.Contains("0/ is none: versions are numbered from 1", error.Message);
        Assert.Contains("007/ is none: a version number has no leading zeros (version 7 is the folder 7/)", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]   // as a shell's completion writes a folder
    public async Task A_version_folder_given_as_the_repository_is_told_to_give_its_parent(string trailing)
    {
        // `--model-dir repo/208` said only "no model versions yet", as of an empty repository.
        var version = Directory.CreateDirectory(Path.Combine(_folder, "repository", "208")).FullName;
        File.WriteAllBytes(Path.Combine(version, "model.onnx"), [1, 2, 3]);
        await using var host = RepositoryHost(version + trailing, new CapturedLogs());

        var error = await Assert.ThrowsAsync<Models.Loading.ModelLoadException>(() => host.LoadInitialAsync(CancellationToken.None));

        Assert.EndsWith($"; {version} is itself a version of a repository: give --model-dir {Path.Combine(_folder, "repository")}, or --model {Path.Combine(version, "model.onnx")}",
            error.Message);
    }

    [Fact]
    public async Task A_numbered_folder_without_a_model_is_told_as_an_empty_repository_not_as_a_version()
    {
        var repository = Directory.CreateDirectory(Path.Combine(_folder, "2026")).FullName;
        await using var host = RepositoryHost(repository, new CapturedLogs());

        var error = await Assert.ThrowsAsync<Models.Loading.ModelLoadException>(() => host.LoadInitialAsync(CancellationToken.None));

        Assert.Contains("no model versions yet", error.Message);
        Assert.DoesNotContain("is itself a version", error.Message);
    }

    [Fact]
    public async Task Each_folder_named_like_a_version_that_is_none_is_warned_of_once()
    {
        var repository = Path.Combine(_folder, "repository");
        First.Publish(repository, []);
        string[] odd = ["-5", "007", "2147483648", "9223372036854775808"];
        foreach (var name in odd) Directory.CreateDirectory(Path.Combine(repository, name));
        var logs = new CapturedLogs();
        await using var host = RepositoryHost(repository, logs);

        await host.LoadInitialAsync(CancellationToken.None);
        await host.ReloadIfChangedAsync(CancellationToken.None);

        var warnings = logs.Lines.Where(line => line.Level == Microsoft.Extensions.Logging.LogLevel.Warning).Select(line => line.Message).ToList();
        Assert.Equal(odd.Length, warnings.Count);
        Assert.All(odd, name => Assert.Single(warnings, warning => warning.StartsWith($"{name}/ in {repository} is not a model version (", StringComparison.Ordinal)));
        Assert.Contains(warnings, warning => warning.Contains("-5/") && warning.Contains("a version number has no sign"));
        Assert.Contains(warnings, warning => warning.Contains("2147483648/") && warning.Contains("past 2147483647, the largest version number"));
    }

    [Fact]
    public async Task A_version_number_that_is_a_link_to_nothing_or_to_a_file_is_warned_of_once()
    {
        // Passed over in silence, where a folder named 007 was warned of: a link whose mount is gone is the one most worth telling.
        var repository = Path.Combine(_folder, "repository");
        First.Publish(repository, []);
        var nothing = Path.Combine(_folder, "unmounted", "12");
        var file = Path.Combine(repository, "1", "model.onnx");
        File.CreateSymbolicLink(Path.Combine(repository, "12"), nothing);
        File.CreateSymbolicLink(Path.Combine(repository, "13"), file);
        var logs = new CapturedLogs();
        await using var host = RepositoryHost(repository, logs);

        await host.LoadInitialAsync(CancellationToken.None);
        await host.ReloadIfChangedAsync(CancellationToken.None);
        await host.ReloadIfChangedAsync(CancellationToken.None);

        Assert.Equal([
            $"12 in {repository} is not a model version (a link to {nothing}, which does not exist); it is not loaded",
            $"13 in {repository} is not a model version (a link to {file}, a file, not a version's folder); it is not loaded",
        ], logs.Lines.Where(line => line.Level >= Microsoft.Extensions.Logging.LogLevel.Warning).Select(line => line.Message));
        Assert.Equal("h1", host.Current.Version);
    }

    [Fact]
    public async Task A_repository_whose_only_version_is_broken_fails_its_start_in_one_line_not_a_logged_skip_too()
    {
        var repository = Path.Combine(_folder, "repository");
        First.Publish(repository, []);
        File.WriteAllBytes(Path.Combine(repository, "1", "model.onnx"), [1, 2, 3]);
        var logs = new CapturedLogs();
        await using var host = RepositoryHost(repository, logs);

        var error = await Assert.ThrowsAnyAsync<Models.Loading.ModelLoadException>(() => host.LoadInitialAsync(CancellationToken.None));

        Assert.Contains(Path.Combine(repository, "1", "model.onnx"), error.Message);
        Assert.DoesNotContain(logs.Lines, line => line.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
    }

    [Fact]
    public async Task A_repository_of_broken_versions_alone_names_each_in_the_one_error_and_a_broken_newer_one_is_still_logged_when_an_older_one_serves()
    {
        var repository = Path.Combine(_folder, "repository");
        First.Publish(repository, []);
        Second.Publish(repository, []);
        File.WriteAllBytes(Path.Combine(repository, "2", "model.onnx"), [1, 2, 3]);
        var logs = new CapturedLogs();
        await using (var host = RepositoryHost(repository, logs))
        {
            await host.LoadInitialAsync(CancellationToken.None);

            Assert.Equal("h1", host.Current.Version);
            var skipped = Assert.Single(logs.Lines, line => line.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
            Assert.StartsWith("Skipping version 2: ", skipped.Message);
        }

        File.WriteAllBytes(Path.Combine(repository, "1", "model.onnx"), [4, 5, 6]);
        var alone = new CapturedLogs();
        await using var broken = RepositoryHost(repository, alone);

        var error = await Assert.ThrowsAsync<Models.Loading.ModelLoadException>(() => broken.LoadInitialAsync(CancellationToken.None));

        Assert.StartsWith($"{repository}: no version loads; version 2: ", error.Message);
        Assert.Contains("; version 1: ", error.Message);
        Assert.DoesNotContain(alone.Lines, line => line.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
    }

    [Fact]
    public async Task A_version_still_being_copied_in_is_no_failed_reload_until_it_stops_changing_short_and_is_then_refused_once()
    {
        var repository = Path.Combine(_folder, "repository");
        First.Publish(repository, []);
        using var reloads = new FailedReloads(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        var logs = new CapturedLogs();
        await using var host = RepositoryHost(repository, logs);
        await host.LoadInitialAsync(CancellationToken.None);
        Second.Publish(repository, []);
        var model = Path.Combine(repository, "2", "model.onnx");
        var whole = File.ReadAllBytes(model);

        // cp -r or rsync writing model.onnx in place after the manifest: each look finds it longer, and short of the manifest's length.
        File.WriteAllBytes(model, whole[..(whole.Length / 3)]);
        Assert.Null(await host.ReloadIfChangedAsync(CancellationToken.None));
        File.WriteAllBytes(model, whole[..(2 * whole.Length / 3)]);
        Assert.Null(await host.ReloadIfChangedAsync(CancellationToken.None));

        Assert.Equal(0, reloads.Count);
        Assert.DoesNotContain(logs.Lines, line => line.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
        var waiting = Assert.Single(logs.Lines, line => line.Message.Contains("not complete yet"));
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Information, waiting.Level);
        Assert.Equal("h1", host.Current.Version);

        // The copy stopped short: found as it was at the look before, it is refused, once.
        var stuck = await host.ReloadIfChangedAsync(CancellationToken.None);
        Assert.Null(await host.ReloadIfChangedAsync(CancellationToken.None));

        Assert.NotNull(stuck);
        Assert.False(stuck.Swapped);
        Assert.Contains("but the manifest says", stuck.Error);
        Assert.Equal(1, reloads.Count);
        Assert.Single(logs.Lines, line => line.Level == Microsoft.Extensions.Logging.LogLevel.Error && line.Message.StartsWith("Model reload refused", StringComparison.Ordinal));

        // Finished at last, it is swapped in.
        File.WriteAllBytes(model, whole);
        var done = await host.ReloadIfChangedAsync(CancellationToken.None);
        Assert.True(done?.Swapped);
        Assert.Equal("h2", host.Current.Version);
    }

    /// <summary>A host on <paramref name="repository"/> of versions 1 (h1) and 2 (h2), serving version 2.</summary>
    private async Task<ModelHost> ServingSecondOfTwoAsync(string repository, CapturedLogs logs)
    {
        First.Publish(repository, []);
        Second.Publish(repository, []);
        var host = RepositoryHost(repository, logs);
        await host.LoadInitialAsync(CancellationToken.None);
        return host;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)] // emptied and published into again between two looks
    public async Task A_repository_emptied_and_published_into_again_serves_the_new_versions_whatever_their_numbers(bool emptyLookedAt)
    {
        // The first version published after the emptying is numbered 1, below the lost one: it was taken for an older version
        // left, and the lost one served until a version above it appeared.
        var (repository, logs) = (Path.Combine(_folder, "repository"), new CapturedLogs());
        await using var host = await ServingSecondOfTwoAsync(repository, logs);
        Assert.Equal("h2", host.Current.Version);

        foreach (var version in Directory.EnumerateDirectories(repository)) Directory.Delete(version, recursive: true);
        if (emptyLookedAt) Assert.Null(await host.ReloadIfChangedAsync(CancellationToken.None));
        First.Publish(repository, []);
        var outcome = await host.ReloadIfChangedAsync(CancellationToken.None);

        Assert.True(outcome?.Swapped);
        Assert.Equal("h1", host.Current.Version);
        Second.Publish(repository, []);
        Assert.True((await host.ReloadIfChangedAsync(CancellationToken.None))?.Swapped);
        Assert.Equal("h2", host.Current.Version);
        Assert.DoesNotContain(logs.Lines, line => line.Message.Contains("was deleted or renamed"));
    }

    [Fact]
    public async Task The_served_version_folder_lost_names_the_version_a_restart_would_load()
    {
        var (repository, logs) = (Path.Combine(_folder, "repository"), new CapturedLogs());
        await using var host = await ServingSecondOfTwoAsync(repository, logs);

        Directory.Delete(Path.Combine(repository, "2"), recursive: true);
        Assert.Null(await host.ReloadIfChangedAsync(CancellationToken.None));

        Assert.Equal("h2", host.Current.Version);
        var warning = Assert.Single(logs.Lines, line => line.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
        Assert.Equal($"{Path.Combine(repository, "2")} was deleted or renamed; model h2 keeps serving from memory, and a restart would load " +
            "version 1, the newest left (or an older one, if it fails its checks)", warning.Message);
    }

    [Fact]
    public async Task A_version_refused_before_the_served_folder_was_lost_is_no_new_one_to_swap_in()
    {
        // Versions 3 and 4, both refused while 2 served, were there before 2's folder went. With 2 and 4 gone, 3 is the newest
        // left: the loss is told, and a restart would pass over 3, refused, to load 1; 3 is no version published since to load now.
        var (repository, logs) = (Path.Combine(_folder, "repository"), new CapturedLogs());
        await using var host = await ServingSecondOfTwoAsync(repository, logs);
        foreach (var refused in new[] { 3, 4 })
        {
            Assert.Equal(refused, First.Publish(repository, []));
            var model = Path.Combine(repository, refused.ToString(System.Globalization.CultureInfo.InvariantCulture), "model.onnx");
            File.WriteAllBytes(model, [.. File.ReadAllBytes(model), 0]);
            Assert.False((await host.ReloadIfChangedAsync(CancellationToken.None))?.Swapped);
        }

        foreach (var version in new[] { "2", "4" }) Directory.Delete(Path.Combine(repository, version), recursive: true);
        Assert.Null(await host.ReloadIfChangedAsync(CancellationToken.None));

        Assert.Equal("h2", host.Current.Version);
        Assert.Contains(logs.Lines, line => line.Message == $"{Path.Combine(repository, "2")} was deleted or renamed; model h2 keeps serving from memory, " +
            "and a restart would load version 1, the newest left not refused (or an older one, if it fails its checks)");
    }

    [Fact]
    public async Task The_served_folder_deleted_below_a_refused_newest_version_is_told_though_the_newest_is_unchanged()
    {
        // The repository's stamp is its newest version's: 3, refused while 2 served, stays the newest and unchanged as 2 is deleted.
        var (repository, logs) = (Path.Combine(_folder, "repository"), new CapturedLogs());
        await using var host = await ServingSecondOfTwoAsync(repository, logs);
        Assert.Equal(3, First.Publish(repository, []));
        var model = Path.Combine(repository, "3", "model.onnx");
        File.WriteAllBytes(model, [.. File.ReadAllBytes(model), 0]);
        Assert.False((await host.ReloadIfChangedAsync(CancellationToken.None))?.Swapped);

        Directory.Delete(Path.Combine(repository, "2"), recursive: true);
        Assert.Null(await host.ReloadIfChangedAsync(CancellationToken.None));
        Assert.Null(await host.ReloadIfChangedAsync(CancellationToken.None));

        Assert.Equal("h2", host.Current.Version);
        Assert.Single(logs.Lines, line => line.Message == $"{Path.Combine(repository, "2")} was deleted or renamed; model h2 keeps serving from memory, " +
            "and a restart would load version 1, the newest left not refused (or an older one, if it fails its checks)");
    }

    [Fact]
    public async Task The_served_folder_deleted_as_a_refused_version_is_published_is_told_with_the_restart_that_fails()
    {
        // `export --repository --keep-versions 1` publishes 3 and deletes 2 in one step: 3, refused, was taken for a version published
        // since, to load instead, and the loss went untold while a restart would fail on 3 alone.
        var (repository, logs) = (Path.Combine(_folder, "repository"), new CapturedLogs());
        await using var host = await ServingSecondOfTwoAsync(repository, logs);
        Directory.Delete(Path.Combine(repository, "1"), recursive: true);
        Assert.Equal(3, First.Publish(repository, []));
        var model = Path.Combine(repository, "3", "model.onnx");
        File.WriteAllBytes(model, [.. File.ReadAllBytes(model), 0]);
        Directory.Delete(Path.Combine(repository, "2"), recursive: true);

        var loss = $"{Path.Combine(repository, "2")} was deleted or renamed; model h2 keeps serving from memory, and a restart would load none: " +
            "every version left was refused (3)";
        Assert.False((await host.ReloadIfChangedAsync(CancellationToken.None))?.Swapped);
        // Told by the look that refused 3, not by the next.
        Assert.Single(logs.Lines, line => line.Message == loss);
        Assert.Null(await host.ReloadIfChangedAsync(CancellationToken.None));

        Assert.Equal("h2", host.Current.Version);
        Assert.Single(logs.Lines, line => line.Message == loss);
    }

    [Fact]
    public async Task A_version_refused_as_the_server_started_is_no_version_a_restart_would_load()
    {
        // Version 2 failed its checks at the start, and 1 was served; with 1's folder gone, a restart would refuse 2 again.
        var (repository, logs) = (Path.Combine(_folder, "repository"), new CapturedLogs());
        First.Publish(repository, []);
        Second.Publish(repository, []);
        var model = Path.Combine(repository, "2", "model.onnx");
        File.WriteAllBytes(model, [.. File.ReadAllBytes(model), 0]);
        await using var host = RepositoryHost(repository, logs);
        await host.LoadInitialAsync(CancellationToken.None);
        Assert.Equal("h1", host.Current.Version);

        Directory.Delete(Path.Combine(repository, "1"), recursive: true);
        Assert.Null(await host.ReloadIfChangedAsync(CancellationToken.None));

        Assert.Single(logs.Lines, line => line.Message == $"{Path.Combine(repository, "1")} was deleted or renamed; model h1 keeps serving from memory, " +
            "and a restart would load none: every version left was refused (2)");
    }

    private ModelHost ModelFileHost(string model, CapturedLogs logs) => new(Options.Create(new RankingOptions { ModelPath = model }),
        new ServingMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), new CallGauge()),
        new Microsoft.Extensions.Logging.Logger<ModelHost>(new Microsoft.Extensions.Logging.LoggerFactory([logs])));

    [Fact]
    public async Task A_models_seen_list_replaced_after_its_reload_was_refused_is_tried_again()
    {
        // The --model was known by its model file's stamp alone: the seen list the refusal asked for, put in place, was never loaded.
        var model = First.WriteModel(_folder, exportStamp: "export-a");
        await GmfModelFixture.WriteSeenAsync(_folder, [(First.UserIds[0], First.ItemIds[0])], exportStamp: "export-a");
        await using var host = ModelFileHost(model, new CapturedLogs());
        await host.LoadInitialAsync(CancellationToken.None);

        Second.WriteModel(_folder, exportStamp: "export-b");
        var refused = await host.ReloadIfChangedAsync(CancellationToken.None);
        await GmfModelFixture.WriteSeenAsync(_folder, [(Second.UserIds[0], Second.ItemIds[0])], exportStamp: "export-b");
        var retried = await host.ReloadIfChangedAsync(CancellationToken.None);

        Assert.Contains("the seen-items log was exported with another model", refused?.Error);
        Assert.True(retried?.Swapped);
        Assert.Equal("h2", host.Current.Version);
    }

    /// <summary>A host serving the --model <paramref name="model"/> (h1) with a seen list of one pair beside it.</summary>
    private async Task<ModelHost> ServingWithSeenListAsync(string model, CapturedLogs logs)
    {
        await GmfModelFixture.WriteSeenAsync(_folder, [(First.UserIds[0], First.ItemIds[0])]);
        var host = ModelFileHost(model, logs);
        await host.LoadInitialAsync(CancellationToken.None);
        return host;
    }

    [Fact]
    public async Task A_models_seen_list_deleted_is_a_warning_once_and_the_model_keeps_serving_with_it()
    {
        var logs = new CapturedLogs();
        var (model, seen) = (First.WriteModel(_folder), Path.Combine(_folder, "seen.parquet"));
        await using var host = await ServingWithSeenListAsync(model, logs);

        File.Delete(seen);
        Assert.Null(await host.ReloadIfChangedAsync(CancellationToken.None));
        Assert.Null(await host.ReloadIfChangedAsync(CancellationToken.None));

        Assert.NotNull(host.Current.Seen);
        var warning = Assert.Single(logs.Lines, line => line.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
        Assert.Equal($"{seen} was deleted; model h1 keeps serving from memory, and a restart would load {model} without a seen list", warning.Message);
    }

    [Fact]
    public async Task A_models_seen_list_made_a_folder_is_a_warning_that_a_restart_would_load_none()
    {
        // A seen list that is a folder is refused, not passed over as one deleted is: the model without it would not load either.
        var logs = new CapturedLogs();
        var seen = Path.Combine(_folder, "seen.parquet");
        await using var host = await ServingWithSeenListAsync(First.WriteModel(_folder), logs);

        File.Delete(seen);
        Directory.CreateDirectory(seen);
        Assert.Null(await host.ReloadIfChangedAsync(CancellationToken.None));

        var warning = Assert.Single(logs.Lines, line => line.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
        Assert.Equal($"{seen} is now a folder, not a file; model h1 keeps serving from memory, and a restart would load none", warning.Message);
    }

    [Theory]
    [InlineData("model.onnx,seen.parquet,manifest.json")] // the manifest last, as a careful copy does
    [InlineData("manifest.json,model.onnx,seen.parquet")]
    [InlineData("manifest.json,seen.parquet,model.onnx")]
    public async Task A_version_folder_filled_a_file_at_a_time_is_waited_for_not_refused(string order)
    {
        // Each file not there yet was a reload refused, logged as an error and counted failed, until the last came.
        var repository = Path.Combine(_folder, "repository");
        var elsewhere = Path.Combine(_folder, "elsewhere");
        First.Publish(repository, []);
        First.Publish(elsewhere, []);
        Second.Publish(elsewhere, [(Second.UserIds[0], Second.ItemIds[0])]);
        using var reloads = new FailedReloads(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        var logs = new CapturedLogs();
        await using var host = RepositoryHost(repository, logs);
        await host.LoadInitialAsync(CancellationToken.None);
        var version = Directory.CreateDirectory(Path.Combine(repository, "2")).FullName;

        var outcomes = new List<ReloadOutcome?> { await host.ReloadIfChangedAsync(CancellationToken.None) };
        foreach (var file in order.Split(','))
        {
            File.Copy(Path.Combine(elsewhere, "2", file), Path.Combine(version, file));
            outcomes.Add(await host.ReloadIfChangedAsync(CancellationToken.None));
        }

        Assert.All(outcomes[..^1], Assert.Null);
        Assert.True(outcomes[^1]?.Swapped);
        Assert.Equal("h2", host.Current.Version);
        Assert.Equal(0, reloads.Count);
        Assert.DoesNotContain(logs.Lines, line => line.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
        Assert.Single(logs.Lines, line => line.Message.StartsWith($"Version 2 of {repository} is not complete yet (", StringComparison.Ordinal));
    }

    /// <summary>The failed reloads counted by the meters of one factory (the test's own).</summary>
    private sealed class FailedReloads : IDisposable
    {
        private readonly System.Diagnostics.Metrics.MeterListener _listener = new();
        private long _count;

        public FailedReloads(System.Diagnostics.Metrics.IMeterFactory factory)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == "ranking.model.reloads" && ReferenceEquals(instrument.Meter.Scope, factory)) listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                    if (tag.Key == "result" && (string?)tag.Value == "failed") Interlocked.Add(ref _count, value);
            });
            _listener.Start();
        }

        public long Count => Interlocked.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // xunit 2 calls IAsyncLifetime, not IAsyncDisposable: the folder leaked with the latter.
    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
