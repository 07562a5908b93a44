namespace InverseLearning.Data;

/// <summary>
/// Labeled rows a training pass draws its mini-batches from: held in memory
/// (<see cref="LabeledSet"/>) or read from the lake epoch by epoch (<see cref="StreamedRows"/>).
/// </summary>
public interface ITrainingRows
{
    int Count { get; }
    int PositiveCount { get; }

    /// <summary>The pass's batches: <paramref name="batchSize"/> labeled rows, each with <paramref name="ng"/> rows from <paramref name="sampler"/>; the same (seed, epoch) gives the same batches.</summary>
    IBatchSchedule Batches(int batchSize, int ng, UnlabeledSampler? sampler, int seed);
}

/// <summary>The mini-batches of every epoch of one pass (see <see cref="ITrainingRows.Batches"/>).</summary>
public interface IBatchSchedule
{
    /// <summary>Batches per epoch (the last one may be short).</summary>
    int BatchCount { get; }

    /// <summary>The batches of <paramref name="epoch"/>; one <see cref="Batch"/> reused throughout.</summary>
    IEnumerable<Batch> Epoch(int epoch);
}
