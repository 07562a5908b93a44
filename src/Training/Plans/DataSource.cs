using InverseLearning.Data;

namespace InverseLearning.Training.Plans;

/// <summary>
/// Where a pass's batches come from: a labeled set of the dataset, with
/// <see cref="UnlabeledPerRow"/> sampled unlabeled rows per labeled row (0 for none).
/// <see cref="Stream"/> keeps the shuffles and samples of different sources independent:
/// batches depend only on (seed, stream, epoch), so any epoch can be replayed. The plan numbers
/// its sources (<see cref="TrainingPlan.WithStreams"/>); a source given a number keeps it.
/// </summary>
public sealed record DataSource(string Name, Func<PreparedDataset, ITrainingRows> Rows, int UnlabeledPerRow, int? Stream = null)
{
    public static DataSource Train(int unlabeledPerRow) => new("train", d => d.TrainRows, unlabeledPerRow);
    public static DataSource TrainingTrain(int unlabeledPerRow) => new("training-train", d => d.TrainTrainRows, unlabeledPerRow);
    public static DataSource TrainingTest(int unlabeledPerRow) => new("training-test", d => d.TrainTestRows, unlabeledPerRow);
}
