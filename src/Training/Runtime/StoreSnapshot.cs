namespace InverseLearning.Training.Runtime;

/// <summary>A store's values and optimizer state at one moment, opaque to everyone but the store that took it.</summary>
public abstract class StoreSnapshot;
