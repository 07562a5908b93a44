using InverseLearning.Data;
using InverseLearning.Training.Models;
using InverseLearning.Training.Reports;

namespace InverseLearning.Training.Tests.Streaming;

/// <summary>
/// Whole runs on a streamed lake: every method and the backbones that read interactions learn,
/// a run repeats exactly, resume is exact, and the metrics stay near the same split held in memory.
/// </summary>
public class StreamedTrainingTests(StreamedFeed feed) : IClassFixture<StreamedFeed>
{
    private static TrainSettings Settings(string method, string model = "gmf", int epochs = 5) => new TrainSettings
    {
        Model = model, Method = method, Epochs = epochs, BatchSize = 256, LearningRate = 1e-2, Dim = 8, Threads = 1, Seed = 5,
        Stream = true, HashSplit = true, SplitSeed = 3,
    }.WithOption(TowerOptions.Layers, 2);

    public static TheoryData<string> Methods => new(Training.Methods.MethodRegistry.Names);

    [Theory]
    [MemberData(nameof(Methods))]
    public void Every_method_learns_from_a_streamed_lake(string method)
    {
        var outcome = TrainingRun.Execute(Settings(method), feed.Data, feed.Truth, feed.Scratch($"learn-{method}"));
        Assert.True(outcome.CleanTest!.Auc > 0.55, $"{method}: clean test AUC {outcome.CleanTest.Auc:F3} is not above 0.55");
    }

    [Theory]
    [InlineData("cdae")]
    [InlineData("lightgcn")]
    public void Backbones_that_read_interactions_build_them_from_the_streamed_positives(string model)
    {
        using var streamed = new Trainer(Settings("ns", model), feed.Data);
        using var held = new Trainer(Settings("ns", model) with { Stream = false }, feed.Whole);
        // Same parameters at start, same histories: the same scores before any step (the streamed test rows grouped by user).
        var test = feed.Whole.Test;
        var byUser = Enumerable.Range(0, test.Count).OrderBy(r => test.Users[r]).ToArray();
        var heldLogits = held.Scorer.Logits(test);
        Assert.Equal(byUser.Select(r => heldLogits[r]), streamed.Scorer.Logits(feed.Data.Test));
        Assert.Equal(byUser.Select(r => (test.Users[r], test.Items[r])),
            feed.Data.Test.UserRuns().SelectMany(run => Enumerable.Range(run.Start, run.Count).Select(r => (run.User, feed.Data.Test.Items[r]))));
        var outcome = TrainingRun.Execute(Settings("ns", model, epochs: 3), feed.Data, feed.Truth, feed.Scratch($"backbone-{model}"));
        Assert.True(outcome.CleanTest!.Auc > 0.55, $"{model}: clean test AUC {outcome.CleanTest.Auc:F3}");
        Assert.True(test.Count > 0);
    }

    [Fact]
    public void A_streamed_run_holds_its_held_out_rows_without_their_user_column()
    {
        // Fingerprint, checks, every validation and the final evaluations read the users by runs: 4 bytes a held-out row less.
        var data = feed.Stream(shuffleBuffer: 4_096);
        var outcome = TrainingRun.Execute(Settings("ns", epochs: 2), data, feed.Truth, feed.Scratch("no-user-column"));
        Assert.NotNull(data.Valid.UserOffsets);
        Assert.NotNull(data.Test.UserOffsets);
        Assert.False(data.Valid.HoldsUserColumn, "the validation rows' user column was built");
        Assert.False(data.Test.HoldsUserColumn, "the test rows' user column was built");
        Assert.True(outcome.CleanTest!.Auc > 0.55, $"clean test AUC {outcome.CleanTest.Auc:F3}");
    }

