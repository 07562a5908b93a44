using InverseLearning.Data;

namespace InverseLearning.Training.Plans;

/// <summary>
/// Where a pass's batches come from: a labeled set of the dataset, with
/// <see cref="UnlabeledPerRow"/> sampled unlabeled rows per labeled row (0 for none).
/// <see cref="Stream"/> keeps the shuffles and samples of different passes independent:
/// batches depend only on (seed, stream, epoch), so any epoch can be replayed.
/// </summary>
public sealed record DataSource(string Name, Func<PreparedDataset, LabeledSet> Rows, int UnlabeledPerRow, int Stream)
{
    public static DataSource Train(int unlabeledPerRow) => new("train", d => d.Train, unlabeledPerRow, Stream: 0);
    public static DataSource TrainingTrain(int unlabeledPerRow) => new("training-train", d => d.TrainTrain, unlabeledPerRow, Stream: 0);
    public static DataSource TrainingTest(int unlabeledPerRow) => new("training-test", d => d.TrainTest, unlabeledPerRow, Stream: 1);
}
