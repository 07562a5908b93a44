using InverseLearning.Data;
using InverseLearning.Training.Evaluation;

namespace InverseLearning.Training.Tests.Evaluation;

public class ComputeTests
{
    [Fact]
    public void Gauc_averages_users_with_both_labels_and_skips_the_others()
    {
        // User 7: pos .9, neg .1 → AUC 1.
        // User 3: pos .2, negs .8 and .1 → pos beats .1 only → 1/2.
        // User 5 (positives only) and user 9 (negative only) are skipped → GAUC = (1 + 0.5) / 2 = 0.75.
        int[] users = [7, 3, 5, 3, 7, 3, 5, 9];
        float[] labels = [1, 1, 1, 0, 0, 0, 1, 0];
        float[] probs = [0.9f, 0.2f, 0.05f, 0.8f, 0.1f, 0.1f, 0.99f, 0.7f];

        var metrics = Metrics.Compute(users, new PackedLabels(labels), probs);

        Assert.Equal(0.75, metrics.Gauc, 12);
    }

    [Fact]
    public void Every_metric_matches_the_hand_computation()
    {
        // User 0 rows (label, p): (1,.9) (0,.6) (1,.3) (0,.2)  → ranked labels 1 0 1 0.
        //   AUC: pos .9 beats both negs (2), pos .3 beats .2 (1) → 3/4.
        //   NDCG@10 = (1 + 1/log2 4) / (1 + 1/log2 3) = 1.5 / 1.63093;  MRR = (1 + 1/3) / 2 = 2/3.
        // User 1 rows: (0,.7) (1,.4)                         → ranked labels 0 1.
        //   AUC 0; NDCG@10 = (1/log2 3) / 1;  MRR = 1/2.
        // User 2 rows: (1,.5) only → skipped by the per-user metrics.
        // Overall AUC over 4 positives {.9,.3,.4,.5} × 3 negatives {.6,.2,.7}:
        //   pos .9: beats .6 .2 .7 → 3;  pos .3: beats .2 → 1;  pos .4: beats .2 → 1;  pos .5: beats .2 → 1 → 6 / 12 = 0.5.
        int[] users = [0, 0, 0, 0, 1, 1, 2];
        float[] labels = [1, 0, 1, 0, 0, 1, 1];
        float[] probs = [0.9f, 0.6f, 0.3f, 0.2f, 0.7f, 0.4f, 0.5f];

        var m = Metrics.Compute(users, new PackedLabels(labels), probs);

        var log2Of3 = Math.Log2(3);
        Assert.Equal(0.5, m.Auc, 12);
        Assert.Equal((0.75 + 0) / 2, m.Gauc, 12);
        var ndcgUser0 = 1.5 / (1 + 1 / log2Of3);
        var ndcgUser1 = 1 / log2Of3;
        Assert.Equal((ndcgUser0 + ndcgUser1) / 2, m.Ndcg10, 12);
        Assert.Equal(m.Ndcg10, m.Ndcg20, 12); // every list is shorter than 10
        Assert.Equal((2.0 / 3 + 0.5) / 2, m.Mrr, 12);
        var expectedLogLoss = -(Math.Log(0.9) + Math.Log(0.4) + Math.Log(0.3) + Math.Log(0.8)
                                + Math.Log(0.3) + Math.Log(0.4) + Math.Log(0.5)) / 7;
        Assert.Equal(expectedLogLoss, m.LogLoss, 6);
    }

    [Fact]
    public void Tied_scores_rank_the_earlier_row_first_for_ndcg_and_mrr()
    {
        // One user, both rows scored .5: the negative (row 0) is ranked first, the positive second.
        // MRR = 1/2; NDCG@10 = (1/log2 3) / 1 = 0.63093; GAUC counts the tie as 1/2.
        var m = Metrics.Compute([4, 4], new PackedLabels([0, 1]), [0.5f, 0.5f]);
        Assert.Equal(0.5, m.Mrr, 12);
        Assert.Equal(1 / Math.Log2(3), m.Ndcg10, 12);
        Assert.Equal(0.5, m.Gauc, 12);

        // Swapping the rows puts the positive first.
        var swapped = Metrics.Compute([4, 4], new PackedLabels([1, 0]), [0.5f, 0.5f]);
        Assert.Equal(1.0, swapped.Mrr, 12);
        Assert.Equal(1.0, swapped.Ndcg10, 12);
    }

    [Fact]
    public void Ndcg_at_10_and_20_differ_when_positives_sit_between_ranks_10_and_20()
    {
        // 25 rows of one user, scores descending with the row; positives at rows 0 and 14 (ranks 1 and 15).
        // NDCG@10 = 1 / (1 + 1/log2 3);  NDCG@20 = (1 + 1/log2 16) / (1 + 1/log2 3).
        var labels = new float[25];
        labels[0] = 1;
        labels[14] = 1;
        var probs = Enumerable.Range(0, 25).Select(i => 1f - i / 25f).ToArray();
        var m = Metrics.Compute(new int[25], new PackedLabels(labels), probs);

        var ideal = 1 + 1 / Math.Log2(3);
        Assert.Equal(1 / ideal, m.Ndcg10, 12);
        Assert.Equal((1 + 1 / Math.Log2(16)) / ideal, m.Ndcg20, 12);
    }

