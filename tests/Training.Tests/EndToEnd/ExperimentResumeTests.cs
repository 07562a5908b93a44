using InverseLearning.Data;
using InverseLearning.Training.Tests.Runner;
namespace InverseLearning.Training.Tests.EndToEnd;

/// <summary>
/// An experiment started again resumes a run an earlier start left unfinished from its last.checkpoint, as train --resume would,
/// where the checkpoint is of the same settings and data; one of other settings or data is trained again from scratch, saying why.
/// </summary>
public class ExperimentResumeTests(TinyFeed feed) : IClassFixture<TinyFeed>
{
    private static readonly TrainSettings Settings = new() { Epochs = 2, BatchSize = 1024, LearningRate = 5e-3, Dim = 4, Threads = 1, Seed = 3 };

    private static Experiment.Outcome Run(string folder, TrainSettings settings, PreparedDataset data, List<string> log, ITrainingObserver? observer = null,
        CancellationToken cancel = default, Action<string>? keptRun = null) =>
        Experiment.Run(new Experiment.Plan(settings, ["none"], ["gmf"], Repeats: 1, LearningRateRatios: []), data, truth: null, folder, observer, log.Add, cancel,
            keptRun: keptRun);

    // A start of the experiment stopped after its run's first epoch, its last.checkpoint saved.
    private static void StoppedAfterFirstEpoch(string folder, TrainSettings settings, PreparedDataset data)
    {
        using var stop = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => Run(folder, settings, data, [], new AtEpochEnd(_ => stop.Cancel()), stop.Token));
        Assert.True(File.Exists(Path.Combine(folder, "gmf", "none", "seed3", "last.checkpoint")));
        Assert.False(File.Exists(Path.Combine(folder, "gmf", "none", "seed3", "metrics.json")));
    }

    [Fact]
    public void A_run_stopped_after_an_epoch_is_resumed_from_its_last_checkpoint_and_ends_as_an_uninterrupted_one()
    {
        var folder = feed.Scratch("experiment-resume");
        StoppedAfterFirstEpoch(folder, Settings, feed.Data);
        var log = new List<string>();

        var kept = new List<string>();

        var resumed = Run(folder, Settings, feed.Data, log, keptRun: kept.Add);

        Assert.Contains(log, line => line.StartsWith("gmf / none / seed 3: run 1 of 1: resumed after epoch 1 (", StringComparison.Ordinal));
        // Its files from before the stop are its own: the experiment's note on earlier files does not name them.
        Assert.Equal([Path.Combine(folder, "gmf", "none", "seed3")], kept);
        var whole = Run(feed.Scratch("experiment-resume-whole"), Settings, feed.Data, []);
        Assert.Equal(whole.Runs[0].Test.Auc, resumed.Runs[0].Test.Auc);
    }

    [Fact]
    public void A_last_checkpoint_whose_tables_fail_their_checksum_is_trained_again_from_scratch()
    {
        // Its header reads whole, at its length: only loading its tables finds them damaged, as the resumed run begins.
        var folder = feed.Scratch("experiment-resume-damaged");
        StoppedAfterFirstEpoch(folder, Settings, feed.Data);
        var last = Path.Combine(folder, "gmf", "none", "seed3", "last.checkpoint");
        var bytes = File.ReadAllBytes(last);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(last, bytes);
        var log = new List<string>();

        var again = Run(folder, Settings, feed.Data, log);

        Assert.Contains(log, line => line.Contains("the checksum of its parameters does not match", StringComparison.Ordinal)
            && line.EndsWith("; trained again from scratch", StringComparison.Ordinal));
        var whole = Run(feed.Scratch("experiment-resume-damaged-whole"), Settings, feed.Data, []);
        Assert.Equal(whole.Runs[0].Test.Auc, again.Runs[0].Test.Auc);
    }

    [Fact]
    public void A_run_missing_its_best_checkpoint_is_trained_again_from_scratch_saying_why()
    {
        // Resumed, it would end on the best parameters so far, which only that checkpoint holds.
        var folder = feed.Scratch("experiment-resume-no-best");
        StoppedAfterFirstEpoch(folder, Settings, feed.Data);
        var best = Path.Combine(folder, "gmf", "none", "seed3", "checkpoint");
        Assert.True(File.Exists(best));
        File.Delete(best);
        var log = new List<string>();

        Run(folder, Settings, feed.Data, log);

        Assert.Contains(log, line => line.EndsWith("cannot be resumed: its checkpoint is missing, which holds its best epoch's parameters; trained again from scratch",
            StringComparison.Ordinal));
        Assert.Contains(log, line => line.StartsWith("gmf / none / seed 3: run 1 of 1 (", StringComparison.Ordinal));
    }

    [Fact]
    public void A_last_checkpoint_of_other_settings_is_trained_again_from_scratch_saying_why()
    {
        var folder = feed.Scratch("experiment-resume-other-settings");
        StoppedAfterFirstEpoch(folder, Settings, feed.Data);
        var log = new List<string>();

        Run(folder, Settings with { Dim = 8 }, feed.Data, log);

        Assert.Contains(log, line => line.EndsWith("cannot be resumed: its last.checkpoint is of other settings: --dim 4 (now 8); trained again from scratch", StringComparison.Ordinal));
        Assert.Contains(log, line => line.StartsWith("gmf / none / seed 3: run 1 of 1 (", StringComparison.Ordinal));
    }

    /// <summary>
    /// train --resume's rule: a run started again with another --checkpoint-every or more --epochs is the same run, and goes on from
    /// its last.checkpoint. Both were "other settings: CheckpointEvery" (or Epochs), and the run was trained again from scratch.
    /// </summary>
    [Fact]
    public void A_run_started_again_with_what_a_resume_may_change_is_resumed()
    {
        var folder = feed.Scratch("experiment-resume-checkpoint-every");
        StoppedAfterFirstEpoch(folder, Settings, feed.Data);
        var log = new List<string>();

        var resumed = Run(folder, Settings with { CheckpointEvery = 3, Epochs = 3 }, feed.Data, log);

        Assert.Contains(log, line => line.StartsWith("gmf / none / seed 3: run 1 of 1: resumed after epoch 1 (", StringComparison.Ordinal));
        Assert.DoesNotContain(log, line => line.Contains("trained again", StringComparison.Ordinal));
        var whole = Run(feed.Scratch("experiment-resume-checkpoint-every-whole"), Settings with { Epochs = 3 }, feed.Data, []);
        Assert.Equal(whole.Runs[0].Test.Auc, resumed.Runs[0].Test.Auc);
    }

    /// <summary>A last.checkpoint --checkpoint-every took inside the first epoch is told as such: the line said "resumed after epoch 0".</summary>
    [Fact]
    public void A_run_stopped_inside_an_epoch_is_told_where_inside_it_resumes()
    {
        var folder = feed.Scratch("experiment-resume-inside-epoch");
        var settings = Settings with { BatchSize = 64, CheckpointEvery = 3 };
        using (var stop = new CancellationTokenSource())
            Assert.ThrowsAny<OperationCanceledException>(() => Run(folder, settings, feed.Data, [], new Cluster.AtBatch(4, stop.Cancel), stop.Token));
        var log = new List<string>();

        Run(folder, settings, feed.Data, log);

        // A multiple of --checkpoint-every: where the cancel was seen depends on the machine.
        Assert.Contains(log, line => System.Text.RegularExpressions.Regex.Match(line, @"^gmf / none / seed 3: run 1 of 1: resumed inside epoch 1, after its step (\d+) \(") is
            { Success: true } found && int.Parse(found.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) % 3 == 0);
    }

    /// <summary>Fewer --epochs than the checkpoint has trained, which train --resume refuses: the experiment trains the run again from scratch, saying why.</summary>
    [Fact]
    public void A_run_started_again_with_fewer_epochs_than_it_trained_is_trained_again_from_scratch()
    {
        var folder = feed.Scratch("experiment-resume-fewer-epochs");
        using (var stop = new CancellationTokenSource())
            Assert.ThrowsAny<OperationCanceledException>(() => Run(folder, Settings with { Epochs = 3 }, feed.Data, [], new AtEpochEnd(epoch => { if (epoch == 2) stop.Cancel(); }), stop.Token));
        var log = new List<string>();

        var again = Run(folder, Settings with { Epochs = 1 }, feed.Data, log);

        Assert.Contains(log, line => line.EndsWith("cannot be resumed: the run has trained 2 epochs of its none phase (2 in all), and --epochs 1 would end it before them; " +
            "give --epochs 2 or more; trained again from scratch", StringComparison.Ordinal));
        var whole = Run(feed.Scratch("experiment-resume-fewer-epochs-whole"), Settings with { Epochs = 1 }, feed.Data, []);
        Assert.Equal(whole.Runs[0].Test.Auc, again.Runs[0].Test.Auc);
    }

    /// <summary>
    /// A last.checkpoint taken inside epoch 2 has begun it: --epochs 1 took it, and the run ended on a model trained into epoch 2
    /// (its best epoch 2 under --eval-every), recorded as a run of one epoch, which later starts then reused.
    /// </summary>
    [Fact]
    public void A_run_started_again_with_epochs_ending_before_the_one_its_checkpoint_is_inside_is_trained_again_from_scratch()
    {
        var folder = feed.Scratch("experiment-resume-inside-fewer-epochs");
        var settings = Settings with { BatchSize = 64, CheckpointEvery = 3 };
        using (var stop = new CancellationTokenSource())
            Assert.ThrowsAny<OperationCanceledException>(() => Run(folder, settings, feed.Data, [], new InEpoch(2, afterBatches: 4, stop.Cancel), stop.Token));
        var log = new List<string>();

        var again = Run(folder, settings with { Epochs = 1 }, feed.Data, log);

        Assert.Contains(log, line => System.Text.RegularExpressions.Regex.IsMatch(line, @"cannot be resumed: the run has trained 1 epoch of its none phase \(1 in all\) " +
            @"and \d+ steps of the next, where its checkpoint was taken, and --epochs 1 would end it before them; give --epochs 2 or more; trained again from scratch$"));
        var whole = Run(feed.Scratch("experiment-resume-inside-fewer-epochs-whole"), settings with { Epochs = 1 }, feed.Data, []);
        Assert.Equal(whole.Runs[0].Test.Auc, again.Runs[0].Test.Auc);
    }

    /// <summary>Acts once, after <c>afterBatches</c> batches of epoch <c>epoch</c>.</summary>
    private sealed class InEpoch(int epoch, int afterBatches, Action act) : ITrainingObserver
    {
        private int _batches;

        public void OnBatch(int epochNow, string phase, int done, int total, float loss, double rowsPerSecond)
        {
            if (epochNow == epoch && ++_batches == afterBatches) act();
        }

        public void OnEpoch(EpochSummary summary) { }
    }

    [Fact]
    public void A_last_checkpoint_of_a_log_whose_likes_changed_is_trained_again_from_scratch_saying_why()
    {
        // A warm-up epoch trains on the likes; a run that reads none holds no hash of them (A_last_checkpoint_of_a_run_that_reads_no_likes_…).
        var settings = Settings.WithOption(InverseLearning.Training.Strategies.Warmup.Epochs, 1);
        var folder = feed.Scratch("experiment-resume-other-likes");
        StoppedAfterFirstEpoch(folder, settings, feed.Data);
        var log = new List<string>();

        Run(folder, settings, feed.WithLikesFlipped(), log);

        Assert.Contains(log, line => line.Contains("cannot be resumed: its last.checkpoint is of other data: this log has the same labeled rows but other extra feedback (likes)",
            StringComparison.Ordinal) && line.EndsWith("; trained again from scratch", StringComparison.Ordinal));
    }

    [Fact]
    public void A_last_checkpoint_of_a_run_that_reads_no_likes_is_resumed_on_a_log_whose_likes_changed()
    {
        var folder = feed.Scratch("experiment-resume-no-likes-read");
        StoppedAfterFirstEpoch(folder, Settings, feed.Data);
        var log = new List<string>();

        Run(folder, Settings, feed.WithLikesFlipped(), log);

        Assert.Contains(log, line => line.StartsWith("gmf / none / seed 3: run 1 of 1: resumed after epoch 1 (", StringComparison.Ordinal));
    }

    /// <summary>Checkpoints of builds before 2026-12-07 hashed the labeled rows alone: they are compared on what they recorded, and resumed.</summary>
    [Fact]
    public void A_last_checkpoint_without_the_extra_feedback_and_unlabeled_hashes_is_resumed()
    {
        var folder = feed.Scratch("experiment-resume-without-beside-hashes");
        StoppedAfterFirstEpoch(folder, Settings, feed.Data);
        foreach (var name in new[] { "last.checkpoint", "checkpoint" })
            Artifacts.CheckpointHeaders.Rewrite(Path.Combine(folder, "gmf", "none", "seed3", name), header =>
            {
                var data = header["run"]!["data"]!.AsObject();
                Assert.True(data.Remove("extra_feedback"));
                Assert.True(data.Remove("unlabeled"));
            });
        var log = new List<string>();

        Run(folder, Settings, feed.Data, log);

        Assert.Contains(log, line => line.StartsWith("gmf / none / seed 3: run 1 of 1: resumed after epoch 1 (", StringComparison.Ordinal));
    }

    [Fact]
    public void A_last_checkpoint_of_another_log_is_trained_again_from_scratch_saying_why()
    {
        var folder = feed.Scratch("experiment-resume-other-data");
        StoppedAfterFirstEpoch(folder, Settings, feed.Data);
        var other = PreparedDataset.Prepare(feed.Log, new LabelingOptions(LabelRule.FinishRate), new SplitOptions(Seed: 9));
        var log = new List<string>();

        Run(folder, Settings, other, log);

        Assert.Contains(log, line => line.Contains("cannot be resumed: its last.checkpoint is of other data: this log has ", StringComparison.Ordinal)
            && line.EndsWith("; trained again from scratch", StringComparison.Ordinal));
        Assert.Contains(log, line => line.StartsWith("gmf / none / seed 3: run 1 of 1 (", StringComparison.Ordinal));
    }
}
