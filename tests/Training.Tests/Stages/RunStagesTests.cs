using System.Text.Json.Nodes;
using InverseLearning.Data;
using InverseLearning.Training.Artifacts;
using InverseLearning.Training.Models;
using InverseLearning.Training.Stages;
using InverseLearning.Training.Strategies;
using InverseLearning.Training.Tests.EndToEnd;
using Microsoft.ML.OnnxRuntime;

namespace InverseLearning.Training.Tests.Stages;

/// <summary>What each stage of a run leaves in its folder: metrics.json's entries (the run's, its plugins' settings, the analyses), the exported model with its metadata and seen list, the training artifacts and the plots.</summary>
public class RunStagesTests(TinyFeed feed) : IClassFixture<TinyFeed>
{
    private static TrainSettings Settings => new TrainSettings
    {
        Model = "neumf", Method = "rce", Epochs = 2, BatchSize = 256, LearningRate = 1e-2, Dim = 4, Threads = 1, Seed = 5, FullRankingTopK = [5],
    }.WithOption(TowerOptions.Layers, 2).WithOption(Warmup.Epochs, 1);

    private static JsonObject Metrics(string folder) => JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "metrics.json")))!.AsObject();

    [Fact]
    public void A_run_with_the_truth_reports_every_measure_and_its_plugins_settings()
    {
        var folder = feed.Scratch("stages-truth");
        var outcome = TrainingRun.Execute(Settings, feed.Data, feed.Truth, folder);
        var metrics = Metrics(folder);
        Assert.Equal("neumf", (string)metrics["model"]!);
        Assert.Equal("rce", (string)metrics["method"]!);
        Assert.Equal(outcome.BestEpoch, (int)metrics["best_epoch"]!);
        Assert.True(double.IsFinite((double)metrics["best_valid_loss"]!));
        var selection = metrics["selection"]!;
        Assert.Equal("loss", (string)selection["metric"]!);
        Assert.Equal((double)metrics["best_valid_loss"]!, (double)selection["value"]!);
        Assert.Equal(outcome.BestEpoch, (int)selection["epoch"]!);
        Assert.InRange((long)selection["step"]!, 1, long.MaxValue);
        Assert.Equal(3, (int)selection["validations"]!);     // the warm-up's epoch and the method's two, at their ends
        Assert.NotNull(metrics["settings"]);
        Assert.Equal(0.25, (double)metrics["method_settings"]!["rce-beta"]!);
        Assert.Equal(2, (double)metrics["model_settings"]!["layers"]!);
        Assert.Equal(1, (double)metrics["warm-up_settings"]!["warmup-epochs"]!);
        Assert.Null(metrics["finetune_settings"]);
        Assert.Equal(outcome.Test.Auc, (double)metrics["test"]!["auc"]!, 12);
        Assert.Equal(outcome.CleanTest!.Auc, (double)metrics["clean_test"]!["auc"]!, 12);
        Assert.Equal(outcome.FullRanking!.RecallAt(5), (double)metrics["full_ranking"]!["recall@5"]!, 12);
        foreach (var analysis in new[] { "annotation", "annotation_after_epoch_1", "annotation_by_source" }) Assert.NotNull(metrics[analysis]);
        Assert.True(outcome.RowsPerSecond > 0);
        Assert.Equal(outcome.RowsPerSecond, (double)metrics["samples_per_second"]!, 6);
        Assert.True(File.Exists(Path.Combine(folder, "idl_weights_epoch1.png")));
        Assert.True(File.Exists(Path.Combine(folder, "idl_weights_final.png")));
        Assert.Equal(["idl_weights_epoch1.png", "idl_weights_final.png"], metrics["reports"]!.AsArray().Select(name => (string)name!));
    }

    [Fact]
    public void A_run_that_fails_writing_a_report_leaves_neither_metrics_json_nor_model_onnx()
    {
        // metrics.json marks a finished run, which an experiment reuses: written before the histograms, it was left without them.
        var folder = feed.Scratch("stages-report-fails");
        Directory.CreateDirectory(Path.Combine(folder, ReportStage.FinalHistogram));

        Assert.Throws<IOException>(() => TrainingRun.Execute(Settings with { FullRankingTopK = null }, feed.Data, feed.Truth, folder));

        Assert.False(File.Exists(Path.Combine(folder, "metrics.json")));
        Assert.False(File.Exists(Path.Combine(folder, InferenceModel.FileName)));
    }

    [Fact]
    public void A_run_exports_its_model_with_metadata_its_seen_list_and_training_artifacts()
    {
        var folder = feed.Scratch("stages-export");
        TrainingRun.Execute(Settings with { FullRankingTopK = null }, feed.Data, truth: null, folder);
        var data = feed.Data;
        using (var session = new InferenceSession(Path.Combine(folder, InferenceModel.FileName)))
        {
            var metadata = session.ModelMetadata.CustomMetadataMap;
            Assert.Equal("neumf", metadata["model"]);
            Assert.Equal("rce", metadata["method"]);
            Assert.Equal((data.Users.Count - 1).ToString(), metadata["users"]);
            Assert.Equal((data.Items.Count - 1).ToString(), metadata["items"]);
            Assert.Equal("off", metadata["colliding"]);
            Assert.StartsWith("neumf-rce-", metadata["version"]);
            Assert.True(DateTime.TryParse(metadata["created_at"], out _));
            Assert.Contains("\"auc\"", metadata["metrics"]);
        }
        var seen = InteractionLogParquet.Read(Path.Combine(folder, InferenceModel.SeenFileName));
        Assert.Equal(data.Seen.PairCount, seen.Count);
        var lastUser = data.Seen.UserCount - 1;
        Assert.Contains(data.Users.RawIds[lastUser], seen.UserId);
        foreach (var artifact in new[] { TrainingArtifacts.TrainingModel, TrainingArtifacts.EvalModel, TrainingArtifacts.OptimizerModel })
            Assert.True(File.Exists(Path.Combine(folder, artifact)), artifact);
        // Without the truth there is nothing to measure annotations or clean metrics against.
        var metrics = Metrics(folder);
        foreach (var absent in new[] { "clean_test", "annotation", "annotation_after_epoch_1", "annotation_by_source" }) Assert.Null(metrics[absent]);
        Assert.False(File.Exists(Path.Combine(folder, "idl_weights_final.png")));
    }

    [Fact]
    public void Training_from_a_checkpoint_of_other_data_is_refused_before_any_step()
    {
        var folder = feed.Scratch("stages-other-data");
        var settings = Settings with { Epochs = 1, FullRankingTopK = null };
        TrainingRun.Execute(settings, feed.Data, truth: null, folder);
        var other = PreparedDataset.Prepare(feed.Log, new LabelingOptions(LabelRule.FinishRate), new SplitOptions(Seed: 9));
        Assert.Throws<CheckpointException>(() => TrainStage.Run(settings, other, null, folder, null, Path.Combine(folder, "last.checkpoint"), default));
    }
}
