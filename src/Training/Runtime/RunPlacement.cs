namespace InverseLearning.Training.Runtime;

/// <summary>Where a run's parameters live (null: the settings' --store) and its part among data-parallel workers (null: it trains alone).</summary>
public sealed record RunPlacement(Func<StoreRequest, IParameterStore>? Store = null, IEpochSync? Sync = null);
