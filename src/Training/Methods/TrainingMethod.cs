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

    /// <summary>Binds the extra graph inputs the objective declared (e.g. T-CE's drop count) for the coming step.</summary>
    public virtual void BindExtraInputs(GraphSession step, StepRows rows, long iteration) { }

    /// <summary>Runs before each step; may rewrite the batch's unlabeled rows (DNS and SRNS choose them).</summary>
    public virtual void BeforeStep(TrainingEngine engine, StepRows rows, int epoch) { }

    /// <summary>One epoch of training; by default one pass of steps over all training rows.</summary>
    public virtual void RunEpoch(Trainer trainer, int epoch) => trainer.PlainEpoch(this, epoch);

    /// <summary>Hyper-parameters worth recording with the results.</summary>
    public virtual IReadOnlyDictionary<string, object> Settings => new Dictionary<string, object>();
}
