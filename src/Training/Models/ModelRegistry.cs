using InverseLearning.Training.Plugins;

namespace InverseLearning.Training.Models;

/// <summary>Every backbone by its command-line name; adding one is one line here and its own folder.</summary>
public static class ModelRegistry
{
    public static readonly IReadOnlyList<Backbone> All =
    [
        new GmfBackbone(), new NeuMfBackbone(), new MlpBackbone(), new CdaeBackbone(), new LightGcnBackbone(),
    ];

    public static IReadOnlyList<string> Names { get; } = All.Select(b => b.Name).ToList();

    /// <summary>Every backbone's declared options, each once (NeuMF and MLP share their tower's).</summary>
    public static IReadOnlyList<PluginOption> Options { get; } = All.SelectMany(b => b.Options).Distinct().ToList();

    public static Backbone Get(string name) =>
        All.FirstOrDefault(b => b.Name == name)
        ?? throw new ArgumentException($"--model: unknown model '{name}', expected one of {string.Join(", ", Names)}{Serving.Spelling.DidYouMean(name, Names)}");

    /// <summary>A model by name with plain sizes and every other option at its default, built for its shapes (no training rows: tools and tests).</summary>
    public static IRecommender Create(string name, int dim, int layers) =>
        Create(new ModelContext(new TrainSettings { Model = name, Dim = dim }.WithOption(TowerOptions.Layers, layers), UserRows: 2, ItemRows: 2));

    /// <summary>The model <paramref name="context"/>'s settings name, built for that context.</summary>
    public static IRecommender Create(ModelContext context) => Get(context.Settings.Model).Create(context);
}
