namespace InverseLearning.Data;

/// <summary>
/// Who read the recorded parts a lake is read as (<see cref="LogDataset.OnlyRead"/>), as its refusals and notes name it
/// ("RUN/checkpoint's run", "run R's coordinator"), and what a refusal advises: <paramref name="Advice"/> where the lake changed
/// (a part gone or rewritten), <paramref name="NarrowerAdvice"/> where a part is still there but outside what --data and --where read.
/// </summary>
public sealed record PartsReader(string Name, string Advice, string NarrowerAdvice);
