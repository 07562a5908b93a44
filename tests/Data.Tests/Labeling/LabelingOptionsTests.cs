using InverseLearning.Data;

namespace InverseLearning.Data.Tests.Labeling;

public class LabelingOptionsTests
{
    [Fact]
    public void Overlapping_finish_thresholds_are_refused_naming_both_options()
    {
        var error = Assert.Throws<ArgumentException>(() => new LabelingOptions(LabelRule.FinishRate, FinishPositiveAbove: 0.3, FinishNegativeBelow: 0.6).Validate());
        Assert.Contains("--finish-negative-below", error.Message);
        Assert.Contains("--finish-positive-above", error.Message);
    }

    [Fact]
    public void Overlapping_rating_thresholds_are_refused() =>
        Assert.Throws<ArgumentException>(() => new LabelingOptions(LabelRule.Rating, RatingPositiveAtLeast: 3, RatingNegativeAtMost: 3).Validate());

    [Fact]
    public void A_threshold_that_is_not_a_number_is_named()
    {
        Assert.Equal("--finish-positive-above: expected a number, got NaN",
            Assert.Throws<ArgumentException>(() => new LabelingOptions(LabelRule.FinishRate, FinishPositiveAbove: double.NaN).Validate()).Message);
        Assert.Equal("--rating-negative-at-most: expected a number, got NaN",
            Assert.Throws<ArgumentException>(() => new LabelingOptions(LabelRule.Rating, RatingNegativeAtMost: float.NaN).Validate()).Message);
        Assert.Null(Record.Exception(() => new LabelingOptions(LabelRule.FinishRate, FinishPositiveAbove: double.PositiveInfinity).Validate())); // never positive: a choice, not a typo
    }

    [Fact]
    public void Default_thresholds_are_valid() => Assert.Null(Record.Exception(() => new LabelingOptions(LabelRule.FinishRate).Validate()));
}
