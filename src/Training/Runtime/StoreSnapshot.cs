namespace InverseLearning.Training.Runtime;

/// <summary>A store's values and optimizer state at one moment, opaque to everyone but the store that took it.</summary>
public abstract class StoreSnapshot : IDisposable
{
    /// <summary>Frees what the snapshot holds outside the managed heap (a device store's copy in GPU memory); nothing for host copies.</summary>
    public virtual void Dispose() { }
}
