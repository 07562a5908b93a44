namespace InverseLearning.Training.Models;

/// <summary>Creates a model by its command-line name.</summary>
public static class ModelFactory
{
    public static readonly IReadOnlyList<string> Names = ["gmf", "neumf", "mlp"];

    public static IRecommender Create(string name, int dim, int layers) => name switch
    {
        "gmf" => new Gmf(dim),
        "neumf" => new NeuMf(dim, layers),
        "mlp" => new Mlp(dim, layers),
        _ => throw new ArgumentException($"unknown model '{name}': expected one of {string.Join(", ", Names)}"),
    };
}
