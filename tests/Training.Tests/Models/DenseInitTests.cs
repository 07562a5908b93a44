using InverseLearning.Training.Models;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Tests.Models;

/// <summary>
/// The dense layers' two initialisations, checked against their bounds worked out by hand:
/// NCF's (Xavier-uniform tower, Kaiming-uniform predict layer, zero biases) and PyTorch's
/// nn.Linear defaults (weights and biases U(±1/√fan_in)).
/// </summary>
public class DenseInitTests
{
    // NeuMF with dim 8 and 2 layers: tower 32→16→8, predict 16→1.
    private static IReadOnlyDictionary<string, float[]> Dense(InitScheme scheme) =>
        new HostParameterStore(new NeuMf(dim: 8, layers: 2), userRows: 3, itemRows: 3, stateSlots: 0, seed: 5, scheme)
            .Dense.ToDictionary(p => p.Name, p => p.Values);

    /// <summary>Every value within ±bound, and the largest near the bound (uniform, not a narrower law).</summary>
    private static void UniformWithin(float[] values, double bound)
    {
        var largest = values.Max(v => Math.Abs(v));
        Assert.True(largest <= bound, $"|value| {largest} exceeds the bound {bound}");
        Assert.True(largest > 0.8 * bound, $"largest |value| {largest} is far inside the bound {bound}");
    }

    [Fact]
    public void Ncf_draws_xavier_for_the_tower_kaiming_for_the_predict_layer_and_zero_biases()
    {
        var dense = Dense(InitScheme.Ncf);
        UniformWithin(dense["mlp0.weight"], Math.Sqrt(6.0 / (32 + 16)));
        UniformWithin(dense["mlp1.weight"], Math.Sqrt(6.0 / (16 + 8)));
        UniformWithin(dense["predict.weight"], Math.Sqrt(3.0 / 16));
        Assert.All(new[] { "mlp0.bias", "mlp1.bias", "predict.bias" }, name => Assert.All(dense[name], v => Assert.Equal(0f, v)));
    }

    [Fact]
    public void Torch_draws_weights_and_biases_within_one_over_root_fan_in()
    {
        var dense = Dense(InitScheme.Torch);
        UniformWithin(dense["mlp0.weight"], 1 / Math.Sqrt(32));
        UniformWithin(dense["mlp1.weight"], 1 / Math.Sqrt(16));
        UniformWithin(dense["predict.weight"], 1 / Math.Sqrt(16));
        UniformWithin(dense["mlp0.bias"], 1 / Math.Sqrt(32));
        UniformWithin(dense["mlp1.bias"], 1 / Math.Sqrt(16));
        Assert.InRange(Math.Abs(dense["predict.bias"][0]), 1e-9, 1 / Math.Sqrt(16));
    }

    [Fact]
    public void A_parameter_outside_a_layer_starts_as_declared_under_either_scheme()
    {
        var spec = new DenseSpec("hidden_bias", [64], DenseInit.Zeros);
        var values = new float[64];
        spec.Initialize(values, new Random(1), InitScheme.Torch);
        Assert.All(values, v => Assert.Equal(0f, v));
    }
}
