using InverseLearning.Data.Simulation;

namespace InverseLearning.Data.Tests.Simulation;

/// <summary>datagen's output is one set: an interrupted overwrite never leaves a new truth beside an old log.</summary>
public class SimulationFilesTests
{
    private static Dictionary<string, byte[]> Snapshot(string dir) =>
        Directory.GetFiles(dir).ToDictionary(path => Path.GetFileName(path), File.ReadAllBytes);

    /// <summary>The folder holds the snapshot's files byte for byte, and nothing (no staging folder) was left beside it.</summary>
    private static void AssertUnchanged(Dictionary<string, byte[]> before, TempFolder folder, string dir)
    {
        var after = Snapshot(dir);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (name, bytes) in before) Assert.Equal(bytes, after[name]);
        Assert.Equal([Path.GetFileName(dir)], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void An_overwrite_interrupted_after_the_new_truth_leaves_the_old_set_whole()
    {
        using var folder = new TempFolder();
        var dir = folder.File("feed");
        SimulationFiles.Write(SimulatedLogs.TinyWatch, dir);
        var before = Snapshot(dir);
        var other = FeedSimulator.Run(SimulatorPresets.Get("tiny"), seed: 99);

        foreach (var failAfter in new[] { GroundTruth.ImpressionsFileName, SimulationFiles.InteractionsFileName })
        {
            Assert.Throws<IOException>(() => SimulationFiles.Write(other, dir,
                file => { if (file == failAfter) throw new IOException("killed"); }));
            AssertUnchanged(before, folder, dir);
        }
    }

    [Fact]
    public void A_full_disk_is_told_as_the_folders_failure_without_the_hidden_staging_path()
    {
        using var folder = new TempFolder();
        var dir = folder.File("feed");
        SimulationFiles.Write(SimulatedLogs.TinyWatch, dir);
        var before = Snapshot(dir);

        // .NET's words for ENOSPC, which end with the file being written: here a hidden file of the staging folder.
        var error = Assert.Throws<IOException>(() => SimulationFiles.Write(SimulatedLogs.TinyWatch, dir,
            file => throw new IOException($"No space left on device : '{Path.Combine(Path.GetDirectoryName(dir)!, ".feed.1.staging", ".truth.parquet.tmp")}'")));

        Assert.Equal($"{dir}: the simulation could not be written (No space left on device); {dir} is left as it was", error.Message);
        AssertUnchanged(before, folder, dir);
    }

    [Fact]
    public void A_write_cancelled_once_its_set_is_written_leaves_the_old_set_whole()
    {
        using var folder = new TempFolder();
        var dir = folder.File("feed");
        SimulationFiles.Write(SimulatedLogs.TinyWatch, dir);
        var before = Snapshot(dir);
        using var cancel = new CancellationTokenSource();

        Assert.ThrowsAny<OperationCanceledException>(() => SimulationFiles.Write(FeedSimulator.Run(SimulatorPresets.Get("tiny"), seed: 99), dir,
            file => { if (file == SimulationFiles.InteractionsFileName) cancel.Cancel(); }, cancel.Token));

        AssertUnchanged(before, folder, dir);
    }

    [Fact]
    public void A_completed_overwrite_replaces_every_file()
    {
        using var folder = new TempFolder();
        var dir = folder.File("feed");
        SimulationFiles.Write(SimulatedLogs.TinyWatch, dir);
        var other = FeedSimulator.Run(SimulatorPresets.Get("tiny"), seed: 99);
        SimulationFiles.Write(other, dir);
        Assert.Equal(other.Truth.ImpressionLabels, GroundTruth.Load(dir).ImpressionLabels);
        Assert.Equal(other.Log.ItemId, InteractionLogParquet.Read(Path.Combine(dir, SimulationFiles.InteractionsFileName)).ItemId);
        Assert.Equal(["feed"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_folder_a_partitioned_datagen_wrote_is_one_datagen_wrote()
    {
        using var folder = new TempFolder();
        var dir = folder.File("feed");
        PartitionedSimulationFiles.Write(FeedSimulator.Run(SimulatorPresets.Get("tiny"), seed: 3), dir);

        SimulationFiles.Write(SimulatedLogs.TinyWatch, dir);

        Assert.Equal(SimulatedLogs.TinyWatch.Truth.ImpressionLabels, GroundTruth.Load(dir).ImpressionLabels);
        Assert.False(Directory.Exists(Path.Combine(dir, PartitionedSimulationFiles.DirectoryName)));
    }

    /// <summary>
    /// A write killed mid-way (kill -9) leaves its staging folder beside DIR, or (builds before the whole folder was staged) a
    /// partitioned one inside DIR; the next write removes them, but never a running writer's.
    /// </summary>
    [Fact]
    public void Staging_folders_of_writers_that_ended_are_removed_and_running_ones_kept()
    {
        using var folder = new TempFolder();
        var dir = folder.File("feed");
        const int ended = 2147483000;
        var running = Environment.ProcessId;
        var partitionedOrphan = Path.Combine(dir, $".interactions.{ended}.{Guid.NewGuid():N}.staged");
        string[] plainOrphan = [Path.Combine(folder.Path, $".feed.{ended}.{Guid.NewGuid():N}.staging"), Path.Combine(folder.Path, $".feed.{running}.{Guid.NewGuid():N}.staging"),
            Path.Combine(folder.Path, $".feed.{ended}.{Guid.NewGuid():N}.old"), Path.Combine(folder.Path, $".feed.{running}.{Guid.NewGuid():N}.old")];
        foreach (var path in plainOrphan.Append(partitionedOrphan)) Directory.CreateDirectory(path);

        SimulationFiles.Write(SimulatedLogs.TinyWatch, folder.File("feed-plain"));
        Assert.Equal([true, true, true, true], plainOrphan.Select(Directory.Exists)); // another folder's name: not this write's to remove
        var neighbour = Path.Combine(folder.Path, $".feed.2024.{ended}.{Guid.NewGuid():N}.staging"); // folder feed.2024's, not feed's
        Directory.CreateDirectory(neighbour);
        PartitionedSimulationFiles.Write(FeedSimulator.Run(SimulatorPresets.Get("tiny"), seed: 3), dir);
        Assert.Equal([false, true, false, true], plainOrphan.Select(Directory.Exists));
        Assert.False(Directory.Exists(partitionedOrphan));
        Assert.True(Directory.Exists(neighbour));

        var live = Path.Combine(dir, $".interactions.{running}.{Guid.NewGuid():N}.staged"); // a running write of an older build
        Directory.CreateDirectory(live);
        Assert.Contains(Path.GetFileName(live), Assert.Throws<IOException>(() => SimulationFiles.Write(SimulatedLogs.TinyWatch, dir)).Message);
    }

    [Fact]
    public void A_partitioned_write_over_a_plain_set_replaces_it_whole()
    {
        using var folder = new TempFolder();
        var dir = folder.File("feed");
        SimulationFiles.Write(SimulatedLogs.TinyWatch, dir);
        var partitioned = FeedSimulator.Run(SimulatorPresets.Get("tiny"), seed: 3);

        PartitionedSimulationFiles.Write(partitioned, dir);

        Assert.False(File.Exists(Path.Combine(dir, SimulationFiles.InteractionsFileName)));
        Assert.Equal(partitioned.Log.Count, GroundTruth.Load(dir).ImpressionLabels.Length);
        Assert.Equal(["feed"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_write_through_a_link_replaces_the_folder_it_points_to_and_keeps_the_link()
    {
        using var folder = new TempFolder();
        var real = folder.File("real");
        SimulationFiles.Write(SimulatedLogs.TinyWatch, real);
        Directory.CreateSymbolicLink(folder.File("link"), "real");
        var partitioned = FeedSimulator.Run(SimulatorPresets.Get("tiny"), seed: 3);

        PartitionedSimulationFiles.Write(partitioned, folder.File("link"));

        Assert.Equal("real", new DirectoryInfo(folder.File("link")).LinkTarget);
        Assert.False(File.Exists(Path.Combine(real, SimulationFiles.InteractionsFileName)));
        Assert.Equal(partitioned.Log.Count, GroundTruth.Load(real).ImpressionLabels.Length);
        Assert.Equal(["link", "real"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void A_partitioned_write_into_a_folder_with_other_files_is_refused_untouched()
    {
        using var folder = new TempFolder();
        var dir = folder.File("results");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "notes.txt"), "mine");

        var e = Assert.Throws<IOException>(() => PartitionedSimulationFiles.Write(SimulatedLogs.TinyWatch, dir));

        Assert.Contains("notes.txt", e.Message);
        Assert.Equal(["notes.txt"], Directory.GetFileSystemEntries(dir).Select(Path.GetFileName));
    }

    /// <summary>An imported log has datagen's file name but not its stamp: replacing the folder would delete the user's only copy.</summary>
    [Fact]
    public void A_folder_holding_a_log_without_a_simulation_stamp_is_refused_untouched()
    {
        using var folder = new TempFolder();
        var dir = folder.File("mydata");
        Directory.CreateDirectory(dir);
        InteractionLogParquet.Write(SimulatedLogs.TinyWatch.Log, Path.Combine(dir, SimulationFiles.InteractionsFileName)); // as import-ratings writes: no stamp
        var before = Snapshot(dir);

        var e = Assert.Throws<IOException>(() => SimulationFiles.Write(SimulatedLogs.TinyWatch, dir));

        Assert.Contains($"{SimulationFiles.InteractionsFileName} (no simulation stamp in its footer", e.Message);
        AssertUnchanged(before, folder, dir);
    }

    [Fact]
    public void A_users_file_ending_in_tmp_is_refused_and_only_an_atomic_writes_temporary_passed_over()
    {
        // Any *.tmp was passed over as a temporary file, and deleted with the folder: a user's thesis.tmp too.
        using var folder = new TempFolder();
        var dir = folder.File("feed");
        SimulationFiles.Write(SimulatedLogs.TinyWatch, dir);
        File.WriteAllText(Path.Combine(dir, AtomicFile.TemporaryName(SimulationFiles.InteractionsFileName, 1)), "a killed write's leftover");
        SimulationFiles.Write(SimulatedLogs.TinyWatch, dir); // replaced: a temporary is no user's file
        File.WriteAllText(Path.Combine(dir, "thesis.tmp"), "my thesis draft");
        var before = Snapshot(dir);

        var e = Assert.Throws<IOException>(() => SimulationFiles.Write(SimulatedLogs.TinyWatch, dir));

        Assert.Contains("thesis.tmp", e.Message);
        AssertUnchanged(before, folder, dir);
    }

    [Theory]
    [InlineData("NOTES.txt", "interactions/NOTES.txt")]
    [InlineData("day=2024-01-01/part-0.parquet", "interactions/day=2024-01-01/part-0.parquet (no simulation stamp")]
    public void A_lake_holding_a_file_datagen_did_not_write_is_refused_untouched(string added, string named)
    {
        using var folder = new TempFolder();
        var dir = folder.File("mylake");
        PartitionedSimulationFiles.Write(FeedSimulator.Run(SimulatorPresets.Get("tiny"), seed: 3), dir);
        var path = Path.Combine(dir, PartitionedSimulationFiles.DirectoryName, added);
        if (added.EndsWith(".parquet", StringComparison.Ordinal))
            InteractionLogParquet.Write(SimulatedLogs.TinyWatch.Log, path); // a part rewritten by another tool: no stamp
        else
            File.WriteAllText(path, "mine");
        var lake = Directory.GetFiles(Path.Combine(dir, PartitionedSimulationFiles.DirectoryName), "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);

        var e = Assert.Throws<IOException>(() => SimulationFiles.Write(SimulatedLogs.TinyWatch, dir));

        Assert.Contains(named, e.Message);
        Assert.All(lake, file => Assert.Equal(file.Value, File.ReadAllBytes(file.Key)));
        Assert.False(File.Exists(Path.Combine(dir, SimulationFiles.InteractionsFileName)));
    }

    /// <summary>A part copied in from another simulation's lake is stamped, but not by the simulation the folder holds: it was deleted with the lake.</summary>
    [Fact]
    public void A_lake_part_of_another_simulation_is_refused_untouched()
    {
        using var folder = new TempFolder();
        var dir = folder.File("mylake");
        PartitionedSimulationFiles.Write(FeedSimulator.Run(SimulatorPresets.Get("tiny"), seed: 4), dir);
        var lake = Path.Combine(dir, PartitionedSimulationFiles.DirectoryName);
        var day = Path.GetFileName(Directory.GetDirectories(lake).Order(StringComparer.Ordinal).First());
        var other = SimulatedLogs.TinyWatch; // seed 3
        InteractionLogParquet.Write(other.Log, Path.Combine(lake, day, "part-9.parquet"), metadata: SimulationStamp.Metadata(other.Truth.Stamp));
        var files = Directory.GetFiles(dir, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);

        var e = Assert.Throws<IOException>(() => PartitionedSimulationFiles.Write(FeedSimulator.Run(SimulatorPresets.Get("tiny"), seed: 4), dir));

        Assert.Contains($"interactions/{day}/part-9.parquet (another simulation's: stamp {other.Truth.Stamp}, where truth.parquet has ", e.Message);
        Assert.Equal(files.Keys.Order(), Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Order());
        Assert.All(files, file => Assert.Equal(file.Value, File.ReadAllBytes(file.Key)));
    }

    /// <summary>
    /// A lake whose truth was removed may be another simulation's only copy of its log: it was taken as the folder's own
    /// simulation by its first stamped part, and replaced by a datagen of another seed without a word.
    /// </summary>
    [Fact]
    public void A_lake_without_its_truth_is_refused_untouched_whichever_simulation_stamped_it()
    {
        using var folder = new TempFolder();
        var dir = folder.File("mylake");
        var earlier = FeedSimulator.Run(SimulatorPresets.Get("tiny"), seed: 4);
        PartitionedSimulationFiles.Write(earlier, dir);
        File.Delete(Path.Combine(dir, GroundTruth.ImpressionsFileName));
        var files = Directory.GetFiles(dir, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);
        var firstPart = Path.GetRelativePath(dir, files.Keys.Where(f => f.EndsWith(".parquet", StringComparison.Ordinal)).Order(StringComparer.Ordinal).First());

        var e = Assert.Throws<IOException>(() => PartitionedSimulationFiles.Write(SimulatedLogs.TinyWatch, dir));

        Assert.Contains($"{firstPart} (simulation {earlier.Truth.Stamp}'s, and no {GroundTruth.ImpressionsFileName} of a simulation beside it", e.Message);
        Assert.Equal(files.Keys.Order(), Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Order());
        Assert.All(files, file => Assert.Equal(file.Value, File.ReadAllBytes(file.Key)));
    }

    /// <summary>
    /// A truth-model.bin copied in from another simulation is its only latent model: it was judged by its format alone and
    /// replaced without a word, where its stamp says whose it is.
    /// </summary>
    [Fact]
    public void A_truth_model_of_another_simulation_is_refused_untouched()
    {
        using var folder = new TempFolder();
        var dir = folder.File("feed");
        SimulationFiles.Write(FeedSimulator.Run(SimulatorPresets.Get("tiny"), seed: 4), dir);
        var other = folder.File("other");
        SimulationFiles.Write(SimulatedLogs.TinyWatch, other); // seed 3
        File.Copy(Path.Combine(other, GroundTruth.ModelFileName), Path.Combine(dir, GroundTruth.ModelFileName), overwrite: true);
        var files = Directory.GetFiles(dir).ToDictionary(f => f, File.ReadAllBytes);

        var e = Assert.Throws<IOException>(() => SimulationFiles.Write(SimulatedLogs.TinyWatch, dir));

        Assert.Contains($"{GroundTruth.ModelFileName} (another simulation's: stamp {SimulatedLogs.TinyWatch.Truth.Stamp}, where truth.parquet has ", e.Message);
        Assert.All(files, file => Assert.Equal(file.Value, File.ReadAllBytes(file.Key)));
    }

    /// <summary>
    /// A truth-model.bin with no stamp (an older datagen's: version 1, written before stamps, or a version 2 header whose stamp is
    /// zeros) is no file this simulation can call its own: refused untouched, said as unstamped rather than another simulation's.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_truth_model_with_no_stamp_is_refused_untouched(int version)
    {
        using var folder = new TempFolder();
        var dir = folder.File("feed");
        SimulationFiles.Write(SimulatedLogs.TinyWatch, dir);
        var model = Path.Combine(dir, GroundTruth.ModelFileName);
        // "ILTRUTH\0", then int32 version, users, items, factors and the global bias; version 2's 32-byte stamp follows.
        const int versionAt = 8, stampAt = 8 + 5 * sizeof(int), stampBytes = 32;
        var bytes = File.ReadAllBytes(model).ToList();
        for (var b = 0; b < sizeof(int); b++) bytes[versionAt + b] = BitConverter.GetBytes(version)[b];
        if (version == 1) bytes.RemoveRange(stampAt, stampBytes);
        else for (var b = 0; b < stampBytes; b++) bytes[stampAt + b] = 0;
        File.WriteAllBytes(model, [.. bytes]);
        var files = Directory.GetFiles(dir).ToDictionary(f => f, File.ReadAllBytes);

        var e = Assert.Throws<IOException>(() => SimulationFiles.Write(SimulatedLogs.TinyWatch, dir));

        Assert.Contains($"{GroundTruth.ModelFileName} (no simulation stamp in its header: an older datagen's)", e.Message);
        Assert.All(files, file => Assert.Equal(file.Value, File.ReadAllBytes(file.Key)));
    }

    /// <summary>
    /// A truth-model.bin that cannot be opened was called "not a ground-truth model file", which no one could check. A Unix socket
    /// under its name fails to open as an unreadable file does (tests run as root, whom a file's mode does not stop).
    /// </summary>
    [Fact]
    public void A_truth_model_that_cannot_be_read_is_refused_as_unreadable()
    {
        using var folder = new TempFolder();
        var dir = folder.File("feed");
        SimulationFiles.Write(SimulatedLogs.TinyWatch, dir);
        var model = Path.Combine(dir, GroundTruth.ModelFileName);
        File.Delete(model);
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(model));

        var e = Assert.Throws<IOException>(() => SimulationFiles.Write(SimulatedLogs.TinyWatch, dir));

        Assert.Contains($"{GroundTruth.ModelFileName} (unreadable: ", e.Message);
        Assert.DoesNotContain("not a ground-truth model file", e.Message);
    }

    /// <summary>
    /// An empty folder holds nothing to lose: one inside the lake went with it while one beside it was refused. Now neither
    /// is left after the replace, and a folder holding a file is still refused.
    /// </summary>
    [Fact]
    public void Empty_folders_go_with_the_replaced_set_and_a_folder_holding_a_file_is_refused()
    {
        using var folder = new TempFolder();
        var dir = folder.File("mylake");
        PartitionedSimulationFiles.Write(SimulatedLogs.TinyWatch, dir);
        Directory.CreateDirectory(Path.Combine(dir, PartitionedSimulationFiles.DirectoryName, "day=2030-01-01"));
        Directory.CreateDirectory(Path.Combine(dir, "day=2030-01-02", "empty"));

        PartitionedSimulationFiles.Write(SimulatedLogs.TinyWatch, dir);

        Assert.False(Directory.Exists(Path.Combine(dir, PartitionedSimulationFiles.DirectoryName, "day=2030-01-01")));
        Assert.False(Directory.Exists(Path.Combine(dir, "day=2030-01-02")));
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(dir, "day=2030-01-02", "mine")).FullName, "notes.txt"), "mine");
        Assert.Contains("day=2030-01-02/", Assert.Throws<IOException>(() => PartitionedSimulationFiles.Write(SimulatedLogs.TinyWatch, dir)).Message);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(dir, "day=2030-01-02", "mine", "notes.txt")));
    }

    /// <summary>
    /// A link is the user's, wherever it leads: a folder holding only a link to an empty folder holds no file below it, and
    /// was taken for an empty one, the link deleted with it.
    /// </summary>
    [Fact]
    public void A_folder_holding_only_a_link_to_an_empty_folder_is_refused_and_the_link_kept()
    {
        using var folder = new TempFolder();
        var dir = folder.File("mylake");
        PartitionedSimulationFiles.Write(SimulatedLogs.TinyWatch, dir);
        var target = Directory.CreateDirectory(folder.File("elsewhere")).FullName;
        var link = Path.Combine(Directory.CreateDirectory(Path.Combine(dir, "day=2030-01-02")).FullName, "mine");
        Directory.CreateSymbolicLink(link, target);

        Assert.Contains("day=2030-01-02/", Assert.Throws<IOException>(() => PartitionedSimulationFiles.Write(SimulatedLogs.TinyWatch, dir)).Message);
        Assert.Equal(target, new DirectoryInfo(link).LinkTarget);
    }

    [Fact]
    public void A_plain_write_over_a_folder_where_a_partitioned_write_was_killed_succeeds()
    {
        using var folder = new TempFolder();
        var dir = folder.File("feed");
        PartitionedSimulationFiles.Write(FeedSimulator.Run(SimulatorPresets.Get("tiny"), seed: 3), dir);
        Directory.CreateDirectory(Path.Combine(dir, $".interactions.2147483000.{Guid.NewGuid():N}.staged"));

        SimulationFiles.Write(SimulatedLogs.TinyWatch, dir);

        Assert.Equal(SimulatedLogs.TinyWatch.Truth.ImpressionLabels, GroundTruth.Load(dir).ImpressionLabels);
    }

    [Fact]
    public void A_folder_with_other_files_is_refused_untouched()
    {
        using var folder = new TempFolder();
        var dir = folder.File("results");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "notes.txt"), "mine");
        var e = Assert.Throws<IOException>(() => SimulationFiles.Write(SimulatedLogs.TinyWatch, dir));
        Assert.Contains("notes.txt", e.Message);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(dir, "notes.txt")));
        Assert.False(File.Exists(Path.Combine(dir, SimulationFiles.InteractionsFileName)));
    }

    [Fact]
    public void A_mount_point_cannot_be_replaced_by_renames_and_a_folder_on_its_parents_file_system_can()
    {
        using var folder = new TempFolder();
        Assert.True(SimulationFiles.OnParentsFileSystem(folder.Path));
        // /dev/shm is a file system of its own (tmpfs) in every Linux container and machine this runs on.
        Assert.True(Directory.Exists("/dev/shm"), "/dev/shm, a mount point, is needed for this test");
        Assert.False(SimulationFiles.OnParentsFileSystem("/dev/shm"));
        Assert.Contains("/dev/shm is a mount point", Assert.Throws<IOException>(() => SimulationFiles.RefuseForeignFiles("/dev/shm")).Message);
    }
}
