namespace InverseLearning.Training.Runtime;

/// <summary>
/// Data-parallel training's lockstep, seen by one worker's trainer: which worker it is (0, the
/// coordinator, validates, checkpoints and keeps the best), how many started, and the two points
/// of an epoch where they meet. Each worker trains its part of every epoch
/// (<c>IBatchSchedule.Epoch(epoch, part, parts)</c>: the batches at its positions for a log
/// held in memory, its row groups of a streamed lake), so one worker trains exactly what a
/// single process does.
/// </summary>
public interface IEpochSync
{
    int Worker { get; }
    int Workers { get; }

    bool IsCoordinator => Worker == 0;

    /// <summary>
    /// Before an epoch: the coordinator lets the others start it (it has validated and
    /// checkpointed the one before), the others wait for that. Returns this worker's part of the
    /// epoch and the number of parts: the workers still in the run, so that a lost worker's parts
    /// go to the others.
    /// </summary>
    (int Part, int Parts) BeforeEpoch(int epoch);

    /// <summary>After an epoch's batches: the replicated parameters (dense layers) replaced by their mean over the workers.</summary>
    void AfterEpoch(int epoch, IParameterStore store);
}
