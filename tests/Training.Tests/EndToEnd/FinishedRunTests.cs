using System.Text.Json.Nodes;
using InverseLearning.Training.Artifacts;
using InverseLearning.Training.Reports;
namespace InverseLearning.Training.Tests.EndToEnd;

/// <summary>
/// Which finished run an experiment started again reuses: only one whose metrics.json records these very settings and data, field
/// by field, and holds every figure the experiment reports. Each test changes one thing: the data record now, or the run's metrics.json.
/// </summary>
public class FinishedRunTests : IClassFixture<TinyFeed>
{
    private static readonly TrainSettings Base = new() { Epochs = 1, BatchSize = 1024, LearningRate = 5e-3, Dim = 4, Threads = 1, Seed = 3 };
    private static readonly DataSource Source = new("log.parquet", null, "auto", 0.8, 0.2, 3, 2, 1, 5, "fail", "like", "truth");

    private readonly TinyFeed _feed;

    public FinishedRunTests(TinyFeed feed) => _feed = feed;

    private DataRecord Record => new(Source, GroundTruth: true, DataFingerprint.Of(_feed.Data));

    // The settings the experiment's one run had, and its folder.
    private (TrainSettings Settings, string Folder) Finished(string name, TrainSettings? settings = null)
    {
        var plan = settings ?? Base;
        var folder = _feed.Scratch(name);
        Experiment.Run(new Experiment.Plan(plan, ["none"], ["gmf"], Repeats: 1, LearningRateRatios: [], Source: Source),
            _feed.Data, _feed.Truth, folder, observer: null, log: _ => { });
        var run = plan with { Model = "gmf", Method = "none", SplitSeed = plan.EffectiveSplitSeed };
        var runFolder = Path.Combine(folder, "gmf", "none", $"seed{plan.Seed}");
        Assert.NotNull(FinishedRun.Read(run, runFolder, Record, withTruth: true, out _));
        return (run, runFolder);
    }

    private static void Edit(string runFolder, Action<JsonObject> edit)
    {
        var path = Path.Combine(runFolder, MetricsJson.FileName);
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(root);
        File.WriteAllText(path, root.ToJsonString());
    }

    [Fact]
    public void A_run_of_other_data_with_the_same_counts_is_not_reused()
    {
        // Another log of as many users, items and rows, or the same rows labeled otherwise: only the fingerprint's hash differs.
        var (settings, folder) = Finished("other-hash");
        var record = Record with { Fingerprint = Record.Fingerprint with { Hash = Record.Fingerprint.Hash ^ 1 } };

        Assert.Null(FinishedRun.Read(settings, folder, record, withTruth: true, out var other));

        Assert.StartsWith("holds a run of other data: fingerprint (this log has the same sizes but other labeled rows", other);
    }

    [Fact]
    public void A_run_whose_record_lacks_a_setting_is_not_reused_even_where_that_setting_is_null_now()
    {
        // An earlier build's metrics.json, made before the setting was: null now, it is no setting that run was made with.
        var (settings, folder) = Finished("lacking-a-setting");
        Assert.Null(settings.FullRankingTopK);
        Edit(folder, root => root["settings"]!.AsObject().Remove(nameof(TrainSettings.FullRankingTopK)));

        Assert.Null(FinishedRun.Read(settings, folder, Record, withTruth: true, out var other));

        Assert.Equal("holds a run of other settings: --eval", other);
    }

    [Fact]
    public void A_run_without_the_full_ranking_its_settings_ask_for_is_not_reused()
    {
        // Reused, the experiment would have a run with no full ranking, and leave out full_ranking.md for all.
        var (settings, folder) = Finished("no-full-ranking", Base with { FullRankingTopK = [10] });
        Edit(folder, root => Assert.True(root.Remove("full_ranking")));

        Assert.Null(FinishedRun.Read(settings, folder, Record, withTruth: true, out var other));

        Assert.Equal($"cannot be reused: its {MetricsJson.FileName} lacks a figure the experiment reports", other);
    }
}
