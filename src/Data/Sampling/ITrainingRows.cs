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

    /// <summary>
    /// Part <paramref name="part"/> of <paramref name="parts"/> of an epoch, for data-parallel
    /// workers: the parts are disjoint and together hold the epoch's rows, and part 0 of 1 is
    /// <see cref="Epoch(int)"/>. Here every batch is drawn and every <paramref name="parts"/>-th
    /// kept, so the parts' batches are the whole epoch's exactly; a source that reads its rows
    /// (a lake) splits what it reads instead.
    /// </summary>
    IEnumerable<Batch> Epoch(int epoch, int part, int parts) => parts == 1 ? Epoch(epoch) : Epoch(epoch).Where((_, k) => k % parts == part);
}
