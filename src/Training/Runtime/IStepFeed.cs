using InverseLearning.Training.Models;

namespace InverseLearning.Training.Runtime;

/// <summary>
/// What a model feeds a training step beside the batch's rows, prepared per step and bound as
/// graph inputs (CDAE: the entries of its users' histories). Its graph inputs are the ones the
/// model's <see cref="IRecommender.TrainingLogits"/> declares.
/// </summary>
public interface IStepFeed
{
    /// <summary>Builds the step's inputs from its rows, before its working set is pulled.</summary>
    void Prepare(StepRows rows);

    /// <summary>The rows of the model's <see cref="TableSide.History"/> table this step reads.</summary>
    ReadOnlySpan<int> HistoryItems { get; }

    /// <summary>The most rows <see cref="HistoryItems"/> can hold: the History table's working-set capacity.</summary>
    int HistoryItemCapacity { get; }

    void Bind(GraphSession session);
}
