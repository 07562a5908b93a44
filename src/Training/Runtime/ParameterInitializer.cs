using InverseLearning.Training.Models;

namespace InverseLearning.Training.Runtime;

/// <summary>
/// A model's parameters as every store holds them, and their initial values: embedding tables
/// N(0, std²) (the authors' nn.init.normal_), then dense layers by their scheme, all from one
/// seeded generator in <see cref="Parameters"/> order, so every store starts from the same
/// numbers. <see cref="Fill"/> must be called once per parameter, in order.
/// </summary>
public sealed class ParameterInitializer(IRecommender model, int userRows, int itemRows, int seed, InitScheme init)
{
    private readonly Random _rng = new(seed);
    private int _next;

    /// <summary>Embedding tables in declared order (a History table is indexed by item), then dense parameters.</summary>
    public IReadOnlyList<ParameterInfo> Parameters { get; } = [
        .. model.Embeddings.Select(spec => new ParameterInfo(spec.Name, [spec.Side == TableSide.User ? userRows : itemRows, spec.Dim], spec.Side, spec.Whole)),
        .. model.Dense.Select(d => new ParameterInfo(d.Name, d.Shape, null, false))];

    public void Fill(int parameter, Span<float> values)
    {
        if (parameter != _next++) throw new InvalidOperationException($"parameters are initialised in order: expected {_next - 1}, got {parameter}");
        var tables = model.Embeddings.Count;
        if (parameter < tables) FillNormal(values, model.Embeddings[parameter].InitStd);
        else model.Dense[parameter - tables].Initialize(values, _rng, init);
    }

    // Box–Muller: N(0, std²).
    private void FillNormal(Span<float> values, double std)
    {
        for (var i = 0; i < values.Length; i += 2)
        {
            var radius = Math.Sqrt(-2 * Math.Log(1 - _rng.NextDouble()));
            var angle = 2 * Math.PI * _rng.NextDouble();
            values[i] = (float)(std * radius * Math.Cos(angle));
            if (i + 1 < values.Length) values[i + 1] = (float)(std * radius * Math.Sin(angle));
        }
    }
}
