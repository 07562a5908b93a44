using InverseLearning.Training.Reports;
namespace InverseLearning.Training.Tests.EndToEnd;

/// <summary>An experiment started again into its --out reuses the runs an earlier start finished, and only those of its very settings and data.</summary>
public class ExperimentReuseTests : IClassFixture<TinyFeed>
{
    private static readonly TrainSettings Settings = new() { Epochs = 1, BatchSize = 1024, LearningRate = 5e-3, Dim = 4, Threads = 1, Seed = 3 };
    // A warm-up epoch trains on the likes (D*): the run's record holds their hash.
    private static readonly TrainSettings ReadsLikes = Settings.WithOption(InverseLearning.Training.Strategies.Warmup.Epochs, 1);
    private static readonly DataSource Source = new("log.parquet", null, "auto", 0.8, 0.2, 3, 2, 1, 5, "fail", "like", "truth");

    private readonly TinyFeed _feed;

    public ExperimentReuseTests(TinyFeed feed) => _feed = feed;

    private Experiment.Outcome Run(string folder, List<string> log, TrainSettings? settings = null, DataSource? source = null, CancellationToken cancel = default,
        string model = "gmf", InverseLearning.Data.PreparedDataset? data = null) =>
        Experiment.Run(new Experiment.Plan(settings ?? Settings, ["none"], [model], Repeats: 1, LearningRateRatios: [], Source: source ?? Source),
            data ?? _feed.Data, _feed.Truth, folder, observer: null, log: log.Add, cancel: cancel);

    private static string Metrics(string folder, string model = "gmf") => Path.Combine(folder, model, "none", "seed3", MetricsJson.FileName);

