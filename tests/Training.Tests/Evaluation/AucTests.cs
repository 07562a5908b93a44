using InverseLearning.Data;
using InverseLearning.Training.Evaluation;

namespace InverseLearning.Training.Tests.Evaluation;

public class AucTests
{
    [Fact]
    public void Tied_positive_negative_pairs_count_one_half()
    {
        // Pairs (pos score, neg score): (.5,.5)=1/2, (.5,.2)=1, (.8,.5)=1, (.8,.2)=1 → 3.5 / 4 = 0.875.
        var auc = Metrics.Auc(new PackedLabels([1, 0, 1, 0]), [0.5f, 0.5f, 0.8f, 0.2f]);
        Assert.Equal(0.875, auc, 12);
    }

    [Fact]
    public void Perfect_ranking_is_one_and_inverted_ranking_is_zero()
    {
        float[] labels = [1, 1, 0, 0, 0];
        Assert.Equal(1.0, Metrics.Auc(new PackedLabels(labels), [0.9f, 0.8f, 0.3f, 0.2f, 0.1f]), 12);
        Assert.Equal(0.0, Metrics.Auc(new PackedLabels(labels), [0.1f, 0.2f, 0.3f, 0.8f, 0.9f]), 12);
    }

    [Fact]
    public void All_scores_tied_is_one_half()
    {
        // Every one of the 2·3 pairs is tied → 6 · 1/2 / 6.
        Assert.Equal(0.5, Metrics.Auc(new PackedLabels([1, 0, 1, 0, 0]), [0.3f, 0.3f, 0.3f, 0.3f, 0.3f]), 12);
    }

    [Fact]
    public void Negative_scores_and_signed_zeros_are_ordered_as_numbers()
    {
        // Scores are logits here: pos −0 ties neg +0 (1/2), pos −0 beats neg −3 (1), pos 2 beats both (2) → 3.5 / 4.
        Assert.Equal(0.875, Metrics.Auc(new PackedLabels([1, 0, 1, 0]), [-0f, 0f, 2f, -3f]), 12);
    }

    [Fact]
    public void One_label_only_gives_NaN()
    {
        Assert.True(double.IsNaN(Metrics.Auc(new PackedLabels([1, 1, 1]), [0.1f, 0.5f, 0.9f])));
        Assert.True(double.IsNaN(Metrics.Auc(new PackedLabels([0, 0]), [0.1f, 0.5f])));
    }

    [Fact]
    public void A_users_auc_in_gauc_matches_hand_count()
    {
        // One user, scores .9 .5 .5 .1 with labels 0 1 0 1: pos(.5) vs neg(.9)=0, vs neg(.5)=1/2;
        // pos(.1) vs both = 0 → 0.5 / 4 = 0.125.
        Assert.Equal(0.125, Metrics.Compute([7, 7, 7, 7], new PackedLabels([0, 1, 0, 1]), [0.9f, 0.5f, 0.5f, 0.1f]).Gauc, 12);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Matches_brute_force_pairwise_count_on_random_data_with_ties(int seed)
    {
        var random = new Random(seed);
        var n = 400;
        var labels = new float[n];
        var scores = new float[n];
        for (var i = 0; i < n; i++)
        {
            labels[i] = random.NextDouble() < 0.3 ? 1 : 0;
            // Few distinct values so that many pairs tie.
            scores[i] = random.Next(0, 25) / 24f;
        }

        Assert.Equal(BruteForceAuc(labels, scores), Metrics.Auc(new PackedLabels(labels), scores), 10);
    }

    [Fact]
    public void A_users_auc_in_gauc_matches_brute_force_on_random_data()
    {
        var random = new Random(7);
        var scores = Enumerable.Range(0, 300).Select(_ => random.Next(0, 15) / 14f).OrderDescending().ToArray();
        var labels = scores.Select(_ => random.NextDouble() < 0.5 ? 1f : 0f).ToArray();

        Assert.Equal(BruteForceAuc(labels, scores), Metrics.Compute(new int[labels.Length], new PackedLabels(labels), scores).Gauc, 10);
    }

    /// <summary>The definition: over all (positive, negative) pairs, 1 if ordered right, 1/2 if tied.</summary>
    internal static double BruteForceAuc(float[] labels, float[] scores)
    {
        double credit = 0;
        long pairs = 0;
        for (var i = 0; i < labels.Length; i++)
        for (var j = 0; j < labels.Length; j++)
        {
            if (labels[i] != 1 || labels[j] != 0) continue;
            pairs++;
            credit += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
        }
        return credit / pairs;
    }
}
