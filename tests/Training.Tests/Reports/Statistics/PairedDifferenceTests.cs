using InverseLearning.Training.Reports.Statistics;

namespace InverseLearning.Training.Tests.Reports.Statistics;

/// <summary>Paired t statistics and the exact Wilcoxon test on hand-computed cases.</summary>
public class PairedDifferenceTests
{
    [Fact]
    public void Three_pairs_by_hand()
    {
        // d = 1, 2, 3: mean 2, s = 1, se = 1/√3, t = 2√3 = 3.4641 on 2 df;
        // p = 1 − t/√(2 + t²) = 1 − 3.4641/√14 = 0.074180; CI 2 ± 4.302653/√3 = [−0.484138, 4.484138].
        var d = PairedDifference.Of([1, 2, 3]);
        Assert.Equal(3, d.Count);
        Assert.Equal(2, d.Mean, 12);
        Assert.Equal(1, d.Std, 12);
        Assert.Equal(2 * Math.Sqrt(3), d.T, 9);
        Assert.Equal(1 - 2 * Math.Sqrt(3) / Math.Sqrt(14), d.PValue, 9);
        Assert.Equal(-0.484138, d.CiLow, 5);
        Assert.Equal(4.484138, d.CiHigh, 5);
        Assert.False(d.Significant);
        Assert.Null(d.WilcoxonP);
    }

    [Fact]
    public void Five_pairs_use_four_degrees_of_freedom()
    {
        // d = 0.01, 0.02, 0.03, 0.02, 0.02: mean 0.02, s = √(0.0002/4) = 0.0070711, se = 0.0031623, t = 6.3246.
        var d = PairedDifference.Of([0.01, 0.02, 0.03, 0.02, 0.02]);
        Assert.Equal(0.02 / (Math.Sqrt(0.0002 / 4) / Math.Sqrt(5)), d.T, 6);
        Assert.Equal(0.02 - 2.776445 * 0.0031623, d.CiLow, 5);
        Assert.Equal(StudentT.TwoSidedP(d.T, 4), d.PValue, 12);
        Assert.InRange(d.PValue, 0.003, 0.004); // t(0.9985, 4) ≈ 6.3
        Assert.True(d.Significant);
    }

    [Fact]
    public void Identical_differences_have_infinite_t_and_zero_differences_a_p_of_one()
    {
        var same = PairedDifference.Of([0.01, 0.01, 0.01]);
        Assert.Equal(0, same.PValue);
        Assert.True(double.IsPositiveInfinity(same.T));
        var none = PairedDifference.Of([0, 0]);
        Assert.Equal(1, none.PValue);
        Assert.False(none.Significant);
    }

    [Fact]
    public void One_repeat_is_not_a_comparison() =>
        Assert.Contains("at least 2 repeats", Assert.Throws<ArgumentException>(() => PairedDifference.Of([0.1])).Message);

    [Fact]
    public void Wilcoxon_exact_p_values_by_hand()
    {
        // All 6 positive: W+ = 21, the largest of 2⁶ outcomes; p = 2/64.
        Assert.Equal(2.0 / 64, WilcoxonSignedRank.Test([1, 2, 3, 4, 5, 6]).PValue, 12);
        // One negative of rank 2: W+ = 19; P(W+ ≥ 19) = #{subsets summing ≤ 2} / 64 = 3/64; p = 6/64.
        var r = WilcoxonSignedRank.Test([1, -2, 3, 4, 5, 6]);
        Assert.Equal(19, r.WPlus);
        Assert.Equal(6.0 / 64, r.PValue, 12);
        // Ties and a zero: 0 dropped; |d| = 1,1,1,2 get ranks 2,2,2,4; W+ = 8 of 10.
        // P(W+ ≥ 8) = #{sign sets with W+ ∈ {8, 10}} / 16 = (3 + 1)/16; p = 0.5.
        var tied = WilcoxonSignedRank.Test([1, 1, -1, 2, 0]);
        Assert.Equal(4, tied.NonZero);
        Assert.Equal(8, tied.WPlus);
        Assert.Equal(0.5, tied.PValue, 12);
        // The sign of all differences flipped gives the same two-sided p.
        Assert.Equal(r.PValue, WilcoxonSignedRank.Test([-1, 2, -3, -4, -5, -6]).PValue, 12);
    }

    [Fact]
    public void Wilcoxon_p_is_at_most_one_when_the_statistic_sits_at_the_centre_of_its_distribution()
    {
        // |d| = 1, 1 tie at rank 1.5: W+ = 1.5 of {0, 1.5, 1.5, 3}, so both tails hold 3/4 and twice the smaller is 3/2.
        Assert.Equal(1.0, WilcoxonSignedRank.Test([1, -1]).PValue);
        // Six repeats, ranks 1.5, 1.5, 3.5, 3.5, 5.5, 5.5 with one of each pair positive: W+ = 10.5 = 21 / 2.
        Assert.Equal(1.0, PairedDifference.Of([0.01, -0.01, 0.02, -0.02, 0.03, -0.03]).WilcoxonP);
    }

    [Fact]
    public void Wilcoxon_is_reported_from_its_threshold_on()
    {
        Assert.Null(PairedDifference.Of([1, 2, 3, 4, 5]).WilcoxonP);
        Assert.Equal(2.0 / 64, PairedDifference.Of([1, 2, 3, 4, 5, 6]).WilcoxonP!.Value, 12);
        // Below the threshold the exact test cannot reach 0.05: 5 positives give 2/32.
        Assert.True(WilcoxonSignedRank.Test([1, 2, 3, 4, 5]).PValue > 0.05);
    }
}