    [Fact]
    public void Per_user_figures_match_brute_force_on_random_data()
    {
        var random = new Random(11);
        var n = 3000;
        var users = new int[n];
        var labels = new float[n];
        var probs = new float[n];
        for (var i = 0; i < n; i++)
        {
            users[i] = random.Next(0, 60);
            labels[i] = random.NextDouble() < 0.4 ? 1 : 0;
            probs[i] = random.Next(0, 20) / 19f;
        }

        var m = Metrics.Compute(users, new PackedLabels(labels), probs);

        // Reference: per user, brute-force pairwise AUC and a stable LINQ ordering (score desc, then row).
        double gauc = 0, mrr = 0;
        var count = 0;
        foreach (var group in Enumerable.Range(0, n).GroupBy(i => users[i]))
        {
            var rows = group.ToArray();
            var userLabels = rows.Select(i => labels[i]).ToArray();
            if (userLabels.All(l => l == 1) || userLabels.All(l => l == 0)) continue;
            count++;
            gauc += AucTests.BruteForceAuc(userLabels, rows.Select(i => probs[i]).ToArray());
            var ranked = rows.OrderByDescending(i => probs[i]).ThenBy(i => i).Select(i => labels[i]).ToList();
            var positiveRanks = ranked.Select((l, r) => (l, r)).Where(x => x.l == 1).Select(x => 1.0 / (x.r + 1)).ToArray();
            mrr += positiveRanks.Average();
        }
        Assert.Equal(gauc / count, m.Gauc, 10);
        Assert.Equal(mrr / count, m.Mrr, 10);
        Assert.Equal(AucTests.BruteForceAuc(labels, probs), m.Auc, 10);
    }

    [Fact]
    public void No_user_with_both_labels_gives_NaN_per_user_metrics()
    {
        var m = Metrics.Compute([1, 2], new PackedLabels([1, 0]), [0.7f, 0.2f]);
        Assert.Equal(1.0, m.Auc, 12);
        Assert.True(double.IsNaN(m.Gauc));
        Assert.True(double.IsNaN(m.Ndcg10));
        Assert.True(double.IsNaN(m.Mrr));
    }

    [Fact]
    public void Mismatched_lengths_are_rejected_naming_the_counts()
    {
        var error = Assert.Throws<ArgumentException>(() => Metrics.Compute([1, 2, 3], new PackedLabels([1, 0]), [0.7f, 0.2f]));
        Assert.Contains("users has 3 rows", error.Message);
    }

    [Fact]
    public void Dictionary_uses_the_report_names_and_round_trips()
    {
        var metrics = new RankingMetrics(0.1, 0.2, 0.3, 0.4, 0.5, 0.6);
        var dictionary = metrics.ToDictionary();
        Assert.Equal(RankingMetrics.Names, dictionary.Keys);
        Assert.Equal(0.3, dictionary["ndcg@10"]);
        Assert.Equal(0.4, metrics["ndcg@20"]);
        Assert.Equal(metrics, RankingMetrics.FromDictionary(dictionary));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Rows_grouped_by_user_give_the_metrics_of_the_same_rows_held_with_their_users(int seed)
    {
        // Coarse scores tie often; some users hold one label only, some no row at all.
        var random = new Random(seed);
        var users = Enumerable.Range(0, 4000).Select(_ => random.Next(0, 300) * 2).ToArray();
        var labels = users.Select(u => u % 7 == 0 ? 1f : random.Next(2)).ToArray();
        var probabilities = users.Select(_ => random.Next(0, 40) / 40f).ToArray();
        var byUser = Enumerable.Range(0, users.Length).OrderBy(r => users[r]).ToArray();   // stable: each user's rows keep their order
        var offsets = new int[users.Max() + 2];
        foreach (var user in users) offsets[user + 1]++;
        for (var u = 0; u + 1 < offsets.Length; u++) offsets[u + 1] += offsets[u];

        var expected = Metrics.Compute(users, new PackedLabels(labels), probabilities);
        var groupedProbabilities = byUser.Select(r => probabilities[r]).ToArray();
        var grouped = Metrics.ComputeGrouped(offsets, new PackedLabels(byUser.Select(r => labels[r]).ToArray()), groupedProbabilities);

        // The same pairs summed in the same order: equal to the bit, but the log loss, summed in another row order.
        Assert.Equal((expected.Auc, expected.Gauc, expected.Ndcg10, expected.Ndcg20, expected.Mrr), (grouped.Auc, grouped.Gauc, grouped.Ndcg10, grouped.Ndcg20, grouped.Mrr));
        Assert.Equal(expected.LogLoss, grouped.LogLoss, 12);
        Assert.InRange(expected.Auc, 0.3, 0.7);
    }
}
