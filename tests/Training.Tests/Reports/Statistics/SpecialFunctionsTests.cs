using InverseLearning.Training.Reports.Statistics;

namespace InverseLearning.Training.Tests.Reports.Statistics;

/// <summary>log Γ and I_x(a, b) against values that follow from their definitions.</summary>
public class SpecialFunctionsTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(5, 3.1780538303479458)]      // log 24
    [InlineData(0.5, 0.57236494292470008)]   // log √π
    [InlineData(10.5, 13.940625219403763)]   // log(9.5·8.5·…·0.5·√π)
    public void Log_gamma_matches_known_values(double x, double expected) =>
        Assert.Equal(expected, SpecialFunctions.LogGamma(x), 12);

    [Theory]
    [InlineData(0.3)]
    [InlineData(0.75)]
    [InlineData(0.99)]
    public void Incomplete_beta_matches_its_closed_forms(double x)
    {
        Assert.Equal(x, SpecialFunctions.RegularizedIncompleteBeta(x, 1, 1), 12);
        Assert.Equal(Math.Pow(x, 3.5), SpecialFunctions.RegularizedIncompleteBeta(x, 3.5, 1), 12);
        Assert.Equal(1 - Math.Pow(1 - x, 4), SpecialFunctions.RegularizedIncompleteBeta(x, 1, 4), 12);
        // I_x(2, 2) = 3x² − 2x³.
        Assert.Equal(3 * x * x - 2 * x * x * x, SpecialFunctions.RegularizedIncompleteBeta(x, 2, 2), 12);
        // Symmetry I_x(a, b) = 1 − I_{1−x}(b, a) on unequal parameters, both branches of the fraction.
        Assert.Equal(1 - SpecialFunctions.RegularizedIncompleteBeta(1 - x, 0.5, 7), SpecialFunctions.RegularizedIncompleteBeta(x, 7, 0.5), 12);
    }

    [Fact]
    public void Incomplete_beta_is_one_half_at_the_middle_of_a_symmetric_beta()
    {
        foreach (var a in new[] { 0.5, 3, 40 })
            Assert.Equal(0.5, SpecialFunctions.RegularizedIncompleteBeta(0.5, a, a), 12);
        Assert.Equal(0, SpecialFunctions.RegularizedIncompleteBeta(0, 2, 3));
        Assert.Equal(1, SpecialFunctions.RegularizedIncompleteBeta(1, 2, 3));
    }
}
