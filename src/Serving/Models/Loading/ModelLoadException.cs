namespace InverseLearning.Serving.Models.Loading;

/// <summary>A model file that cannot serve: missing, unreadable, or not the exported model's contract. The message names the file and what is wrong.</summary>
public class ModelLoadException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>ONNX Runtime's messages run to several lines; the first says what is wrong.</summary>
    internal static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