    [Fact]
    public void The_extra_feedback_strategies_run_on_a_streamed_lake()
    {
        // Warm-up and finetune read D* (held by the first pass), colliding inference the positives per user it counted.
        var settings = Settings("tce", epochs: 2).WithOption(Training.Strategies.Warmup.Epochs, 1).WithOption(Training.Strategies.Finetune.Epochs, 1).WithOption(Training.Strategies.Colliding.Neighbors, 2);
        var streamed = TrainingRun.Execute(settings, feed.Data, feed.Truth, feed.Scratch("strategies"));
        Assert.True(streamed.CleanTest!.Auc > 0.55, $"clean test AUC {streamed.CleanTest.Auc:F3}");
        Assert.True(feed.Data.Extra.Train.Count > 0);
    }

    [Fact]
    public void A_streamed_run_repeats_exactly()
    {
        var first = TrainingRun.Execute(Settings("ig", epochs: 2), feed.Data, feed.Truth, feed.Scratch("repeat-1"));
        var second = TrainingRun.Execute(Settings("ig", epochs: 2), feed.Stream(shuffleBuffer: 4_096), feed.Truth, feed.Scratch("repeat-2"));
        Assert.Equal(first.Test, second.Test);
        Assert.Equal(File.ReadAllBytes(Path.Combine(first.OutputDirectory, "last.checkpoint")), File.ReadAllBytes(Path.Combine(second.OutputDirectory, "last.checkpoint")));
    }

    [Fact]
    public void Another_shuffle_buffer_gives_other_batches()
    {
        var small = TrainingRun.Execute(Settings("ns", epochs: 1), feed.Stream(shuffleBuffer: 64), feed.Truth, feed.Scratch("buffer-64"));
        var large = TrainingRun.Execute(Settings("ns", epochs: 1), feed.Data, feed.Truth, feed.Scratch("buffer-4096"));
        Assert.NotEqual(small.Test, large.Test);
    }

    [Theory]
    [InlineData("ns")]
    [InlineData("ig")]
    public void Resuming_a_streamed_run_reproduces_an_uninterrupted_one(string method)
    {
        var whole = TrainingRun.Execute(Settings(method, epochs: 3), feed.Data, feed.Truth, feed.Scratch($"whole-{method}"));
        var dir = feed.Scratch($"interrupted-{method}");
        TrainingRun.Execute(Settings(method, epochs: 2), feed.Data, feed.Truth, dir);
        var resumed = TrainingRun.Execute(Settings(method, epochs: 3), feed.Data, feed.Truth, dir, resumeFrom: Path.Combine(dir, "last.checkpoint"));
        Assert.Equal(whole.Test, resumed.Test);
        Assert.Equal(File.ReadAllBytes(Path.Combine(whole.OutputDirectory, "last.checkpoint")), File.ReadAllBytes(Path.Combine(dir, "last.checkpoint")));
    }

    [Theory]
    [InlineData("ns")]
    [InlineData("ig")]
    [InlineData("srns")]
    public void Resuming_a_streamed_run_from_inside_an_epoch_reproduces_an_uninterrupted_one(string method)
    {
        Runner.StopAfterBatches.AssertResumeIsExact(Settings(method, epochs: 2) with { CheckpointEvery = 7 }, feed.Data, feed.Truth,
            feed.Scratch($"mid-whole-{method}"), feed.Scratch($"mid-interrupted-{method}"), epoch: 2, batches: 16);
    }

    [Fact]
    public void Streamed_and_held_training_on_the_same_split_end_near_each_other()
    {
        // Same split, same initialisation; only the order of the batches differs (a bounded shuffle against a full one).
        var streamed = TrainingRun.Execute(Settings("ns"), feed.Data, feed.Truth, feed.Scratch("near-streamed"));
        var held = TrainingRun.Execute(Settings("ns") with { Stream = false }, feed.Whole, feed.Truth, feed.Scratch("near-held"));
        Assert.InRange(streamed.CleanTest!.Auc - held.CleanTest!.Auc, -0.03, 0.03);
        Assert.NotEqual(streamed.Test, held.Test);
    }

