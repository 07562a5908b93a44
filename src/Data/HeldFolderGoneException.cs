namespace InverseLearning.Data;

/// <summary>A held folder (<see cref="HeldFolders"/>) was removed or moved while its command wrote into it.</summary>
public sealed class HeldFolderGoneException(string message) : IOException(message);
