using InverseLearning.Training.Graph;

namespace InverseLearning.Training.Models;

/// <summary>A fully connected layer y = x·W + b, declared as two dense parameters.</summary>
public sealed record DenseLayer(string Name, int Inputs, int Outputs, DenseInit WeightInit)
{
    public DenseSpec Weight => new($"{Name}.weight", [Inputs, Outputs], WeightInit, Inputs, Outputs);
    public DenseSpec Bias => new($"{Name}.bias", [Outputs], DenseInit.Zeros, Inputs, Outputs);

    public Value Apply(GraphBuilder g, Value x, IReadOnlyDictionary<string, Value> dense) =>
        g.Gemm(x, dense[Weight.Name], dense[Bias.Name]);
}
