using InverseLearning.Data.Tests.Lake;
using static InverseLearning.Data.Tests.ParquetFixture;

namespace InverseLearning.Data.Tests.Streaming;

/// <summary>A feedback rule that reads a column the labels do not: the rows pass, which reads only what it needs, reads it too.</summary>
public sealed class StreamedFeedbackColumnTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_rating_rule_beside_finish_rate_labels_marks_the_rows_rated_at_least_its_threshold()
    {
        // Labeled by finish rate (play time over duration: 0.9, 0.1, 0.9, all labeled). Rated 5, 1, 4: rating:4 marks users 1 and 3.
        Write(_folder.At("a.parquet"), NullableInt64("user_id", 1, 2, 3), Int64("item_id", 1, 2, 3),
            NullableInt64("play_time_ms", 90, 10, 90), NullableInt64("duration_ms", 100, 100, 100), NullableFloat("rating", 5, 1, 4));
        var source = new LakeSource(LogDataset.Open(_folder.Path), new ReadOptions(), new LabelingOptions(LabelRule.FinishRate),
            new SplitOptions(Seed: 1, TrainShare: 1, ValidShare: 0, ByHash: true));

        var streamed = PreparedDataset.Stream(source, new FeedbackOptions(FeedbackRule.Parse("rating:4", "--extra-feedback")), middleBand: false, shuffleBuffer: 4);

        Assert.True(streamed.Extra.Available);
        var (marked, rawIds) = (streamed.Extra.Train, streamed.Users.RawIds.ToArray());
        Assert.Equal([1L, 3], marked.Users.Take(marked.Count).Select(u => rawIds[u]).ToArray());
    }
}
