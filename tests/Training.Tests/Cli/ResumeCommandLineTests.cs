using System.CommandLine;
using System.Text.Json.Nodes;
using InverseLearning.Data.Simulation;
using InverseLearning.Training.Artifacts;
using InverseLearning.Training.Cli;
using InverseLearning.Training.Models;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>`train --resume` continues only the run its checkpoint holds: a contradicting flag or another log is one line, exit 1.</summary>
[Collection("Console")]
public class ResumeCommandLineTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("il-resume-").FullName;
    private readonly string _log, _otherLog, _run;

    public ResumeCommandLineTests()
    {
        _log = Write("a", seed: 1);
        _otherLog = Write("b", seed: 2);
        _run = Path.Combine(_root, "run");
        var (code, error) = Run("train", "--data", _log, "--method", "srns", "--epochs", "1", "--dim", "4", "--threads", "1", "--out", _run);
        Assert.True(code == 0, error);
    }

    private string Write(string name, int seed)
    {
        var dir = Path.Combine(_root, name);
        SimulationFiles.Write(FeedSimulator.Run(SimulatorPresets.Get("tiny") with { Impressions = 4_000 }, seed), dir);
        return Path.Combine(dir, SimulationFiles.InteractionsFileName);
    }

    private static (int Code, string Error) Run(params string[] args)
    {
        var (code, _, error) = CliRunner.Run(args);
        return (code, error);
    }

    private static string LastLine(string error) => error.Trim().Split('\n')[^1];

    [Theory]
    [InlineData("--method", "ns", "--method ns contradicts the checkpoint, which was trained with --method srns")]
    [InlineData("--model", "neumf", "--model neumf contradicts the checkpoint, which was trained with --model gmf")]
    [InlineData("--dim", "8", "--dim 8 contradicts the checkpoint, which was trained with --dim 4")]
    [InlineData("--init", "torch", "--init torch contradicts the checkpoint, which was trained with --init ncf")]
    [InlineData("--srns-memory", "4", "--srns-memory 4 contradicts the checkpoint, which was trained with --srns-memory 16")]
    [InlineData("--unlabeled-source", "both", "--unlabeled-source both contradicts the checkpoint, which was trained with --unlabeled-source unseen")] // the flag's word, not the enum's (Unseen)
    [InlineData("--fresh-optimizer", "true", "--fresh-optimizer true contradicts the checkpoint, which was trained with --fresh-optimizer false")] // not C#'s True and False
    // The label thresholds were refused as "other labeled rows", without the flag (the run trains on auto labels, here finish-rate).
    [InlineData("--finish-positive-above", "0.9", "--finish-positive-above 0.9 contradicts the checkpoint, which was trained with --finish-positive-above 0.8")]
    [InlineData("--finish-negative-below", "0.1", "--finish-negative-below 0.1 contradicts the checkpoint, which was trained with --finish-negative-below 0.2")]
    public void A_flag_that_contradicts_the_checkpoint_is_refused_naming_it(string flag, string value, string expected)
    {
        var (code, error) = Run("train", "--data", _log, "--resume", "--epochs", "2", "--out", _run, flag, value);
        Assert.Equal(1, code);
        Assert.Contains(expected, LastLine(error));
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void Left_out_the_tests_evaluation_flags_keep_the_checkpoints_and_given_they_change_it()
    {
        // The current flags' defaults applied: a resumed full-ranking run's metrics.json lost its full ranking, or took another K and positives.
        var run = Path.Combine(_root, "ranked");
        var (code, error) = Run("train", "--data", _log, "--method", "none", "--epochs", "1", "--dim", "4", "--threads", "1",
            "--eval", "full-ranking", "--topk", "7", "--test-positives", "like", "--out", run);
        Assert.True(code == 0, error);
        JsonNode? FullRanking() => JsonNode.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")))!["full_ranking"];

        (code, error) = Run("train", "--data", _log, "--resume", "--epochs", "2", "--out", run);

        Assert.True(code == 0, error);
        Assert.Equal("like", FullRanking()!["test_positives"]!.GetValue<string>());
        Assert.Equal(["test_positives", "users", "recall@7", "ndcg@7"], FullRanking()!.AsObject().Select(field => field.Key));
        Assert.Equal("like", Checkpoint.ReadHeader(Path.Combine(run, Checkpoint.LastFileName)).Run.Settings.TestPositives);

        // --topk alone changes the K of the run's full ranking (it was refused as needing --eval full-ranking).
        (code, error) = Run("train", "--data", _log, "--resume", "--epochs", "3", "--out", run, "--topk", "5", "--test-positives", "truth");

        Assert.True(code == 0, error);
        Assert.Equal("truth", FullRanking()!["test_positives"]!.GetValue<string>());
        Assert.Equal(["test_positives", "users", "recall@5", "ndcg@5"], FullRanking()!.AsObject().Select(field => field.Key));
        // The default is recorded as none, as a record made before the setting reads (an experiment's finished runs stay reusable).
        Assert.Null(Checkpoint.ReadHeader(Path.Combine(run, Checkpoint.LastFileName)).Run.Settings.TestPositives);

        // --eval full-ranking alone keeps the run's K (it took the default 20, 50, 100).
        (code, error) = Run("train", "--data", _log, "--resume", "--epochs", "4", "--out", run, "--eval", "full-ranking");

        Assert.True(code == 0, error);
        Assert.Equal(["test_positives", "users", "recall@5", "ndcg@5"], FullRanking()!.AsObject().Select(field => field.Key));

        (code, error) = Run("train", "--data", _log, "--resume", "--epochs", "5", "--out", run, "--eval", "labeled");

        Assert.True(code == 0, error);
        Assert.Null(FullRanking());
        Assert.Null(Checkpoint.ReadHeader(Path.Combine(run, Checkpoint.LastFileName)).Run.Settings.TestPositives);
        Assert.Equal("error: --topk needs --eval full-ranking (the labeled-row metrics have no K, and the checkpoint's run ranks no catalogue)",
            LastLine(Run("train", "--data", _log, "--resume", "--epochs", "6", "--out", run, "--topk", "5").Error));

        // --eval full-ranking alone on a run that ranked no catalogue ranks it at the default K.
        (code, error) = Run("train", "--data", _log, "--resume", "--epochs", "6", "--out", run, "--eval", "full-ranking");

        Assert.True(code == 0, error);
        var ranked = FullRanking();
        Assert.NotNull(ranked);
        Assert.Equal(["test_positives", "users", "recall@20", "recall@50", "recall@100", "ndcg@20", "ndcg@50", "ndcg@100"], ranked.AsObject().Select(field => field.Key));
    }

    [Fact]
    public void A_run_of_an_experiment_resumed_by_train_ranks_against_the_experiments_positives()
    {
        // Only train recorded its --test-positives: an experiment's run resumed by train went back to truth without a word.
        var experiment = Path.Combine(_root, "experiment");
        var (code, error) = Run("experiment", "--data", _log, "--methods", "none", "--models", "gmf", "--repeats", "1", "--epochs", "1", "--dim", "4",
            "--threads", "1", "--eval", "full-ranking", "--topk", "7", "--test-positives", "like", "--out", experiment);
        Assert.True(code == 0, error);
        var run = Path.Combine(experiment, "gmf", "none", "seed42");

        (code, error) = Run("train", "--data", _log, "--resume", "--epochs", "2", "--out", run);

        Assert.True(code == 0, error);
        var ranking = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")))!["full_ranking"]!;
        Assert.Equal("like", ranking["test_positives"]!.GetValue<string>());
        Assert.NotNull(ranking["recall@7"]);
    }

    [Fact]
    public void An_option_of_another_model_or_method_contradicts_nothing()
    {
        // The checkpoint holds the options its model and method read alone: --tce-max-drop was refused as contradicting its 0.2.
        var (code, error) = Run("train", "--data", _log, "--resume", "--epochs", "2", "--out", _run, "--tce-max-drop", "0.5", "--lightgcn-layers", "5");

        Assert.True(code == 0, error);
        Assert.DoesNotContain("tce-max-drop", Checkpoint.ReadHeader(Path.Combine(_run, Checkpoint.LastFileName)).Run.Settings.Options.Keys);
    }

    [Theory]
    [InlineData("eval")]
    [InlineData("export")]
    public void A_runs_folder_given_for_its_checkpoint_is_told_the_file_to_give(string verb)
    {
        string[] target = verb == "export" ? ["--out", Path.Combine(_root, "folder-export")] : [];

        var (code, error) = Run([verb, "--checkpoint", _run, "--data", _log, .. target]);

        Assert.Equal(1, code);
        Assert.Equal($"error: {_run}: cannot use this checkpoint: is a run's folder, expected a checkpoint file: give --checkpoint {Path.Combine(_run, "checkpoint")}.", LastLine(error));
    }

    [Fact]
    public void A_run_stopped_inside_its_first_epoch_is_refused_saying_to_start_again()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, "first-epoch")).FullName;
        // The best checkpoint --eval-every saves inside epoch 1: the finished run's, with no epoch done (only its header is read).
        var run = Checkpoint.ReadHeader(Path.Combine(_run, "checkpoint")).Run;
        Checkpoint.Save(Path.Combine(folder, "checkpoint"), new HostParameterStore(new Gmf(4), userRows: 5, itemRows: 7, stateSlots: 2, seed: 1),
            run with { EpochsDone = 0, PhaseEpochsDone = 0 });

        var (code, error) = Run("train", "--data", _log, "--out", folder, "--resume");

        Assert.Equal(1, code);
        Assert.Contains("only the best parameters of a run stopped inside its first epoch: run it again without --resume", error);
    }

    [Theory]
    [InlineData(true, "the run finished (metrics.json is beside it)")]
    [InlineData(false, "its best checkpoint was saved after epoch 1")]
    public void A_run_past_its_first_epoch_whose_last_checkpoint_was_removed_is_told_so(bool finished, string why)
    {
        // It was told as a run stopped inside its first epoch, though its best checkpoint and metrics.json say otherwise.
        var folder = Directory.CreateDirectory(Path.Combine(_root, $"last-removed-{finished}")).FullName;
        File.Copy(Path.Combine(_run, "checkpoint"), Path.Combine(folder, "checkpoint"));
        if (finished) File.Copy(Path.Combine(_run, "metrics.json"), Path.Combine(folder, "metrics.json"));

        var (code, error) = Run("train", "--data", _log, "--out", folder, "--resume");

        Assert.Equal(1, code);
        Assert.Equal($"error: --resume: {Path.Combine(folder, "last.checkpoint")} is missing, which the run resumes from, and {why}: put the run's last.checkpoint back to go on, " +
            $"give --checkpoint {Path.Combine(folder, "checkpoint")} to eval or export for its best model, or train again without --resume", LastLine(error));
    }

    /// <summary>The lock is taken before the checkpoint is looked for: a resume refused for want of one left its lock file in the user's folder.</summary>
    [Fact]
    public void A_resume_refused_for_want_of_a_checkpoint_leaves_the_folder_as_it_found_it_and_a_lock_it_found_in_place()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, "no-checkpoint")).FullName;
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "the user's");
        var earlierRuns = Directory.CreateDirectory(Path.Combine(_root, "earlier-runs-lock")).FullName;
        File.WriteAllBytes(Path.Combine(earlierRuns, OutputFolder.LockFileName), []); // as every run leaves it

        var (code, error) = Run("train", "--data", _log, "--out", folder, "--resume");
        var (earlierCode, earlierError) = Run("train", "--data", _log, "--out", earlierRuns, "--resume");

        Assert.Equal((1, 1), (code, earlierCode));
        // It said "…/last.checkpoint: cannot use this checkpoint: file not found.", of a folder where no run had started.
        Assert.Equal($"error: --resume: {folder} holds no run to resume ({Path.Combine(folder, "last.checkpoint")} does not exist): train without --resume to start one, " +
            "or give the --out of the run to go on with", LastLine(error));
        Assert.Contains(Path.Combine(earlierRuns, "last.checkpoint"), LastLine(earlierError));
        Assert.Equal(["notes.txt"], Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName));
        Assert.Equal([OutputFolder.LockFileName], Directory.EnumerateFileSystemEntries(earlierRuns).Select(Path.GetFileName));
    }

    [Fact]
    public void A_folder_in_use_is_told_so_before_its_checkpoint_is_looked_for()
    {
        // It was told the checkpoint was missing: a running experiment has not written its runs' checkpoints yet, and a
        // second try would not have found them either until the folder was let go.
        var experiment = Path.Combine(_root, "running-experiment");
        var runFolder = Path.Combine(experiment, "gmf", "ns", "seed42");
        using (OutputFolder.Lock(experiment, "--out"))
        {
            var (insideCode, inside) = Run("train", "--data", _log, "--resume", "--out", runFolder);
            var (heldCode, held) = Run("train", "--data", _log, "--resume", "--out", experiment);

            Assert.Equal((1, 1), (insideCode, heldCode));
            Assert.StartsWith($"error: --out {runFolder} is inside {experiment}, which another run is writing", LastLine(inside));
            Assert.StartsWith($"error: --out {experiment} is in use by another run", LastLine(held));
            Assert.False(Directory.Exists(Path.Combine(experiment, "gmf"))); // refused before any folder was made
        }
    }

    [Fact]
    public void Another_log_is_refused_with_what_differs()
    {
        var (code, error) = Run("train", "--data", _otherLog, "--resume", "--epochs", "2", "--out", _run);
        Assert.Equal(1, code);
        Assert.Contains("cannot use this checkpoint", LastLine(error));
        Assert.Contains("the checkpoint", LastLine(error));
    }

    [Theory]
    [InlineData("train")]
    [InlineData("eval")]
    [InlineData("export")]
    public void The_same_log_with_its_user_ids_renamed_in_order_is_refused_saying_the_ids_differ(string verb)
    {
        // Users +1000 keep the ids' order, so the dense indices, the split and every row's hash are the checkpoint's: only the raw ids differ,
        // and the model would serve each user's embedding under another id.
        var log = InverseLearning.Data.InteractionLogParquet.Read(_log);
        for (var r = 0; r < log.UserId.Length; r++) log.UserId[r] += 1000;
        var renamed = Path.Combine(Directory.CreateDirectory(Path.Combine(_root, "renamed")).FullName, "interactions.parquet");
        InverseLearning.Data.InteractionLogParquet.Write(log, renamed);
        var copy = Path.Combine(_root, $"renamed-{verb}");
        CopyFolder(_run, copy);
        var checkpoint = Path.Combine(copy, Checkpoint.BestFileName);

        var (code, error) = verb switch
        {
            "train" => Run("train", "--data", renamed, "--resume", "--epochs", "2", "--out", copy),
            "eval" => Run("eval", "--checkpoint", checkpoint, "--data", renamed),
            _ => Run("export", "--checkpoint", checkpoint, "--data", renamed, "--out", Path.Combine(_root, "renamed-model")),
        };

        Assert.Equal(1, code);
        Assert.Contains("cannot use this checkpoint: this log has the same sizes but other user ids than the checkpoint was trained on (the ids differ", LastLine(error));
        Assert.False(Directory.Exists(Path.Combine(_root, "renamed-model")));
    }

    [Theory]
    [InlineData("eval")]
    [InlineData("export")]
    public void A_label_threshold_other_than_the_checkpoints_is_refused_by_eval_and_export_naming_it(string verb)
    {
        var checkpoint = Path.Combine(_run, Checkpoint.BestFileName);
        string[] target = verb == "export" ? ["--out", Path.Combine(_root, "threshold-export")] : [];

        var (code, error) = Run([verb, "--checkpoint", checkpoint, "--data", _log, "--finish-positive-above", "0.9", .. target]);

        Assert.Equal(1, code);
        Assert.Equal($"error: --finish-positive-above 0.9 contradicts the checkpoint, which was trained with --finish-positive-above 0.8: give that one", LastLine(error));
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }

    [Fact]
    public void A_resume_without_labels_labels_the_rows_as_its_run_did()
    {
        // Left out on resume, --labels is the checkpoint's, not auto's pick from the log's columns (here finish-rate).
        var run = Path.Combine(_root, "implicit");
        var (trained, trainError) = Run("train", "--data", _log, "--labels", "implicit", "--epochs", "1", "--dim", "4", "--threads", "1", "--out", run);
        Assert.True(trained == 0, trainError);

        var (code, error) = Run("train", "--data", _log, "--resume", "--epochs", "2", "--out", run);

        Assert.True(code == 0, error);
        Assert.Contains("labels: implicit;", error);
    }

    [Fact]
    public void A_resume_from_inside_an_epoch_says_where_inside_it()
    {
        var inside = Path.Combine(_root, "inside");
        CopyFolder(_run, inside);
        // The finished run's checkpoint, its header made that of one --checkpoint-every took at step 2 of epoch 1.
        Artifacts.CheckpointHeaders.Rewrite(Path.Combine(inside, Checkpoint.LastFileName), header =>
        {
            header["run"]!["epochs_done"] = 0;
            header["run"]!["phase_epochs_done"] = 0;
            header["run"]!["position"] = new JsonObject { ["pass"] = 0, ["batches"] = 2, ["loss"] = 0.5, ["steps"] = 2 };
        });

        var (_, error) = Run("train", "--data", _log, "--resume", "--epochs", "1", "--method", "srns", "--dim", "4", "--threads", "1", "--out", inside);

        // It was told "after epoch 0", as if no step of the epoch had been taken.
        Assert.Contains(" inside epoch 1, after its step 2", error.Split('\n').Single(line => line.StartsWith("resuming ", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_same_flags_and_more_epochs_resume()
    {
        var (code, error) = Run("train", "--data", _log, "--resume", "--epochs", "2", "--method", "srns", "--dim", "4", "--out", _run);
        Assert.True(code == 0, error);
        Assert.Contains("resuming", error);
    }

    [Fact]
    public void A_schedule_shorter_than_the_epochs_a_phase_has_trained_is_refused_naming_its_flag()
    {
        Assert.Equal(0, Run("train", "--data", _log, "--resume", "--epochs", "2", "--out", _run).Code);
        var metrics = File.ReadAllText(Path.Combine(_run, "metrics.json"));

        var (code, error) = Run("train", "--data", _log, "--resume", "--epochs", "1", "--out", _run);

        Assert.Equal(1, code);
        Assert.Equal("error: --resume: the run has trained 2 epochs of its srns phase (2 in all), and --epochs 1 would end it before them; give --epochs 2 or more", LastLine(error));
        Assert.Equal(metrics, File.ReadAllText(Path.Combine(_run, "metrics.json")));
    }

    [Fact]
    public void A_finetuned_run_resumes_with_its_epochs_counted_per_phase()
    {
        var run = Path.Combine(_root, "finetuned");
        string[] start = ["train", "--data", _log, "--method", "ns", "--epochs", "1", "--finetune-epochs", "1", "--dim", "4", "--threads", "1", "--out", run];
        var (code, error) = Run(start);
        Assert.True(code == 0, error);

        // Three epochs in all against --epochs 1: the finetune phase's count is what resuming compares.
        (code, error) = Run("train", "--data", _log, "--resume", "--finetune-epochs", "2", "--out", run);
        Assert.True(code == 0, error);
        (code, error) = Run("train", "--data", _log, "--resume", "--out", run);
        Assert.True(code == 0, error);
        (code, error) = Run("train", "--data", _log, "--resume", "--finetune-epochs", "1", "--out", run);
        Assert.Equal(1, code);
        Assert.Equal("error: --resume: the run has trained 2 epochs of its finetune phase (3 in all), and --finetune-epochs 1 would end it before them; give --finetune-epochs 2 or more", LastLine(error));
        // The method's phase is finished: its epochs may not change, down or up.
        foreach (var epochs in new[] { "2", "3" })
        {
            (code, error) = Run("train", "--data", _log, "--resume", "--epochs", epochs, "--out", run);
            Assert.Equal(1, code);
            Assert.Equal($"error: --resume: the run's 1 finished phase (ns) trained 1 epoch, and these flags give them {epochs}; give --epochs as the run was started", LastLine(error));
        }
    }

    [Fact]
    public void A_run_resumed_past_epoch_1_reports_the_epoch_1_annotation_as_an_uninterrupted_run_does()
    {
        // What a run killed after epoch 1 leaves: its checkpoints, without the outputs written at the end.
        foreach (var output in new[] { "metrics.json", "idl_weights_epoch1.png", "idl_weights_final.png" })
            File.Delete(Path.Combine(_run, output));
        var straight = Path.Combine(_root, "straight");

        var resumed = Run("train", "--data", _log, "--resume", "--epochs", "2", "--method", "srns", "--dim", "4", "--threads", "1", "--out", _run);
        var uninterrupted = Run("train", "--data", _log, "--method", "srns", "--epochs", "2", "--dim", "4", "--threads", "1", "--out", straight);

        Assert.True(resumed.Code == 0, resumed.Error);
        Assert.True(uninterrupted.Code == 0, uninterrupted.Error);
        var expected = Metrics(straight)["annotation_after_epoch_1"];
        Assert.NotNull(expected);
        Assert.True(JsonNode.DeepEquals(expected, Metrics(_run)["annotation_after_epoch_1"]),
            $"resumed: {Metrics(_run)["annotation_after_epoch_1"]?.ToJsonString() ?? "none"}, uninterrupted: {expected.ToJsonString()}");
        Assert.True(File.Exists(Path.Combine(_run, "idl_weights_epoch1.png")));
    }

    [Fact]
    public void A_resume_without_epochs_continues_the_checkpoints_run_not_one_of_the_default_length()
    {
        // The fixture's run finished its 1 epoch: resumed with no --epochs there is nothing left to train (the default is 10).
        var (code, error) = Run("train", "--data", _log, "--resume", "--out", _run);

        Assert.True(code == 0, error);
        Assert.DoesNotContain("epoch 2", error);
        Assert.Equal(1, (int)Metrics(_run)["settings"]!["Epochs"]!);
    }

    /// <summary>A checkpoint is where the tables are read from and written to, whichever store: a host run resumed on the device store ends where the host run does.</summary>
    [Fact]
    public void A_host_store_run_resumed_on_the_device_store_ends_with_the_uninterrupted_runs_metrics()
    {
        var straight = Path.Combine(_root, "straight-host");
        var resumed = Run("train", "--data", _log, "--resume", "--epochs", "2", "--store", "device", "--method", "srns", "--dim", "4", "--threads", "1", "--out", _run);
        var uninterrupted = Run("train", "--data", _log, "--method", "srns", "--epochs", "2", "--store", "host", "--dim", "4", "--threads", "1", "--out", straight);

        Assert.True(resumed.Code == 0, resumed.Error);
        Assert.True(uninterrupted.Code == 0, uninterrupted.Error);
        foreach (var split in new[] { "valid", "test" })
            Assert.True(JsonNode.DeepEquals(Metrics(straight)[split], Metrics(_run)[split]),
                $"{split}: resumed on the device store {Metrics(_run)[split]?.ToJsonString()}, uninterrupted on the host store {Metrics(straight)[split]?.ToJsonString()}");
    }

    private static JsonObject Metrics(string run) => JsonNode.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")))!.AsObject();

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
