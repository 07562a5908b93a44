using InverseLearning.Data;
using InverseLearning.Training.Plugins;

namespace InverseLearning.Training.Models;

/// <summary>
/// What a backbone builds its model from: the run's settings, the vocabulary sizes (rows of
/// the user and item tables, the reserved row 0 included) and the training rows, which a model
/// that reads interactions (CDAE's histories, LightGCN's graph) takes its input from. Without
/// training rows the model is built for its shapes only (memory estimates).
/// </summary>
public sealed record ModelContext(TrainSettings Settings, int UserRows, int ItemRows, LabeledSet? Train = null)
{
    public int Dim => Settings.Dim;
    public int Seed => Settings.Seed;
    public double Option(PluginOption option) => Settings.Option(option);
}