    // The run's metrics.json rewritten as an earlier build wrote it.
    private static void EditMetrics(string folder, Action<System.Text.Json.Nodes.JsonNode> edit)
    {
        var metrics = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Metrics(folder)))!;
        edit(metrics);
        File.WriteAllText(Metrics(folder), metrics.ToJsonString());
    }

    [Fact]
    public void A_second_start_reuses_the_finished_run_without_training_it()
    {
        var folder = _feed.Scratch("reuse-same");
        var first = Run(folder, []);
        var (bytes, written) = (File.ReadAllBytes(Metrics(folder)), File.GetLastWriteTimeUtc(Metrics(folder)));

        var log = new List<string>();
        var second = Run(folder, log);

        Assert.Equal(bytes, File.ReadAllBytes(Metrics(folder)));
        Assert.Equal(written, File.GetLastWriteTimeUtc(Metrics(folder)));
        Assert.Equal(first.Runs.Single().Test, second.Runs.Single().Test);
        Assert.Equal(first.Runs.Single().CleanTest, second.Runs.Single().CleanTest);
        Assert.Contains(log, line => line.StartsWith("gmf / none / seed 3: run 1 of 1: reused", StringComparison.Ordinal));
        Assert.Contains("reused 1 of 1 run finished by an earlier start of this experiment (same settings and data); trained 0", log);
    }

    [Fact]
    public void A_run_of_other_settings_is_trained_again()
    {
        var folder = _feed.Scratch("reuse-other-settings");
        Run(folder, []);

        var log = new List<string>();
        Run(folder, log, Settings with { Dim = 5 });

        Assert.Contains(log, line => line.Contains("holds a run of other settings: --dim; trained again", StringComparison.Ordinal));
        Assert.Contains(log, line => line.StartsWith("gmf / none / seed 3: run 1 of 1 (", StringComparison.Ordinal));
        Assert.Equal(5, MetricsJson.Read(Metrics(folder)).Extra["settings"]!["Dim"]!.GetValue<int>());
    }

    /// <summary>--checkpoint-every changes no result: a finished run is reused whatever it was ("other settings: CheckpointEvery; trained again" before).</summary>
    [Fact]
    public void A_finished_run_is_reused_whatever_its_checkpoint_every()
    {
        var folder = _feed.Scratch("reuse-checkpoint-every");
        Run(folder, []);

        var log = new List<string>();
        Run(folder, log, Settings with { CheckpointEvery = 3 });

        Assert.Contains(log, line => line.StartsWith("gmf / none / seed 3: run 1 of 1: reused", StringComparison.Ordinal));
    }

    [Fact]
    public void A_run_of_other_data_flags_is_trained_again()
    {
        var folder = _feed.Scratch("reuse-other-data");
        Run(folder, []);

        var log = new List<string>();
        Run(folder, log, source: Source with { Where = "day>=2024-01-10" });

        Assert.Contains(log, line => line.Contains("holds a run of other data: where; trained again", StringComparison.Ordinal));
        Assert.Equal("day>=2024-01-10", MetricsJson.Read(Metrics(folder)).Extra["data"]!["where"]!.GetValue<string>());
    }

    /// <summary>The same log with every like flipped, for a run whose warm-up trains on them: the same labeled rows, other extra feedback ("reused", with the old log's figures, before).</summary>
    [Fact]
    public void A_run_that_reads_likes_on_a_log_whose_likes_changed_is_trained_again_saying_why()
    {
        var folder = _feed.Scratch("reuse-other-likes");
        Run(folder, [], ReadsLikes);
        Assert.NotNull(MetricsJson.Read(Metrics(folder)).Extra["data"]!["fingerprint"]!["extra_feedback"]);
        var relabeled = _feed.WithLikesFlipped();

        var log = new List<string>();
        Run(folder, log, ReadsLikes, data: relabeled);

        Assert.Contains(log, line => line.Contains("holds a run of other data: fingerprint (this log has the same labeled rows but other extra feedback (likes) than the checkpoint " +
            "was trained on (", StringComparison.Ordinal) && line.EndsWith("; trained again", StringComparison.Ordinal));
        Assert.Contains(log, line => line.StartsWith("gmf / none / seed 3: run 1 of 1 (", StringComparison.Ordinal));
    }

    /// <summary>A run no strategy of which reads the likes does not depend on them: its record holds no hash of them ("trained again" before).</summary>
    [Fact]
    public void A_run_that_reads_no_likes_is_reused_when_only_the_likes_changed()
    {
        var folder = _feed.Scratch("reuse-unread-likes");
        Run(folder, []);
        var fingerprint = MetricsJson.Read(Metrics(folder)).Extra["data"]!["fingerprint"]!.AsObject();
        Assert.False(fingerprint.ContainsKey("extra_feedback"));
        Assert.True(fingerprint.ContainsKey("unlabeled"));

        var log = new List<string>();
        Run(folder, log, data: _feed.WithLikesFlipped());

        Assert.Contains(log, line => line.StartsWith("gmf / none / seed 3: run 1 of 1: reused", StringComparison.Ordinal));
    }

    /// <summary>A record an earlier build wrote with the likes' hash for a run that reads none is compared as the run depends on the data.</summary>
    [Fact]
    public void An_earlier_builds_record_of_unread_likes_is_reused_when_only_the_likes_changed()
    {
        var folder = _feed.Scratch("reuse-recorded-unread-likes");
        Run(folder, []);
        // Written as stop 54's build did: the likes' hash for every run (of the log the second start's likes are flipped from).
        var original = InverseLearning.Training.Artifacts.DataFingerprint.Of(_feed.Data).ExtraFeedback!.Value.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
        EditMetrics(folder, metrics => metrics["data"]!["fingerprint"]!["extra_feedback"] = original);

        var log = new List<string>();
        Run(folder, log, data: _feed.WithLikesFlipped());

        Assert.Contains(log, line => line.StartsWith("gmf / none / seed 3: run 1 of 1: reused", StringComparison.Ordinal));
    }

    [Fact]
    public void An_earlier_builds_record_without_the_extra_feedback_and_unlabeled_hashes_is_reused()
    {
        var folder = _feed.Scratch("reuse-record-without-beside-hashes");
        Run(folder, [], ReadsLikes);
        // Written as builds before 2026-12-07 did: the labeled rows' hash alone.
        EditMetrics(folder, metrics =>
        {
            var fingerprint = metrics["data"]!["fingerprint"]!.AsObject();
            Assert.True(fingerprint.Remove("extra_feedback"));
            Assert.True(fingerprint.Remove("unlabeled"));
        });

        var log = new List<string>();
        Run(folder, log, ReadsLikes);

        Assert.Contains(log, line => line.StartsWith("gmf / none / seed 3: run 1 of 1: reused", StringComparison.Ordinal));
    }

    [Fact]
    public void A_record_whose_fingerprint_lacks_its_rows_hash_is_not_reused()
    {
        // Nothing to compare the data with (a hand-edited or cut metrics.json): told, and trained again, never reused unchecked.
        var folder = _feed.Scratch("reuse-record-without-rows-hash");
        Run(folder, []);
        EditMetrics(folder, metrics => Assert.True(metrics["data"]!["fingerprint"]!.AsObject().Remove("hash")));

        var log = new List<string>();
        Run(folder, log);

        Assert.Contains(log, line => line.Contains("holds a run of other data: fingerprint (none readable recorded)", StringComparison.Ordinal)
            && line.EndsWith("; trained again", StringComparison.Ordinal));
    }

    [Fact]
    public void The_same_filter_typed_otherwise_is_the_same_data()
    {
        var folder = _feed.Scratch("reuse-where-spelled");
        Run(folder, [], source: Source with { Where = "day>=2024-01-02,day<2024-01-20" });

        var log = new List<string>();
        Run(folder, log, source: Source with { Where = "day < 2024-01-20 and day >= 2024-01-02" });

        Assert.Contains(log, line => line.StartsWith("gmf / none / seed 3: run 1 of 1: reused", StringComparison.Ordinal));
        Assert.Equal("day<2024-01-20,day>=2024-01-02", MetricsJson.Read(Metrics(folder)).Extra["data"]!["where"]!.GetValue<string>());
    }

    [Fact]
    public void The_same_log_spelled_otherwise_is_the_same_data()
    {
        var folder = _feed.Scratch("reuse-path-spelled");
        Run(folder, []);

        var log = new List<string>();
        Run(folder, log, source: Source with { Data = "./log.parquet" });

        // The path as typed differs; its full path, which the reuse compares, does not.
        Assert.Contains(log, line => line.StartsWith("gmf / none / seed 3: run 1 of 1: reused", StringComparison.Ordinal));
    }

    [Fact]
    public void A_run_of_another_plugin_option_is_trained_again_naming_its_flag()
    {
        var folder = _feed.Scratch("reuse-other-option");
        Run(folder, [], Settings.WithOption(InverseLearning.Training.Models.TowerOptions.Layers, 1), model: "mlp");

        var log = new List<string>();
        Run(folder, log, Settings.WithOption(InverseLearning.Training.Models.TowerOptions.Layers, 2), model: "mlp");

        Assert.Contains(log, line => line.Contains("holds a run of other settings: --layers; trained again", StringComparison.Ordinal));
    }

    [Fact]
    public void Options_of_other_models_and_methods_are_neither_recorded_nor_compared()
    {
        var folder = _feed.Scratch("reuse-others-options");
        var sampleRate = InverseLearning.Training.Methods.InverseGradient.InverseGradientMethod.SampleLearningRate;
        Run(folder, [], Settings.WithOption(sampleRate, 2e-3).WithOption(InverseLearning.Training.Models.TowerOptions.Layers, 1));
        var recorded = MetricsJson.Read(Metrics(folder)).Extra["settings"]!["Options"]!.AsObject().Select(o => o.Key).ToList();
        Assert.DoesNotContain("sample-lr", recorded);
        Assert.DoesNotContain("layers", recorded);

        var log = new List<string>();
        Run(folder, log, Settings.WithOption(sampleRate, 3e-3).WithOption(InverseLearning.Training.Methods.TruncatedLoss.MaxDropRate, 0.3));

        Assert.Contains(log, line => line.StartsWith("gmf / none / seed 3: run 1 of 1: reused", StringComparison.Ordinal));
    }

    [Fact]
    public void An_earlier_builds_record_of_every_plugins_options_is_reused()
    {
        var folder = _feed.Scratch("reuse-older-record");
        Run(folder, []);
        // Written as builds before 2026-12-07 did: every declared option, here another model's and method's at other values than now.
        EditMetrics(folder, metrics =>
        {
            var options = metrics["settings"]!["Options"]!.AsObject();
            options["sample-lr"] = 0.5;
            options["lightgcn-layers"] = 2;
        });

        var log = new List<string>();
        Run(folder, log, Settings.WithOption(InverseLearning.Training.Models.LightGcnBackbone.Layers, 5));

        Assert.Contains(log, line => line.StartsWith("gmf / none / seed 3: run 1 of 1: reused", StringComparison.Ordinal));
    }

    [Fact]
    public void A_cancel_says_which_runs_are_kept_and_that_the_same_command_goes_on()
    {
        using var stop = new CancellationTokenSource();
        var log = new List<string>();
        void Log(string line)
        {
            log.Add(line);
            if (line.Contains(": test AUC")) stop.Cancel();
        }

        Assert.ThrowsAny<OperationCanceledException>(() => Experiment.Run(new Experiment.Plan(Settings, ["none", "ns"], ["gmf"], Repeats: 1, LearningRateRatios: []),
            _feed.Data, _feed.Truth, _feed.Scratch("reuse-cancelled"), observer: null, log: Log, cancel: stop.Token));

        Assert.Contains(log, line => line.StartsWith("cancelled: 1 of 2 runs finished and are kept in ", StringComparison.Ordinal) &&
            line.EndsWith("run the same command again to go on: it reuses them and trains the rest", StringComparison.Ordinal));
    }
}
