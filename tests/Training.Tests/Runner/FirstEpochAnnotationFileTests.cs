using InverseLearning.Training.Analysis;
using InverseLearning.Training.Tests.EndToEnd;

namespace InverseLearning.Training.Tests.Runner;

/// <summary>annotation_epoch1.json, which a run resumed past epoch 1 reads back instead of measuring again.</summary>
public sealed class FirstEpochAnnotationFileTests(TinyFeed feed) : IClassFixture<TinyFeed>
{
    private static TrainSettings Settings => new()
    {
        Model = "gmf", Method = "idl", Epochs = 2, BatchSize = 256, LearningRate = 1e-2, Dim = 4, Threads = 1, Seed = 5,
    };

    [Fact]
    public void It_is_written_before_epoch_1s_checkpoint_so_a_checkpoint_past_epoch_1_always_has_the_runs_own()
    {
        var dir = feed.Scratch("annotation-order");
        var annotation = Path.Combine(dir, FirstEpochAnnotation.FileName);
        File.WriteAllText(annotation, "an earlier run's");
        var seen = new List<(int Epoch, bool Checkpointed, string Annotation)>();
        // Epochs end with their checkpoint saved: what is beside it then is what a resume from it would read.
        TrainingRun.Execute(Settings, feed.Data, feed.Truth, dir, new AtEpochEnd(epoch =>
            seen.Add((epoch, File.Exists(Path.Combine(dir, "last.checkpoint")), File.ReadAllText(annotation)))));

        Assert.Equal(2, seen.Count);
        Assert.All(seen, end => Assert.True(end.Checkpointed));
        Assert.All(seen, end => Assert.NotEqual("an earlier run's", end.Annotation));
    }

    [Fact]
    public void A_run_stopped_before_epoch_1_leaves_an_earlier_runs_file_as_it_was()
    {
        var dir = feed.Scratch("annotation-kept");
        var annotation = Path.Combine(dir, FirstEpochAnnotation.FileName);
        File.WriteAllText(annotation, "an earlier run's");

        StopAfterBatches.Interrupt(Settings with { CheckpointEvery = 1 }, feed.Data, feed.Truth, dir, epoch: 1, batches: 16);

        Assert.Equal("an earlier run's", File.ReadAllText(annotation));
    }

    [Fact]
    public void One_damaged_member_name_is_told_as_the_files_damage_when_a_resume_reads_it()
    {
        // "PositiveWeights" changed by one byte: the serializer took the member as null, and the resume failed with
        // "Value cannot be null." naming no file.
        var dir = feed.Scratch("annotation-damaged");
        TrainingRun.Execute(Settings, feed.Data, feed.Truth, dir);
        var annotation = Path.Combine(dir, FirstEpochAnnotation.FileName);
        File.WriteAllText(annotation, File.ReadAllText(annotation).Replace("\"PositiveWeights\"", "\"PositiveWdights\""));

        var damaged = Assert.Throws<InvalidDataException>(() =>
            TrainingRun.Execute(Settings with { Epochs = 3 }, feed.Data, feed.Truth, dir, resumeFrom: Path.Combine(dir, "last.checkpoint")));

        Assert.StartsWith($"{annotation}: not a readable epoch-1 annotation", damaged.Message);
        Assert.EndsWith("delete it to resume without annotation_after_epoch_1", damaged.Message);
    }
}
