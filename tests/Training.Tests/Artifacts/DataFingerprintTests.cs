using InverseLearning.Training.Artifacts;

namespace InverseLearning.Training.Tests.Artifacts;

public class DataFingerprintTests
{
    private static readonly DataFingerprint Trained = new(Users: 1200, Items: 3400, TrainRows: 800, ValidRows: 100, TestRows: 100, Hash: 42);

    [Fact]
    public void The_same_data_has_no_difference() => Assert.Null(Trained.Difference(Trained with { }));

    [Theory]
    [InlineData(1201, 3400)]
    [InlineData(1200, 3399)]
    public void Other_vocabularies_are_named_first(int users, int items) =>
        Assert.Equal($"{users:N0} users and {items:N0} items, the checkpoint was trained on 1,200 and 3,400",
            Trained.Difference(Trained with { Users = users, Items = items, TrainRows = 1, Hash = 7 }));

    [Theory]
    [InlineData(801, 100, 100)]
    [InlineData(800, 99, 100)]
    [InlineData(800, 100, 101)]
    public void Other_splits_name_both_splits_sizes(int train, int valid, int test) =>
        Assert.Equal($"train/valid/test {train:N0}/{valid:N0}/{test:N0} rows, the checkpoint's split had 800/100/100",
            Trained.Difference(Trained with { TrainRows = train, ValidRows = valid, TestRows = test, Hash = 7 }));

    [Fact]
    public void Same_sizes_with_other_rows_are_told_apart_by_the_hash() =>
        Assert.Equal("the same sizes but other labeled rows (another log, other labels or another split) than the checkpoint was trained on",
            Trained.Difference(Trained with { Hash = 43 }));
}
