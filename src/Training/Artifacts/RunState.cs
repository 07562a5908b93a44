namespace InverseLearning.Training.Artifacts;

/// <summary>
/// Where a run stands: enough, with the run's settings and data, to rebuild its model and
/// resume it. The plan is at phase <see cref="PhaseIndex"/> with
/// <see cref="PhaseEpochsDone"/> of its epochs and <see cref="PhaseIterations"/> of its
/// steps done. The best parameters so far scored <see cref="BestValue"/> on the run's
/// selection metric, at epoch <see cref="BestEpoch"/>, step <see cref="BestStep"/>. <see cref="LakeParts"/>: the lake parts
/// the run read, which eval, export and --resume read (null in a checkpoint written before runs recorded them, or of a log prepared in memory).
/// <see cref="LakeListing"/>: every part the lake held as the run began, read or not, which tells the parts its --where or glob left
/// out from those added since (null in a checkpoint written before runs recorded it: those are then told apart by the truth's count).
/// </summary>
public sealed record RunState(TrainSettings Settings, int EpochsDone, long Iterations,
    // The name older checkpoints wrote: the loss was then the only selection metric.
    [property: System.Text.Json.Serialization.JsonPropertyName("best_valid_loss")] double BestValue,
    int BestEpoch, int PhaseIndex, int PhaseEpochsDone, long PhaseIterations, DataFingerprint Data, long BestStep = 0, int Validations = 0,
    EpochPosition? Position = null, IReadOnlyList<InverseLearning.Data.ReadPart>? LakeParts = null,
    IReadOnlyList<string>? LakeListing = null)
{
    /// <summary>
    /// Where the run stands, in words after "resuming" or "resumed": "after epoch 2" at an epoch's end, or "inside epoch 1, after its
    /// step 20" for a checkpoint --checkpoint-every took inside one (a method, not a property: the header records no words).
    /// </summary>
    public string Describe() => Position is { } at ? $"inside epoch {EpochsDone + 1}, after its step {at.Steps:N0}" : $"after epoch {EpochsDone}";
}

/// <summary>
/// Where inside an epoch a mid-epoch checkpoint was taken (--checkpoint-every): the pass, the
/// batches of it already trained, and the epoch's loss so far (for its summary line). Null at an
/// epoch's end, the only place older checkpoints were taken.
/// </summary>
public sealed record EpochPosition(int Pass, long Batches, double Loss, int Steps);
