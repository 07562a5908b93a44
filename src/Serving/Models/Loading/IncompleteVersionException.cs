namespace InverseLearning.Serving.Models.Loading;

/// <summary>
/// A repository version's file not there yet, or shorter than its manifest says: refused as any missing file or mismatch, but it
/// may still be on its way in (a version copied into place, not renamed in whole), which the model host waits for while it changes.
/// </summary>
/// <param name="progress">How far the copy is, for the line that says it is waited for ("model.onnx is 1,024 of the 4,096 bytes its manifest says").</param>
public sealed class IncompleteVersionException(string message, string progress) : ModelLoadException(message)
{
    /// <summary>How far the copy is.</summary>
    public string Progress { get; } = progress;
}
