using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Evaluation;

/// <summary>A block scorer that can leave its logits where its tables are (device memory), for a top-K taken there (<see cref="DeviceTopK"/>).</summary>
public interface IDeviceBlockScorer : IUserBlockScorer
{
    /// <summary>Writes the first users.Length × <see cref="IUserBlockScorer.ItemRows"/> logits into <paramref name="logits"/>.</summary>
    void Score(ReadOnlySpan<int> users, TensorMemory logits);
}
