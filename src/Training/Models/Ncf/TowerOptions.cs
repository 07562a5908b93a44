using InverseLearning.Training.Plugins;

namespace InverseLearning.Training.Models;

/// <summary>The options of NCF's MLP tower, which NeuMF and MLP both declare (one flag each).</summary>
public static class TowerOptions
{
    // 15: the most --dim 1 leaves within MaxWidth (2^14); 16 could never pass.
    public static readonly PluginOption Layers = new("layers", "MLP layers (NeuMF, MLP).", 3, 1, 15, Integer: true);
    public static readonly PluginOption Dropout = new("dropout", "Dropout before each MLP layer in training (NeuMF, MLP).", 0, 0, 1, MaxExclusive: true);

    /// <summary>The widest a tower's embeddings may be: its first layer holds 2·width² weights.</summary>
    public const long MaxWidth = 16_384;

    public static IReadOnlyList<PluginOption> All => [Layers, Dropout];

    public static int LayerCount(TrainSettings settings) => (int)settings.Option(Layers);

    /// <summary>One line when --dim × 2^(--layers − 1), the tower's width, is past <see cref="MaxWidth"/>.</summary>
    public static string? CheckWidth(TrainSettings settings)
    {
        var layers = LayerCount(settings);
        var width = (long)settings.Dim << (layers - 1);
        return width <= MaxWidth ? null
            : $"--dim × 2^(--layers − 1), the width of {settings.Model}'s MLP tower, must be at most {MaxWidth:N0}, got {settings.Dim} × 2^{layers - 1} = {width:N0}";
    }

    public static MlpTower Tower(ModelContext context) =>
        new(context.Dim, LayerCount(context.Settings), context.Option(Dropout), context.Seed);
}
