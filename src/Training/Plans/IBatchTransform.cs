using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Plans;

/// <summary>Rewrites a batch before its step, from the current model (DNS and SRNS pick the unlabeled items).</summary>
public interface IBatchTransform
{
    void Apply(StepContext context, StepRows rows);
}
