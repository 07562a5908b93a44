namespace InverseLearning.Data.Tests.Labeling;

public class LabelerTests
{
    [Fact]
    public void FinishRateThresholdsAreStrict()
    {
        // finish rates: 0.81, 0.8 (exactly), 0.5, 0.2 (exactly), 0.19, 0
        var log = SampleLogs.Watch([1, 1, 1, 1, 1, 1], [1, 2, 3, 4, 5, 6],
            play: [81, 80, 50, 20, 19, 0], duration: [100, 100, 100, 100, 100, 100]);

        var labels = Labeler.Label(log, new LabelingOptions(LabelRule.FinishRate));

        Assert.Equal(new sbyte[] { 1, -1, -1, -1, 0, 0 }, labels);
    }

    [Fact]
    public void FinishRateThresholdsAreConfigurable()
    {
        var log = SampleLogs.Watch([1, 1, 1], [1, 2, 3], play: [60, 50, 40], duration: [100, 100, 100]);

        var labels = Labeler.Label(log, new LabelingOptions(LabelRule.FinishRate, FinishPositiveAbove: 0.5, FinishNegativeBelow: 0.5));

        Assert.Equal(new sbyte[] { 1, -1, 0 }, labels);
    }

    [Fact]
    public void FinishRateNeedsPlayAndPositiveDuration()
    {
        var log = SampleLogs.Watch([1, 1, 1, 1], [1, 2, 3, 4], play: [90, 90, 90, 200], duration: [100, 100, 0, 100]);
        log.PlayTimeMs!.Set(1, null);

        var labels = Labeler.Label(log, new LabelingOptions(LabelRule.FinishRate));

        // Row 4 watched twice its length: a finish rate of 2 is well above 0.8.
        Assert.Equal(new sbyte[] { 1, -1, -1, 1 }, labels);
    }

    [Fact]
    public void PlayTimeRuleUsesQuartilesStrictly()
    {
        // Play times 1..8: h = 7/4 → Q1 = 2.75, h = 21/4 → Q3 = 6.25.
        long[] play = [5, 1, 8, 2, 7, 3, 6, 4];
        var log = SampleLogs.Watch(new long[8], new long[8], play, new long[8]);

        var labels = Labeler.Label(log, new LabelingOptions(LabelRule.PlayTime));

        Assert.Equal(new sbyte[] { -1, 0, 1, 0, 1, -1, -1, -1 }, labels);
    }

    [Fact]
    public void PlayTimeAtAQuartileExactlyIsUnlabeled()
    {
        // 1..5: h = 1 → Q1 = 2 exactly, h = 3 → Q3 = 4 exactly.
        var log = SampleLogs.Watch(new long[5], new long[5], [1, 2, 3, 4, 5], new long[5]);

        var labels = Labeler.Label(log, new LabelingOptions(LabelRule.PlayTime));

        Assert.Equal(new sbyte[] { 0, -1, -1, -1, 1 }, labels);
    }

    [Fact]
    public void RatingThresholdsAreInclusiveAndConfigurable()
    {
        var log = new InteractionLog(6) { Rating = new NullableColumn<float>([5, 3, 2.5f, 2, 1, 4], [true, true, true, true, true, false]) };

        Assert.Equal(new sbyte[] { 1, 1, -1, 0, 0, -1 }, Labeler.Label(log, new LabelingOptions(LabelRule.Rating)));
        Assert.Equal(new sbyte[] { 1, 0, 0, 0, 0, -1 },
            Labeler.Label(log, new LabelingOptions(LabelRule.Rating, RatingPositiveAtLeast: 4, RatingNegativeAtMost: 3)));
    }

    [Fact]
    public void RuleWhoseColumnsAreAbsentLeavesEverythingUnlabeled()
    {
        var log = new InteractionLog(3);

        Assert.All(Labeler.Label(log, new LabelingOptions(LabelRule.Rating)), label => Assert.Equal(-1, label));
        Assert.All(Labeler.Label(log, new LabelingOptions(LabelRule.FinishRate)), label => Assert.Equal(-1, label));
        Assert.All(Labeler.Label(log, new LabelingOptions(LabelRule.PlayTime)), label => Assert.Equal(-1, label));
    }
}
