using InverseLearning.Training.Methods;
using InverseLearning.Training.Reports;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Tests.Methods;

public class InverseGradientTests
{
    [Theory]
    [InlineData(0.1f, 0.2f, 0.3f, IgCase.Direct)]
    [InlineData(0.3f, 0.2f, 0.25f, IgCase.Inverse)]
    [InlineData(0.3f, 0.4f, 0.25f, IgCase.Pass)]
    [InlineData(0.2f, 0.2f, 0.2f, IgCase.Direct)]      // ties: direct first
    [InlineData(0.3f, 0.2f, 0.2f, IgCase.Inverse)]     // then inverse
    public void Picks_the_smallest_loss_with_ties_to_direct_then_inverse(float direct, float inverse, float pass, IgCase expected) =>
        Assert.Equal(expected, InverseGradient.Choose(new CandidateLosses(direct, inverse, pass)));
}