    [Fact]
    public void The_fingerprint_of_a_streamed_dataset_hashes_its_training_rows()
    {
        // Two lakes with the same users, items and counts: two training rows trade items.
        PreparedDataset Lake(string name, long[] items)
        {
            var log = new InteractionLog(4) { Rating = new NullableColumn<float>(4) };
            for (var r = 0; r < 4; r++)
            {
                log.UserId[r] = 1 + r / 2;
                log.ItemId[r] = items[r];
                log.Rating.Set(r, r % 2 == 0 ? 5 : 1);
            }
            var path = Path.Combine(feed.Scratch(name), "part.parquet");
            InteractionLogParquet.Write(log, path);
            return PreparedDataset.Stream(new LakeSource(LogDataset.Open(path), new ReadOptions(), new LabelingOptions(LabelRule.Rating),
                new SplitOptions(Seed: 1, TrainShare: 1, ValidShare: 0, ByHash: true)), FeedbackOptions.Default, false, 4);
        }
        var a = Training.Artifacts.DataFingerprint.Of(Lake("fingerprint-a", [10, 20, 20, 10]));
        var b = Training.Artifacts.DataFingerprint.Of(Lake("fingerprint-b", [20, 10, 10, 20]));
        Assert.Equal((a.Users, a.Items, a.TrainRows), (b.Users, b.Items, b.TrainRows));
        Assert.Contains("other labeled rows", a.Difference(b));
    }

    [Fact]
    public void A_streamed_read_without_the_middle_band_tells_other_unlabeled_rows_by_the_pairs_seen()
    {
        // Read for a run that draws no unlabeled impressions, the middle band is not indexed: the unlabeled rows are told by the
        // items each user has seen, which "unseen" negatives avoid. Two lakes whose one unlabeled row is another user's.
        PreparedDataset Lake(string name, long unlabeledUser)
        {
            var log = new InteractionLog(5) { Rating = new NullableColumn<float>(5) };
            (long User, long Item, float Rating)[] rows = [(1, 10, 5), (1, 20, 1), (2, 10, 5), (2, 20, 1), (unlabeledUser, 30, 2.5f)];
            for (var r = 0; r < rows.Length; r++)
            {
                (log.UserId[r], log.ItemId[r]) = (rows[r].User, rows[r].Item);
                log.Rating.Set(r, rows[r].Rating);
            }
            var path = Path.Combine(feed.Scratch(name), "part.parquet");
            InteractionLogParquet.Write(log, path);
            return PreparedDataset.Stream(new LakeSource(LogDataset.Open(path), new ReadOptions(), new LabelingOptions(LabelRule.Rating),
                new SplitOptions(Seed: 1, TrainShare: 1, ValidShare: 0, ByHash: true)), FeedbackOptions.Default, middleBand: false, 4);
        }

        var (a, b) = (Training.Artifacts.DataFingerprint.Of(Lake("unlabeled-user-1", 1)), Training.Artifacts.DataFingerprint.Of(Lake("unlabeled-user-2", 2)));

        Assert.NotEqual(a.Unlabeled, b.Unlabeled);
    }

    [Fact]
    public void The_fingerprint_tells_a_streamed_dataset_from_the_held_one_and_another_split()
    {
        var streamed = Training.Artifacts.DataFingerprint.Of(feed.Data);
        Assert.Equal(streamed, Training.Artifacts.DataFingerprint.Of(feed.Stream(shuffleBuffer: 7)));
        Assert.NotEqual(streamed.Hash, Training.Artifacts.DataFingerprint.Of(feed.Whole).Hash);
        var otherSplit = PreparedDataset.Stream(new LakeSource(LogDataset.Open(feed.Lake), new ReadOptions(), new LabelingOptions(LabelRule.FinishRate), new SplitOptions(Seed: 4, ByHash: true)),
            FeedbackOptions.Default, false, 10);
        Assert.NotNull(Training.Artifacts.DataFingerprint.Of(otherSplit).Difference(streamed));
    }
}
