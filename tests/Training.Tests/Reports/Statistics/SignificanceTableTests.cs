using InverseLearning.Training.Reports.Statistics;

namespace InverseLearning.Training.Tests.Reports.Statistics;

/// <summary>Wins and losses only when p &lt; 0.05, ties otherwise, whatever the sign; logloss counts lower as better.</summary>
public class SignificanceTableTests
{
    private static Comparison Of(string method, string metric, params double[] differences) =>
        new("gmf", method, "none", metric, PairedDifference.Of(differences));

    [Fact]
    public void Verdicts_follow_significance_and_direction()
    {
        Assert.Equal(ComparisonResult.Win, Of("ig", "auc", 0.01, 0.02, 0.03, 0.02, 0.02).Result);
        Assert.Equal(ComparisonResult.Loss, Of("ig", "auc", -0.01, -0.02, -0.03, -0.02, -0.02).Result);
        // A larger mean difference that is not significant (p ≈ 0.074) is a tie.
        Assert.Equal(ComparisonResult.Tie, Of("ig", "auc", 1, 2, 3).Result);
        // Lower logloss is better.
        Assert.Equal(ComparisonResult.Win, Of("ig", "logloss", -0.01, -0.02, -0.03, -0.02, -0.02).Result);
    }

    [Fact]
    public void Table_writes_each_cell_with_its_verdict_interval_and_p()
    {
        var comparisons = new[]
        {
            Of("ig", "auc", 0.01, 0.02, 0.03, 0.02, 0.02),
            Of("ig", "gauc", 1, 2, 3),
            Of("ns", "auc", -0.01, -0.02, -0.03, -0.02, -0.02),
        };
        var text = SignificanceTable.Markdown("none", comparisons);
        var lines = text.Split('\n');
        Assert.Equal("| vs none | gmf NDCG@10 | gmf AUC | gmf GAUC |", lines[0]);
        Assert.Equal("| ig | – | **win** +0.0200 [+0.0112, +0.0288] p 0.003 | tie +2.0000 [−0.4841, +4.4841] p 0.074 |", lines[2]);
        Assert.StartsWith("| ns | – | **loss** −0.0200", lines[3]);
        Assert.Contains("otherwise it is a tie", text);
    }

    [Theory]
    [InlineData(0.02, "+0.0200")]
    [InlineData(-0.02, "−0.0200")]
    [InlineData(-0.00001, "−0.0000")]     // rounds to zero, keeps its sign (a custom format wrote "-+0.0000")
    [InlineData(0.00001, "+0.0000")]
    [InlineData(0.0, "+0.0000")]
    public void Differences_carry_exactly_one_sign(double value, string expected) =>
        Assert.Equal(expected, SignificanceTable.Signed(value, 4));
}
