using InverseLearning.Data;
using InverseLearning.Data.Simulation;
using InverseLearning.Training.Methods;
using InverseLearning.Training.Plans;
using InverseLearning.Training.Plugins;

namespace InverseLearning.Training.Strategies;

/// <summary>
/// Something that composes with any method (DenoisingRec's warm-up, finetune, colliding
/// inference), declared like a method: its options, and hooks into the run. The trainer and
/// the stages call the hooks of the strategies a run's options turn on; none names a strategy.
/// </summary>
public abstract class Strategy
{
    public abstract string Name { get; }

    /// <summary>The options it reads from <see cref="TrainSettings.Options"/>; they also turn it on.</summary>
    public abstract IReadOnlyList<PluginOption> Options { get; }

    /// <summary>Options a resumed run may change (the rest must match the checkpoint).</summary>
    public virtual IReadOnlyList<PluginOption> ResumableOptions => [];

    /// <summary>The option that turns it on; its other options are read only when it is on.</summary>
    public abstract PluginOption Switch { get; }

    /// <summary>Whether <paramref name="settings"/> use it.</summary>
    public bool IsOn(TrainSettings settings) => settings.Option(Switch) > 0;

    /// <summary>One line naming the flags when these settings cannot work (each option's own range is checked already); null when they can.</summary>
    public virtual string? Check(TrainSettings settings) => null;

    /// <summary>One line naming the flags when these settings cannot work on <paramref name="data"/>, known once the log is read; null when they can.</summary>
    public virtual string? Check(TrainSettings settings, PreparedDataset data) => null;

    /// <summary>Adds its phases around the method's, or hooks onto theirs (in registry order, each after the ones before it).</summary>
    public virtual void Shape(List<Phase> phases, PlanContext context) { }

    /// <summary>
    /// Once the best parameters are restored (after training, or a checkpoint loaded for eval and
    /// export): whatever it changes in scoring from then on (<see cref="SetScorer.Rewrite"/>), and
    /// the entries it adds to metrics.json.
    /// </summary>
    public virtual IReadOnlyDictionary<string, object?> AfterTraining(Trainer trainer) => Empty;

    /// <summary>Entries it adds to metrics.json beside the run's full ranking (the trained model, the protocol's K).</summary>
    public virtual IReadOnlyDictionary<string, object?> FullRankingReports(Trainer trainer, GroundTruth? truth, IReadOnlyList<int> ks) => Empty;

    protected static readonly IReadOnlyDictionary<string, object?> Empty = new Dictionary<string, object?>();

    /// <summary>The values of its options in <paramref name="settings"/>.</summary>
    public IReadOnlyDictionary<string, double> Settings(TrainSettings settings) => settings.ValuesOf(Options);
}
