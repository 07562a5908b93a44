using InverseLearning.Training.Reports.Statistics;

namespace InverseLearning.Training.Tests.Reports.Statistics;

/// <summary>The t distribution against printed t-table values and closed forms (ν = 1: Cauchy; ν = 2: 1/2 + t/(2√(2+t²))).</summary>
public class StudentTTests
{
    [Theory]
    [InlineData(0.975, 1, 12.7062)]
    [InlineData(0.975, 2, 4.3027)]
    [InlineData(0.975, 4, 2.7764)]
    [InlineData(0.975, 9, 2.2622)]
    [InlineData(0.95, 10, 1.8125)]
    [InlineData(0.995, 30, 2.7500)]
    [InlineData(0.975, 1000, 1.9623)]
    public void Quantiles_match_the_t_table(double p, int df, double expected)
    {
        Assert.Equal(expected, StudentT.Quantile(p, df), 3);
        Assert.Equal(-expected, StudentT.Quantile(1 - p, df), 3);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-2.5)]
    [InlineData(7.0)]
    public void Cdf_matches_the_closed_forms_for_one_and_two_degrees_of_freedom(double t)
    {
        Assert.Equal(0.5 + Math.Atan(t) / Math.PI, StudentT.Cdf(t, 1), 12);
        Assert.Equal(0.5 + t / (2 * Math.Sqrt(2 + t * t)), StudentT.Cdf(t, 2), 12);
    }

    [Fact]
    public void Two_sided_p_is_twice_the_tail_and_quantile_inverts_the_cdf()
    {
        Assert.Equal(0.05, StudentT.TwoSidedP(2.776445, 4), 5);
        Assert.Equal(0.05, StudentT.TwoSidedP(-2.262157, 9), 5);
        Assert.Equal(1.0, StudentT.TwoSidedP(0, 5), 12);
        Assert.Equal(0.5, StudentT.Cdf(0, 3), 12);
        foreach (var p in new[] { 0.6, 0.9, 0.999 })
            Assert.Equal(p, StudentT.Cdf(StudentT.Quantile(p, 7), 7), 10);
    }

    [Fact]
    public void Large_degrees_of_freedom_approach_the_normal()
    {
        // Φ(1.959964) = 0.975.
        Assert.Equal(0.975, StudentT.Cdf(1.959964, 1e7), 5);
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => StudentT.Cdf(1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => StudentT.Quantile(1, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => StudentT.Quantile(0, 3));
    }
}
