using InverseLearning.Training.Graph;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Methods;

/// <summary>
/// A training method: the objective its steps minimise, what its batches hold, and
/// host-side work before each step. The trainer composes it with a model and an
/// optimizer; methods that change the epoch itself (IG) override <see cref="RunEpoch"/>.
/// </summary>
public abstract class TrainingMethod
{
    public abstract string Name { get; }

    /// <summary>Whether training batches carry sampled unlabeled rows (ng per labeled row).</summary>
    public virtual bool UsesUnlabeledRows => true;

    /// <summary>The scalar objective over a batch's rows given their logits.</summary>
    public abstract Value Loss(WorkingSetInputs x, Value logits);

    /// <summary>Hyper-parameters worth recording with the results.</summary>
    public virtual IReadOnlyDictionary<string, object> Settings => new Dictionary<string, object>();
}
