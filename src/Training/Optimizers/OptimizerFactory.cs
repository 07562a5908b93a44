namespace InverseLearning.Training.Optimizers;

/// <summary>Creates an optimizer by its command-line name.</summary>
public static class OptimizerFactory
{
    public static readonly IReadOnlyList<string> Names = ["adam", "sgd"];

    public static IOptimizer Create(string name) => name switch
    {
        "adam" => new Adam(),
        "sgd" => new Sgd(),
        _ => throw new ArgumentException($"unknown optimizer '{name}': expected one of {string.Join(", ", Names)}"),
    };
}
