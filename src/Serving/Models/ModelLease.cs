namespace InverseLearning.Serving.Models;

/// <summary>A request's hold on the model it started with; disposing it lets a retired model go.</summary>
public readonly struct ModelLease(LoadedModel model) : IDisposable
{
    public LoadedModel Model { get; } = model;

    public void Dispose() => Model.Release();
}
