using InverseLearning.Data;

namespace InverseLearning.Training.Tests.EndToEnd;

/// <summary>Implicit feedback: the validation rows that pick the best epoch get one sampled negative each.</summary>
public class ImplicitValidationTests : IClassFixture<TinyFeed>
{
    private readonly TinyFeed _feed;

    public ImplicitValidationTests(TinyFeed feed) => _feed = feed;

    private static TrainSettings Settings(int seed) => new() { Model = "gmf", Method = "ns", Epochs = 1, Dim = 4, Threads = 1, Seed = seed, SplitSeed = 3 };

    [Fact]
    public void Each_all_positive_validation_row_is_paired_with_an_unseen_negative_the_same_for_every_run()
    {
        var data = PreparedDataset.Prepare(_feed.Log, new LabelingOptions(LabelRule.Implicit), new SplitOptions(Seed: 3));
        Assert.All(data.Valid.Labels.Take(data.Valid.Count), label => Assert.Equal(1f, label));
        using var trainer = new Trainer(Settings(seed: 5), data);
        var rows = trainer.Validation;
        var n = data.Valid.Count;
        Assert.Equal(2 * n, rows.Count);
        for (var r = 0; r < n; r++)
        {
            Assert.Equal((data.Valid.Users[r], data.Valid.Items[r], 1f), (rows.Users[r], rows.Items[r], rows.Labels[r]));
            Assert.Equal(data.Valid.Users[r], rows.Users[n + r]);
            Assert.Equal(0f, rows.Labels[n + r]);
            Assert.False(data.Seen.Contains(rows.Users[n + r], rows.Items[n + r]), $"row {r}: the negative is an item the user interacted with");
            Assert.InRange(rows.Items[n + r], 1, data.Items.Count - 1);      // a real item, not the reserved unknown one
        }
        Assert.True(rows.Items.Skip(n).Distinct().Count() > 1, "the negatives should be sampled, not one item");
        // Seeded by the split, not the run: another training seed is judged on the same rows.
        using var other = new Trainer(Settings(seed: 6), data);
        Assert.Equal(rows.Items, other.Validation.Items);
    }

    [Fact]
    public void A_validation_split_with_negatives_is_used_as_it_is()
    {
        using var trainer = new Trainer(Settings(seed: 5), _feed.Data);
        Assert.Same(_feed.Data.Valid, trainer.Validation);
    }
}
