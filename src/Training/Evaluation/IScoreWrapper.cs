using InverseLearning.Training.Graph;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Evaluation;

/// <summary>
/// A rewrite of the trained model's scores that a strategy sets up after training (colliding
/// inference): the trainer's evaluation, the full ranking and the exported graph all go
/// through it, so every runtime serves the scores that were measured.
/// </summary>
public interface IScoreWrapper
{
    /// <summary>Rewrites <paramref name="logits"/>, the plain model's for these pairs.</summary>
    void Apply(TrainingEngine engine, ReadOnlySpan<int> users, ReadOnlySpan<int> items, Span<float> logits);

    /// <summary>A block scorer over the plain model's, rewriting each block as <see cref="Apply"/> does; it owns <paramref name="plain"/>.</summary>
    IUserBlockScorer Wrap(IUserBlockScorer plain);

    /// <summary>The exported graph's probability for (user, item) index pairs, from the plain model's (<paramref name="plain"/> scores any pairs).</summary>
    Value Export(GraphBuilder g, Value users, Value items, Value probability, Func<Value, Value, Value> plain);

    /// <summary>One line for model.onnx's metadata.</summary>
    string Describe();
}
