using InverseLearning.Training.Plugins;

namespace InverseLearning.Training.Models;

/// <summary>
/// A backbone as a plugin, declared like a method: its name, the options it reads (which the
/// CLI offers, validates and records), and how it builds its <see cref="IRecommender"/> for a
/// run. Adding one is its own folder and a line in <see cref="ModelRegistry"/>.
/// </summary>
public abstract class Backbone
{
    public abstract string Name { get; }

    /// <summary>One phrase for --model's help.</summary>
    public abstract string Description { get; }

    /// <summary>The hyper-parameters the backbone reads from <see cref="TrainSettings.Options"/> (--dim is every backbone's).</summary>
    public virtual IReadOnlyList<PluginOption> Options => [];

    /// <summary>The flags that size its parameters, named when they ask for more memory than there is.</summary>
    public virtual string SizeFlags => "--dim";

    /// <summary>One line naming the flags when these settings cannot build the model (each option's own range is checked already); null when they can.</summary>
    public virtual string? Check(TrainSettings settings) => null;

    public abstract IRecommender Create(ModelContext context);

    /// <summary>Whether the model reads the training interactions (<see cref="ModelContext.Train"/>); a streamed run gathers them only for such a model.</summary>
    public virtual bool ReadsInteractions => false;

    /// <summary>Memory a step of this backbone holds beyond its working set and per-row activations (LightGCN's propagation over the graph), for the run's estimate.</summary>
    public virtual IEnumerable<RunMemoryEstimate.Part> MemoryParts(TrainSettings settings, double trainingRows) => [];

    /// <summary>The values of the backbone's options in <paramref name="settings"/>, for the run's records.</summary>
    public IReadOnlyDictionary<string, double> Settings(TrainSettings settings) => settings.ValuesOf(Options);
}
