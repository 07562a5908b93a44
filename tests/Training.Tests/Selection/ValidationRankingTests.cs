using InverseLearning.Data;
using InverseLearning.Training.Evaluation;
using InverseLearning.Training.Models;
using InverseLearning.Training.Runtime;
using InverseLearning.Training.Selection;
using InverseLearning.Training.Tests.Evaluation;

namespace InverseLearning.Training.Tests.Selection;

/// <summary>The full ranking on the validation split, and the validation positives each --valid-positives rule picks.</summary>
public class ValidationRankingTests
{
    private static readonly ExecutionDevice Cpu = new("cpu", 1);

    // Users 1-3. Ratings ≥ 4 are positive labels; rating 5 is the like-free "rating:5" rule's mark.
    private static PreparedDataset Data() => PreparedDataset.Prepare(RankingLogs.Of(
            (1, 5, 5, SplitTag.Train), (1, 3, 5, SplitTag.Valid), (1, 2, 1, SplitTag.Valid), (1, 4, 4, SplitTag.Valid), (1, 1, 5, SplitTag.Test),
            (2, 2, 5, SplitTag.Train), (2, 1, 5, SplitTag.Valid), (2, 2, 4, SplitTag.Valid), (2, 3, 5, SplitTag.Test),
            (3, 1, 5, SplitTag.Train), (3, 3, 1, SplitTag.Valid)),
        new LabelingOptions(LabelRule.Rating, RatingPositiveAtLeast: 4, RatingNegativeAtMost: 2), new SplitOptions(),
        new FeedbackOptions(FeedbackRule.Like, ValidPositives: new FeedbackRule(FeedbackSource.Rating, 5)));

    [Fact]
    public void Ranks_the_validation_users_leaving_out_only_their_training_items()
    {
        var data = Data();
        // GMF with dim 1, user rows 1, weight 1, bias 0: the logit of item i is its embedding.
        var store = new HostParameterStore(new Gmf(1), data.Users.Count, data.Items.Count, stateSlots: 2, seed: 0);
        store.Tables[0].Values.AsSpan().Fill(1);
        float[] itemScores = [0, 0.1f, 0.5f, 0.3f, 0.2f, 0.9f];
        for (var raw = 1; raw <= 5; raw++) store.Tables[1].Values[data.Items.IndexOf(raw)] = itemScores[raw];
        store.Dense[0].Values[0] = 1;
        store.Dense[1].Values[0] = 0;
        var positives = ValidationPositives.Resolve(data, ValidationPositives.Labels, truth: null);

        var metrics = FullRanking.ForValidation(data, positives, "labels", [1, 2]).Evaluate(store, Cpu);

        // User 1 ranks 2, 3, 4, 1 (only 5 is its history: its validation items stay rankable); positives {3, 4}.
        // User 2 ranks 5, 3, 4, 1 (2 is its history, so the positive 2 cannot count); positives {1}: no hit in 2.
        // User 3 has no validation positive (its one row is negative): not ranked.
        Assert.Equal(2, metrics.Users);
        Assert.Equal(0, metrics.RecallAt(1), 12);
        Assert.Equal((0.5 + 0) / 2, metrics.RecallAt(2), 12);
        Assert.Equal((1 / Math.Log2(3) / (1 + 1 / Math.Log2(3)) + 0) / 2, metrics.NdcgAt(2), 12);
    }

    [Fact]
    public void Each_rule_picks_its_validation_rows()
    {
        var data = Data();
        static IEnumerable<(long, long)> Raw(PreparedDataset data, LabeledSet set) =>
            Enumerable.Range(0, set.Count).Select(r => (data.Users.RawIds[set.Users[r]], data.Items.RawIds[set.Items[r]])).Order();

        var labels = ValidationPositives.Resolve(data, "labels", truth: null);
        var rated5 = ValidationPositives.Resolve(data, "rating:5", truth: null);

        Assert.Equal([(1L, 3L), (1L, 4L), (2L, 1L), (2L, 2L)], Raw(data, labels));
        Assert.Equal([(1L, 3L), (2L, 1L)], Raw(data, rated5));
        Assert.All(labels.Labels.Concat(rated5.Labels), l => Assert.Equal(1f, l));
        Assert.Throws<DataException>(() => ValidationPositives.Resolve(data, "truth", truth: null));
        Assert.Throws<InvalidOperationException>(() => ValidationPositives.Resolve(data, "rating:4", truth: null));
    }

    [Fact]
    public void Truth_positives_of_a_ranking_selection_need_the_truth_beside_the_log()
    {
        var ranking = new TrainSettings { SelectBy = "recall@5", ValidPositives = "truth" };

        var error = Assert.Throws<DataException>(() => ValidationPositives.RequireTruth(ranking, truthBeside: false));
        ValidationPositives.RequireTruth(ranking, truthBeside: true);
        ValidationPositives.RequireTruth(ranking with { SelectBy = "loss" }, truthBeside: false);     // the loss ranks nothing

        Assert.StartsWith("--valid-positives truth needs the simulator's ground truth", error.Message);
    }

    [Theory]
    [InlineData("column:purchase")]
    [InlineData("bogus")]
    [InlineData("rating:x")]
    public void Refuses_a_rule_it_cannot_resolve_naming_the_flag(string rule)
    {
        var error = Assert.Throws<ArgumentException>(() => ValidationPositives.MarkedRule(rule));

        Assert.StartsWith("--valid-positives:", error.Message);
    }

    [Fact]
    public void A_k_outside_the_catalogue_names_select_by()
    {
        var data = Data();
        var error = Assert.Throws<ArgumentException>(() => ModelSelection.Create(new TrainSettings { SelectBy = "recall@6" }, data, truth: null));

        Assert.Contains("--select-by: K = 6 is outside [1, 5]", error.Message);
    }
}
