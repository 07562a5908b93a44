using InverseLearning.Training.Models;

namespace InverseLearning.Training.Runtime;

/// <summary>What a run asks of a store: the model whose parameters it holds, the vocabulary sizes, the optimizer's state slots, and how to initialise.</summary>
public sealed record StoreRequest(IRecommender Model, int UserRows, int ItemRows, int StateSlots, int Seed, InitScheme Init);
