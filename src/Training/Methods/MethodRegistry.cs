using InverseLearning.Training.Plugins;
namespace InverseLearning.Training.Methods;

/// <summary>Every training method by its command-line name; adding a method is one line here and its own file.</summary>
public static class MethodRegistry
{
    public static readonly IReadOnlyList<TrainingMethod> All =
    [
        new PlainBce(), new NegativeSampling(), new TruncatedLoss(), new ReweightedLoss(), new DynamicNegativeSampling(),
        new Srns(), new CorrectAndWeight(), new InverseDualLoss(), new InverseGradient.InverseGradientMethod(),
    ];

    public static IReadOnlyList<string> Names { get; } = All.Select(m => m.Name).ToList();

    /// <summary>Every method's declared options (flags are unique across methods).</summary>
    public static IReadOnlyList<PluginOption> Options { get; } = All.SelectMany(m => m.Options).ToList();

    public static TrainingMethod Get(string name) =>
        All.FirstOrDefault(m => m.Name == name)
        ?? throw new ArgumentException($"--method: unknown method '{name}', expected one of {string.Join(", ", Names)}{Serving.Spelling.DidYouMean(name, Names)}");
}
