namespace InverseLearning.Data;

/// <summary>
/// Who read the recorded parts a lake is read as (<see cref="LogDataset.OnlyRead"/>), as its refusals and notes name it
/// ("RUN/checkpoint's run", "run R's coordinator"), and what a refusal advises.
/// </summary>
public sealed record PartsReader(string Name, string Advice);
