namespace InverseLearning.Training.Models;

/// <summary>Creates a model by its command-line name.</summary>
public static class ModelFactory
{
    public static readonly IReadOnlyList<string> Names = ["gmf", "neumf", "mlp", "cdae"];

    /// <param name="dropout">Dropout before each MLP layer in training (NeuMF, MLP); 0 as the authors' default.</param>
    /// <param name="corruption">CDAE's dropout of history entries in training.</param>
    /// <param name="history">CDAE's input: each user's training history (read only for cdae).</param>
    public static IRecommender Create(string name, int dim, int layers, double dropout = 0, int seed = 0,
        double corruption = 0, Func<UserHistory>? history = null) => name switch
    {
        "cdae" => new Cdae(dim, corruption, history?.Invoke() ?? throw new ArgumentException("cdae needs the users' histories"), seed),
        "gmf" => new Gmf(dim),
        "neumf" => new NeuMf(dim, layers, dropout, seed),
        "mlp" => new Mlp(dim, layers, dropout, seed),
        _ => throw new ArgumentException($"unknown model '{name}': expected one of {string.Join(", ", Names)}"),
    };
}
