using InverseLearning.Training.Plugins;
using InverseLearning.Training.Plans;

namespace InverseLearning.Training.Methods;

/// <summary>
/// A training method as a plugin: its name, the hyper-parameters it declares, and the
/// phases it trains with. The trainer runs the phases; it knows nothing of any method.
/// </summary>
public abstract class TrainingMethod
{
    public abstract string Name { get; }

    /// <summary>Whether the method's main pass trains on sampled unlabeled rows beside the labeled ones (--ng per labeled row).</summary>
    public virtual bool UsesUnlabeledRows => true;

    /// <summary>Whether some pass of the method needs sampled unlabeled rows, so that --ng must be at least 1 (IG's IDL gradient over none is 0 ÷ 0).</summary>
    public virtual bool RequiresUnlabeledRows => UsesUnlabeledRows;

    /// <summary>The hyper-parameters the method reads from <see cref="TrainSettings.Options"/>.</summary>
    public virtual IReadOnlyList<PluginOption> Options => [];

    /// <summary>Whether the method trains on the training split's two parts (training-train and training-test), which must then both hold rows.</summary>
    public virtual bool NeedsTrainingTest => false;

    /// <summary>
    /// The step graphs the method runs besides the plain step's, each in a session of its own whose ONNX Runtime arena holds a
    /// backbone's activations (LightGCN's propagation) once more, for the run's estimate.
    /// </summary>
    public virtual IReadOnlyList<string> FurtherStepGraphs => [];

    /// <summary>The memory the method holds beyond the trainer's own (candidates, per-user memories), for the run's estimate.</summary>
    public virtual IEnumerable<RunMemoryEstimate.Part> MemoryParts(MethodMemory memory) => [];

    /// <summary>The method's phases (usually one) and its primary objective, built once per run.</summary>
    public abstract MethodPlan Plan(PlanContext context);

    /// <summary>Why the method cannot learn to rank from <paramref name="train"/>'s labels, and what to use instead; null when it can.</summary>
    public virtual string? CannotLearnFrom(Data.ITrainingRows train) => null;

    /// <summary>The values of the method's options in <paramref name="settings"/>, for the run's records.</summary>
    public IReadOnlyDictionary<string, double> Settings(TrainSettings settings) => settings.ValuesOf(Options);
}

/// <summary>A method's phases and the objective its training artifacts are written with.</summary>
public sealed record MethodPlan(IReadOnlyList<Phase> Phases, Objective Primary);
