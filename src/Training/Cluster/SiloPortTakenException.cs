namespace InverseLearning.Training.Cluster;

/// <summary>A local silo stopped because a port drawn for it was taken before it could bind it.</summary>
public sealed class SiloPortTakenException(string message) : IOException(message);
