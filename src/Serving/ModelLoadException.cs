namespace InverseLearning.Serving;

/// <summary>A model file that cannot serve: missing, unreadable, or not the exported model's contract. The message names the file and what is wrong.</summary>
public sealed class ModelLoadException(string message, Exception? inner = null) : Exception(message, inner);
