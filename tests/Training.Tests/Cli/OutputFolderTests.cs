using InverseLearning.Training.Cli;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>
/// The folders verbs write into: a bad one is refused before any work in one line naming the
/// flag, and a run's folder is locked, so that a second run into it is refused instead of mixing its files in.
/// </summary>
[Collection("Console")]
public class OutputFolderTests(CliFixture files)
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);

    /// <summary>Each verb that writes a folder, with the flag naming it and arguments that otherwise run.</summary>
    private string[] Arguments(string verb) => verb switch
    {
        "train" => ["train", "--data", files.Log, "--epochs", "1", "--batch-size", "256"],
        "experiment" => ["experiment", "--data", files.Log, "--models", "gmf", "--methods", "ns", "--epochs", "1", "--batch-size", "256"],
        "datagen" => ["datagen", "--preset", "tiny", "--users", "30", "--items", "40", "--impressions", "500"],
        "export" => ["export", "--checkpoint", files.Checkpoint, "--data", files.Log],
        "import-ratings" => ["import-ratings", "--input", files.Ratings],
        _ => throw new ArgumentOutOfRangeException(nameof(verb)),
    };

    public static TheoryData<string, string> VerbsAndFlags => new()
    {
        { "train", "--out" }, { "experiment", "--out" }, { "datagen", "--out" }, { "export", "--out" }, { "export", "--repository" }, { "import-ratings", "--out" },
    };

    /// <summary>The run's only stderr line (nothing was read or simulated before it), which must be the error.</summary>
    private static string OnlyLine(string[] args)
    {
        var (code, _, error) = CliRunner.Run(Budget, args);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(code == 1 && lines.Length == 1, $"exit code {code}, stderr:\n{error}");
        Assert.StartsWith("error: ", lines[0]);
        return lines[0];
    }

    [Theory]
    [MemberData(nameof(VerbsAndFlags))]
    public void An_empty_output_folder_is_refused_before_any_work_naming_the_flag(string verb, string flag) =>
        Assert.Equal($"error: {flag} is empty; expected a folder to write into", OnlyLine([.. Arguments(verb), flag, ""]));

    [Theory]
    [MemberData(nameof(VerbsAndFlags))]
    public void An_output_folder_that_is_a_file_is_refused_before_any_work_naming_the_flag(string verb, string flag) =>
        Assert.Equal($"error: {flag} {files.Ratings} is a file; expected a folder (new or existing) to write into", OnlyLine([.. Arguments(verb), flag, files.Ratings]));

    [Theory]
    [MemberData(nameof(VerbsAndFlags))]
    public void An_output_folder_below_a_file_is_refused_before_any_work_naming_the_flag(string verb, string flag)
    {
        var below = Path.Combine(files.Ratings, "run");
        Assert.Equal($"error: {flag} {below}: {files.Ratings} is a file, so no folder can be made below it", OnlyLine([.. Arguments(verb), flag, below]));
    }

    [Theory]
    [MemberData(nameof(VerbsAndFlags))]
    public void An_output_folder_that_is_a_link_to_nothing_is_refused_naming_where_it_leads(string verb, string flag)
    {
        // File.Exists says true of a dangling link: this was "is a file".
        var link = files.Scratch($"dangling-{verb}{flag}");
        var target = files.Scratch($"moved-away-{verb}{flag}");
        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        File.CreateSymbolicLink(link, target);
        Assert.Equal($"error: {flag} {link} is a link to {target}, which does not exist; make that folder, or give another {flag}", OnlyLine([.. Arguments(verb), flag, link]));
        // And a folder below it: that link, not "a file".
        var below = Path.Combine(link, "run");
        Assert.Equal($"error: {flag} {below}: {link} is a link to {target}, which does not exist, so no folder can be made below it", OnlyLine([.. Arguments(verb), flag, below]));
    }

    [Theory]
    [MemberData(nameof(VerbsAndFlags))]
    public void An_output_folder_that_is_a_link_to_a_file_is_refused_naming_where_it_leads(string verb, string flag)
    {
        // It was "is a file", of a name the user may know as a folder's.
        var link = files.Scratch($"file-link-{verb}{flag}");
        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        File.CreateSymbolicLink(link, files.Ratings);
        Assert.Equal($"error: {flag} {link} is a link to {files.Ratings}, which is a file; expected a folder (new or existing) to write into", OnlyLine([.. Arguments(verb), flag, link]));
        var below = Path.Combine(link, "run");
        Assert.Equal($"error: {flag} {below}: {link} is a link to {files.Ratings}, which is a file, so no folder can be made below it", OnlyLine([.. Arguments(verb), flag, below]));
    }

    [Fact]
    public void An_output_folder_that_is_a_loop_of_links_is_refused_saying_so()
    {
        // It was "a link to … which does not exist", of a link that exists.
        var (first, second) = (files.Scratch("loop-a"), files.Scratch("loop-b"));
        Directory.CreateDirectory(Path.GetDirectoryName(first)!);
        File.CreateSymbolicLink(first, second);
        File.CreateSymbolicLink(second, first);
        Assert.Equal($"error: --out {first} is a link that leads back to itself (through {second}); give another --out", OnlyLine([.. Arguments("train"), "--out", first]));
    }

    [Theory]
    [InlineData("train")]
    [InlineData("experiment")]
    public void A_run_into_a_folder_another_run_holds_is_refused_and_writes_nothing(string verb)
    {
        var folder = files.Scratch($"held-{verb}");
        Directory.CreateDirectory(folder);
        using (HoldLock(folder))
        {
            Assert.Equal($"error: --out {folder} is in use by another run (it holds {Path.Combine(folder, ".lock")}); wait for it to finish or choose another --out",
                OnlyLine([.. Arguments(verb), "--out", folder]));
        }
        Assert.Equal([Path.Combine(folder, ".lock")], Directory.GetFileSystemEntries(folder));
    }

    [Fact]
    public void An_export_into_a_folder_another_run_holds_is_refused_and_writes_nothing()
    {
        var folder = files.Scratch("held-export");
        Directory.CreateDirectory(folder);
        using (HoldLock(folder))
        {
            Assert.Equal($"error: --out {folder} is in use by another run (it holds {Path.Combine(folder, ".lock")}); wait for it to finish or choose another --out",
                OnlyLine([.. Arguments("export"), "--out", folder]));
        }
        Assert.Equal([Path.Combine(folder, ".lock")], Directory.GetFileSystemEntries(folder));
    }

    [Theory]
    [InlineData("train", "--out")]
    [InlineData("experiment", "--out")]
    [InlineData("export", "--out")]
    [InlineData("export", "--repository")]
    [InlineData("export", "--triton")]
    public void An_output_folder_inside_the_log_folder_it_reads_is_refused_before_any_work(string verb, string flag)
    {
        var lake = files.Scratch($"lake-{verb}{flag}");
        Directory.CreateDirectory(lake);
        File.Copy(files.Log, Path.Combine(lake, "part-0.parquet"), overwrite: true);
        string[] args = [.. Arguments(verb).Select(a => a == files.Log ? lake : a)];

        foreach (var output in new[] { lake, Path.Combine(lake, "run") })
            Assert.Equal($"error: {flag} {output} is inside the log folder --data {lake} reads: what it writes would become part of the log; choose a folder outside it",
                OnlyLine([.. args, flag, output]));
        Assert.Equal([Path.Combine(lake, "part-0.parquet")], Directory.GetFileSystemEntries(lake));
    }

    [Fact]
    public void Only_a_folder_a_directory_or_glob_dataset_reads_below_is_its_log_folder()
    {
        var root = files.Scratch("roots");
        var lake = Directory.CreateDirectory(Path.Combine(root, "lake")).FullName;
        OutputFolder.RequireOutsideData(Path.Combine(root, "lake2"), "--out", lake);        // a sibling sharing the name's start
        OutputFolder.RequireOutsideData(root, "--out", Path.Combine(root, "one.parquet"));    // one file's own folder
        Assert.Throws<ArgumentException>(() => OutputFolder.RequireOutsideData(Path.Combine(root, "lake", "day=1", "run"), "--out", Path.Combine(root, "lake", "**", "*.parquet")));
        OutputFolder.RequireOutsideData(root, "--out", Path.Combine(root, "lake", "**", "*.parquet"));
        OutputFolder.RequireOutsideData(Path.Combine(lake, "_runs", "a"), "--out", lake);                 // the reader skips '_' and '.' names
        var link = Path.Combine(root, "lake-link");
        if (!Directory.Exists(link)) Directory.CreateSymbolicLink(link, lake);
        Assert.Throws<ArgumentException>(() => OutputFolder.RequireOutsideData(Path.Combine(link, "run"), "--out", lake));   // a link to the log folder is the log folder
        Assert.Throws<ArgumentException>(() => OutputFolder.RequireOutsideData(Path.Combine(lake, "run"), "--out", link));
        var bracketed = Directory.CreateDirectory(Path.Combine(root, "exports[v2]")).FullName;
        File.WriteAllBytes(Path.Combine(bracketed, "log.parquet"), [1]);
        OutputFolder.RequireOutsideData(bracketed, "--out", Path.Combine(bracketed, "log.parquet"));   // '[' is no wildcard of the reader's
    }

    [Fact]
    public void A_folder_where_a_run_writes_a_file_is_refused_before_the_run()
    {
        var folder = files.Scratch("slot-taken");
        Directory.CreateDirectory(Path.Combine(folder, "model.onnx"));

        Assert.Equal($"error: --out {folder}: model.onnx there is a folder, where the run writes a file; remove it or choose another --out",
            OnlyLine([.. Arguments("train"), "--out", folder]));
        Assert.False(File.Exists(Path.Combine(folder, "last.checkpoint")));
    }

    [Theory]
    [InlineData("training_model.onnx")]
    [InlineData("eval_model.onnx")]
    [InlineData("optimizer_model.onnx")]
    [InlineData("idl_weights_epoch1.png")]
    [InlineData("idl_weights_final.png")]
    [InlineData("annotation_epoch1.json")]
    [InlineData("convergence.csv")]
    [InlineData("convergence.png")]
    [InlineData("cluster.json")]
    [InlineData("cluster-run.json")]
    public void A_folder_where_a_run_writes_a_graph_or_a_report_is_refused_before_the_run(string file)
    {
        // These were found only when written, after the training (the histograms after metrics.json, which a later experiment reused).
        var folder = files.Scratch($"slot-taken-{file}");
        Directory.CreateDirectory(Path.Combine(folder, file));

        Assert.Equal($"error: --out {folder}: {file} there is a folder, where the run writes a file; remove it or choose another --out",
            OnlyLine([.. Arguments("train"), "--out", folder]));
        Assert.False(File.Exists(Path.Combine(folder, "metrics.json")));
    }

    [Theory]
    [InlineData("table.md")]
    [InlineData("ranking_table.md")]
    [InlineData("results.json")]
    [InlineData("auc_gmf.png")]
    public void A_folder_where_an_experiment_writes_a_report_is_refused_before_any_run(string file)
    {
        var folder = files.Scratch($"experiment-slot-taken-{file}");
        Directory.CreateDirectory(Path.Combine(folder, file));

        var (code, _, error) = CliRunner.Run(Budget, [.. Arguments("experiment"), "--out", folder]);

        Assert.Equal(1, code);
        Assert.Equal($"error: --out {folder}: {file} there is a folder, where the experiment writes a file; remove it or choose another --out",
            Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), line => line.StartsWith("error:", StringComparison.Ordinal)));
        Assert.DoesNotContain("run 1 of 1", error);
        Assert.False(Directory.Exists(Path.Combine(folder, "gmf")));
    }

    [Fact]
    public void A_folder_where_the_lr_ratio_study_writes_a_plot_is_refused_before_any_run()
    {
        var folder = files.Scratch("experiment-slot-taken-lr-ratio");
        Directory.CreateDirectory(Path.Combine(folder, "lr_ratio_gauc.png"));

        var (code, _, error) = CliRunner.Run(Budget, ["experiment", "--data", files.Log, "--models", "gmf", "--methods", "ig", "--epochs", "1", "--batch-size", "256",
            "--lr-ratio", "0.5", "--out", folder]);

        Assert.Equal(1, code);
        Assert.Contains($"error: --out {folder}: lr_ratio_gauc.png there is a folder, where the experiment writes a file; remove it or choose another --out", error);
        Assert.DoesNotContain("run 1 of", error);
    }

    [Fact]
    public void A_folder_where_an_lr_ratio_run_writes_a_file_is_refused_before_any_run()
    {
        // The study's runs have folders of their own (lr-ratio/MODEL/ratioR/seedS), trained after every main run: found there only
        // when that run wrote its metrics.json, the whole experiment's training came before the refusal.
        var folder = files.Scratch("experiment-slot-taken-ratio-run");
        var run = Path.Combine(folder, "lr-ratio", "gmf", "ratio0.5", "seed42");
        Directory.CreateDirectory(Path.Combine(run, "metrics.json"));

        var (code, _, error) = CliRunner.Run(Budget, ["experiment", "--data", files.Log, "--models", "gmf", "--methods", "ig", "--epochs", "1", "--batch-size", "256",
            "--lr-ratio", "0.5", "--seed", "42", "--out", folder]);

        Assert.Equal(1, code);
        Assert.Contains($"error: --out {run}: metrics.json there is a folder, where the run writes a file; remove it or choose another --out", error);
        Assert.DoesNotContain("run 1 of", error);
        Assert.False(Directory.Exists(Path.Combine(folder, "gmf")));
    }

    [Fact]
    public void A_triton_export_over_a_config_edited_by_hand_keeps_it_and_says_so()
    {
        var triton = files.Scratch("triton-edited");
        string[] export = ["export", "--checkpoint", files.Checkpoint, "--data", files.Log, "--triton", triton];
        var config = Path.Combine(triton, "inverselearning", "config.pbtxt");
        var (code, output, error) = CliRunner.Run(Budget, export);
        Assert.True(code == 0, error);
        Assert.Equal($"wrote {Path.Combine(triton, "inverselearning", "1", "model.onnx")} and {config}", output.Trim());
        File.AppendAllText(config, "instance_group [ { count: 2 } ]\n");
        var edited = File.ReadAllText(config);

        (code, output, error) = CliRunner.Run(Budget, export);

        Assert.True(code == 0, error);
        Assert.Equal($"wrote {Path.Combine(triton, "inverselearning", "2", "model.onnx")}; kept {config} as it was: it differs from the config this export writes " +
            "(edited by hand, or another --triton-max-batch); remove it to have export write its own", output.Trim());
        Assert.Equal(edited, File.ReadAllText(config));
    }

    [Fact]
    public void A_triton_export_over_an_empty_config_writes_its_own_and_says_so()
    {
        var triton = files.Scratch("triton-empty-config");
        var config = Path.Combine(triton, "inverselearning", "config.pbtxt");
        Directory.CreateDirectory(Path.GetDirectoryName(config)!);
        File.WriteAllBytes(config, []);

        // It was kept, told as "edited by hand", and Triton could not load the model.
        var (code, output, error) = CliRunner.Run(Budget, ["export", "--checkpoint", files.Checkpoint, "--data", files.Log, "--triton", triton]);

        Assert.True(code == 0, error);
        Assert.Equal($"wrote {Path.Combine(triton, "inverselearning", "1", "model.onnx")} and {config} (the config there was empty)", output.Trim());
        Assert.NotEqual(0, new FileInfo(config).Length);
    }

    [Fact]
    public void A_triton_config_cut_short_is_refused_before_the_checkpoint_is_read()
    {
        var triton = files.Scratch("triton-truncated-config");
        var config = Path.Combine(triton, "inverselearning", "config.pbtxt");
        Directory.CreateDirectory(Path.GetDirectoryName(config)!);
        File.WriteAllText(config, "name: \"inverselearning\"\ninput [\n  {\n    name: \"user_id\"\n");

        var line = OnlyLine(["export", "--checkpoint", Path.Combine(triton, "none"), "--data", files.Log, "--triton", triton]);

        Assert.Equal($"error: {config} is not a config Triton can load (it ends before its last field, message or list is complete); " +
            "fix it, or remove it to have export write its own", line);
    }

    [Fact]
    public void A_triton_config_that_is_a_folder_is_refused_before_the_checkpoint_is_read()
    {
        var triton = files.Scratch("triton-config-folder");
        Directory.CreateDirectory(Path.Combine(triton, "inverselearning", "config.pbtxt"));

        // A checkpoint that does not exist: the refusal comes first.
        var line = OnlyLine(["export", "--checkpoint", Path.Combine(triton, "none"), "--data", files.Log, "--triton", triton]);

        Assert.Equal($"error: {Path.Combine(triton, "inverselearning", "config.pbtxt")} is a folder; expected the model's config file (remove it)", line);
    }

    [Fact]
    public void A_file_where_the_triton_models_folder_goes_is_refused_before_the_checkpoint_is_read()
    {
        var triton = files.Scratch("triton-model-file");
        Directory.CreateDirectory(triton);
        File.WriteAllText(Path.Combine(triton, "ranker"), "");

        // A checkpoint that does not exist: the refusal comes first (it was .NET's "already exists", after the export's work).
        var line = OnlyLine(["export", "--checkpoint", Path.Combine(triton, "none"), "--data", files.Log, "--triton", triton, "--triton-name", "ranker"]);

        Assert.Equal($"error: --triton {triton}: {Path.Combine(triton, "ranker")} is a file, where the model's folder goes; remove it or give another --triton-name", line);
    }

    [Fact]
    public void A_run_refused_after_taking_its_lock_removes_the_folders_it_made_and_leaves_one_that_existed()
    {
        // Refused after the lock was taken (the memory estimate, bad rows): the new --out was left holding only .lock.
        var made = files.Scratch("refused-made");
        var below = Path.Combine(made, "a", "b");
        string[] tooBig = ["--dim", "4096", "--max-memory", "1M"];
        CliRunner.AssertOneLineFailure(CliRunner.Run(Budget, [.. Arguments("train"), .. tooBig, "--out", below]), "--max-memory");
        Assert.False(Directory.Exists(made), $"{made} was left behind");
        var existing = files.Scratch("refused-existing");
        Directory.CreateDirectory(existing);
        CliRunner.AssertOneLineFailure(CliRunner.Run(Budget, [.. Arguments("train"), .. tooBig, "--out", existing]), "--max-memory");
        Assert.True(Directory.Exists(existing));

        var badRows = files.Scratch("bad-ratings.txt");
        File.WriteAllText(badRows, "1 2 not-a-rating\n");
        var imported = files.Scratch("refused-import");
        Assert.Equal(1, CliRunner.Run(Budget, "import-ratings", "--input", badRows, "--out", imported).Code);
        Assert.False(Directory.Exists(imported), $"{imported} was left behind");
    }

    [Fact]
    public void A_run_refused_in_a_folder_holding_a_file_dated_in_the_future_removes_its_lock_and_one_that_wrote_it_keeps_it()
    {
        // Judged by the lock's time, a file dated after it looked written by the run: the refused run's .lock stayed.
        var folder = files.Scratch("future-dated");
        Directory.CreateDirectory(folder);
        var notes = Path.Combine(folder, "notes.txt");
        File.WriteAllText(notes, "kept");
        File.SetLastWriteTimeUtc(notes, DateTime.UtcNow.AddYears(1));
        var lockFile = Path.Combine(folder, OutputFolder.LockFileName);

        OutputFolder.Lock(folder, "--out").Dispose();
        Assert.False(File.Exists(lockFile), "the refused run's .lock stayed beside a file dated in the future");

        // The same file rewritten while the lock is held (same length) is the run's doing: its lock stays.
        using (OutputFolder.Lock(folder, "--out")) File.WriteAllText(notes, "kept");
        Assert.True(File.Exists(lockFile), "a run that wrote into the folder left no .lock");
    }

    [Fact]
    public void A_run_that_removed_a_file_it_found_keeps_its_lock()
    {
        // Every entry left is as found, but one is gone: the folder is not as the run found it, and its .lock says a run was there.
        var folder = files.Scratch("found-file-removed");
        Directory.CreateDirectory(folder);
        var notes = Path.Combine(folder, "notes.txt");
        File.WriteAllText(notes, "removed by the run");
        var lockFile = Path.Combine(folder, OutputFolder.LockFileName);

        using (OutputFolder.Lock(folder, "--out")) File.Delete(notes);

        Assert.True(File.Exists(lockFile), "a run that removed a file it found left no .lock");
    }

    [Fact]
    public void A_lock_file_that_is_a_folder_is_refused_saying_so()
    {
        // Opening it read as permission denied, even to root: "this user may not write into it".
        var folder = files.Scratch("lock-is-a-folder");
        var lockFile = Directory.CreateDirectory(Path.Combine(folder, OutputFolder.LockFileName)).FullName;

        var refused = Assert.Throws<ArgumentException>(() => OutputFolder.Lock(folder, "--out"));

        Assert.Equal($"--out {folder}: {lockFile} is a folder, where a run keeps its lock file; remove it or choose another --out", refused.Message);
        Assert.True(Directory.Exists(lockFile));
    }

    [Fact]
    public void Releasing_a_folder_the_run_made_and_that_was_removed_meanwhile_is_no_error()
    {
        // Releasing looks into a folder it made: one removed during the run threw from Dispose, in place of the run's own outcome.
        var folder = files.Scratch("removed-meanwhile");
        var held = OutputFolder.Lock(folder, "--out");
        Directory.Delete(folder, recursive: true);
        held.Dispose();
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void A_lock_left_by_a_finished_run_does_not_hold_the_folder()
    {
        var folder = files.Scratch("released");
        using (OutputFolder.Lock(folder, "--out")) { }

        var (code, _, error) = CliRunner.Run(Budget, [.. Arguments("train"), "--out", folder]);

        Assert.True(code == 0, error);
        Assert.True(File.Exists(Path.Combine(folder, "metrics.json")));
    }

    [Fact]
    public void A_folder_is_locked_until_its_lock_is_disposed()
    {
        var folder = files.Scratch("lock");
        var first = OutputFolder.Lock(folder, "--out");
        Assert.Throws<IOException>(() => OutputFolder.Lock(folder, "--out"));
        first.Dispose();
        OutputFolder.Lock(folder, "--out").Dispose();
    }

    [Fact]
    public void A_run_into_a_folder_inside_one_a_running_experiment_holds_is_refused_naming_that_folder()
    {
        // It was taken: the experiment then failed at that run's folder and wrote no table.md nor results.json.
        var experiment = files.Scratch("running-experiment");
        var runFolder = Path.Combine(experiment, "gmf", "ns", "seed42");
        using (var held = OutputFolder.Lock(experiment, "--out"))
        {
            Assert.Equal($"error: --out {runFolder} is inside {experiment}, which another run is writing (it holds {Path.Combine(experiment, ".lock")}; " +
                "an experiment writes its runs' folders below its --out); wait for it to finish or choose an --out outside it",
                OnlyLine([.. Arguments("train"), "--out", runFolder]));
            Assert.False(Directory.Exists(Path.Combine(experiment, "gmf"))); // refused before any folder was made
            // The experiment's own runs, which write below it, are not refused by its hold.
            OutputFolder.Lock(runFolder, "--out", within: held).Dispose();
        }
        // Its lock file, left once it has finished, holds nothing.
        OutputFolder.Lock(runFolder, "--out").Dispose();
    }

    [Fact]
    public void An_experiments_own_runs_are_not_refused_by_a_verb_that_later_holds_a_folder_above_it()
    {
        // A train started later into the experiment's parent made the experiment fail at its next run and lose its reports.
        var parent = files.Scratch("later-above");
        var experiment = Path.Combine(parent, "exp");
        using var held = OutputFolder.Lock(experiment, "--out");
        using var later = OutputFolder.Lock(parent, "--out");

        OutputFolder.Lock(Path.Combine(experiment, "gmf", "ns", "seed42"), "--out", within: held).Dispose();
        // Without the experiment's own hold, the same folder is inside the later verb's (and the experiment's).
        Assert.Throws<IOException>(() => OutputFolder.Lock(Path.Combine(experiment, "gmf", "ns", "seed43"), "--out"));
    }

    [Theory]
    [InlineData("train", "--out")]
    [InlineData("datagen", "--out")]
    [InlineData("export", "--repository")]
    public void A_folder_reached_through_a_link_into_a_running_experiment_is_inside_it(string verb, string flag)
    {
        // A link into the experiment's folder took the run folder the experiment then wrote over; datagen and export's
        // repository did not look at all, and mixed their files with the experiment's.
        var experiment = files.Scratch($"linked-experiment-{verb}-{flag.TrimStart('-')}");
        var link = files.Scratch($"link-into-experiment-{verb}-{flag.TrimStart('-')}");
        using var held = OutputFolder.Lock(experiment, "--out");
        Directory.CreateDirectory(Path.Combine(experiment, "gmf"));
        File.CreateSymbolicLink(link, Path.Combine(experiment, "gmf"));
        var runFolder = Path.Combine(link, "seed42");

        Assert.StartsWith($"error: {flag} {runFolder} is inside {experiment}, which another run is writing", OnlyLine([.. Arguments(verb), flag, runFolder]));
        Assert.Equal(["gmf"], Directory.EnumerateFileSystemEntries(experiment).Select(Path.GetFileName).Where(name => name != OutputFolder.LockFileName));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(experiment, "gmf")));
    }

    [Fact]
    public void A_lock_file_that_is_a_link_is_refused_and_its_target_left_as_it_was()
    {
        var folder = files.Scratch("lock-link");
        Directory.CreateDirectory(folder);
        var victim = files.Scratch("lock-link-victim.txt");
        File.WriteAllText(victim, "a user's own file");
        File.CreateSymbolicLink(Path.Combine(folder, OutputFolder.LockFileName), victim);

        var error = Assert.Throws<ArgumentException>(() => OutputFolder.Lock(folder, "--out"));

        Assert.Contains($"{Path.Combine(folder, OutputFolder.LockFileName)} is a link (to {victim})", error.Message);
        Assert.Equal("a user's own file", File.ReadAllText(victim));
    }

    [Fact]
    public void A_lock_tells_when_it_was_taken_by_the_folders_own_clock_and_writes_nothing_into_its_file()
    {
        var folder = files.Scratch("lock-time");
        Directory.CreateDirectory(folder);
        var lockFile = Path.Combine(folder, OutputFolder.LockFileName);
        var precious = files.Scratch("lock-time-precious.txt");
        File.WriteAllText(precious, "a user's own file");
        using (var ln = System.Diagnostics.Process.Start("ln", [precious, lockFile])) ln.WaitForExit(); // a lock file that is another file of the user's (a hard link)
        var earlier = DateTime.UtcNow.AddHours(-3);
        Directory.SetLastWriteTimeUtc(folder, earlier);

        DateTime taken;
        using (var held = OutputFolder.Lock(folder, "--out")) taken = held.TakenUtc;

        // The folder's write time, set by the file system when the lock was taken: the run's start by the folder's own clock.
        Assert.True(taken > earlier.AddHours(1), $"{taken:O}");
        Assert.Equal(Directory.GetLastWriteTimeUtc(folder), taken);
        Assert.Equal("a user's own file", File.ReadAllText(precious));
        Assert.Equal([OutputFolder.LockFileName], Directory.GetFileSystemEntries(folder).Select(Path.GetFileName));
    }

    /// <summary>The lock another process would hold, taken the same way but independently of the code under test.</summary>
    private static FileStream HoldLock(string folder) =>
        new(Path.Combine(folder, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

    [Fact]
    public void What_an_earlier_run_left_is_found_whole_where_it_can_be_and_hidden_names_are_not()
    {
        var folder = files.Scratch("left-by-earlier");
        var since = DateTime.UtcNow;
        var old = since.AddMinutes(-5);
        foreach (var (name, written) in new[] { ("a/old.txt", old), ("a/new.txt", since.AddSeconds(1)), ("b/c/old.txt", old), ("c.txt", old), ("d.txt", since.AddSeconds(1)), (".lock", old), ("e/.lock", old) })
        {
            var path = Path.Combine(folder, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, name);
            File.SetLastWriteTimeUtc(path, written);
        }
        foreach (var dir in new[] { "a", "b", "b/c", "e" }) Directory.SetLastWriteTimeUtc(Path.Combine(folder, dir), old);
        // Links back to the folder (a loop) and to a file: neither followed nor listed.
        Directory.CreateSymbolicLink(Path.Combine(folder, "a", "up"), "..");
        Directory.CreateSymbolicLink(Path.Combine(folder, "loop"), ".");
        File.CreateSymbolicLink(Path.Combine(folder, "b", "c", "link.txt"), Path.Combine(folder, "d.txt"));
        Directory.SetLastWriteTimeUtc(Path.Combine(folder, "a"), old);
        Directory.SetLastWriteTimeUtc(Path.Combine(folder, "b", "c"), old);

        Assert.Equal(["a/old.txt", "b/", "c.txt", "e/"], EarlierOutputs.Find(folder, since));
        var note = new StringWriter();
        EarlierOutputs.Note(folder, since, note);
        Assert.Equal($"note: {folder} also holds files this run did not write (an earlier run's would read as this run's): a/old.txt, b/, c.txt, e/; remove them, or give a new --out", note.ToString().Trim());
        var none = new StringWriter();
        EarlierOutputs.Note(folder, old.AddMinutes(-1), none);
        Assert.Empty(none.ToString());
    }

    [Fact]
    public void A_folder_holding_a_link_to_a_folder_is_as_old_as_the_files_it_leads_to()
    {
        // An experiment's run folder linked elsewhere: the run's own files, written there, were named as an earlier run's.
        var folder = files.Scratch("left-through-links");
        var since = DateTime.UtcNow;
        var old = since.AddMinutes(-5);
        var (fresh, stale) = (files.Scratch("left-through-links-fresh"), files.Scratch("left-through-links-stale"));
        foreach (var (elsewhere, written) in new[] { (fresh, since.AddSeconds(1)), (stale, old) })
        {
            File.WriteAllText(Path.Combine(Directory.CreateDirectory(elsewhere).FullName, "metrics.json"), "{}");
            File.SetLastWriteTimeUtc(Path.Combine(elsewhere, "metrics.json"), written);
            Directory.SetLastWriteTimeUtc(elsewhere, old);
        }
        Directory.CreateSymbolicLink(Path.Combine(Directory.CreateDirectory(Path.Combine(folder, "gmf", "ns")).FullName, "seed42"), fresh);
        Directory.CreateSymbolicLink(Path.Combine(Directory.CreateDirectory(Path.Combine(folder, "gmf", "none")).FullName, "seed42"), stale);
        foreach (var dir in new[] { "gmf", "gmf/ns", "gmf/none" }) Directory.SetLastWriteTimeUtc(Path.Combine(folder, dir), old);

        Assert.Equal(["gmf/none/"], EarlierOutputs.Find(folder, since));
    }

    [Fact]
    public void A_fresh_run_into_an_earlier_runs_folder_names_the_files_it_did_not_replace()
    {
        var folder = files.Scratch("earlier-ig");
        Assert.Equal(0, CliRunner.Run("train", "--data", files.Log, "--method", "ig", "--epochs", "1", "--dim", "4", "--threads", "1", "--out", folder).Code);

        var (code, _, error) = CliRunner.Run("train", "--data", files.Log, "--method", "ns", "--epochs", "1", "--dim", "4", "--threads", "1", "--out", folder);

        Assert.Equal(0, code);
        Assert.Contains($"note: {folder} also holds files this run did not write (an earlier run's would read as this run's): convergence.csv, convergence.png;", error);
    }

    [Fact]
    public void A_cancelled_run_into_an_earlier_runs_folder_names_the_files_it_left_beside_its_checkpoints()
    {
        // Its checkpoints now sit beside the earlier run's metrics and model: said on the way out, not only at a finished run's end.
        var folder = files.Scratch("earlier-then-cancelled");
        Assert.Equal(0, CliRunner.Run("train", "--data", files.Log, "--method", "ig", "--epochs", "1", "--dim", "4", "--threads", "1", "--out", folder).Code);

        var (code, _, error) = CliRunner.Run(TimeSpan.FromSeconds(5), "train", "--data", files.Log, "--method", "ns", "--epochs", "100000", "--batch-size", "16",
            "--dim", "4", "--threads", "1", "--out", folder);

        Assert.Equal(130, code);
        var lines = error.Trim().Split('\n');
        Assert.Equal("cancelled", lines[^1]);
        Assert.StartsWith($"note: {folder} also holds files this run did not write (an earlier run's would read as this run's): ", lines[^2]);
        Assert.Contains("metrics.json", lines[^2]);
    }

    [Fact]
    public void A_cancelled_experiment_into_an_earlier_experiments_folder_names_the_files_it_left_beside_its_own()
    {
        // It said nothing: its runs' checkpoints sat beside the earlier experiment's table and plots unannounced.
        var folder = files.Scratch("earlier-experiment-then-cancelled");
        Assert.Equal(0, CliRunner.Run("experiment", "--data", files.Log, "--methods", "none", "--epochs", "1", "--dim", "4", "--threads", "1", "--out", folder).Code);

        var (code, _, error) = CliRunner.Run(TimeSpan.FromSeconds(5), "experiment", "--data", files.Log, "--methods", "ns", "--epochs", "100000", "--batch-size", "16",
            "--dim", "4", "--threads", "1", "--out", folder);

        Assert.Equal(130, code);
        var lines = error.Trim().Split('\n');
        Assert.Equal("cancelled", lines[^1]);
        Assert.StartsWith($"note: {folder} also holds files this run did not write (an earlier run's would read as this run's): ", lines[^2]);
        Assert.Contains("table.md", lines[^2]);
    }
}
