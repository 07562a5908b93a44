namespace InverseLearning.Training;

/// <param name="Phase">The plan phase the epoch belongs to (warm-up, the method's name, finetune).</param>
/// <param name="Selection">The selection metric's name and its value at the epoch's end (the valid loss when selecting by loss).</param>
/// <param name="Seconds">Training time, validation left out.</param>
/// <param name="BestStepWithin">With --eval-every: the step of a best kept inside this epoch when the epoch's end was not the best; else null.</param>
/// <param name="Validated">False on a cluster's worker 1 and up, which leave validation to the coordinator: their valid loss and selection value are no figures.</param>
public sealed record EpochSummary(int Epoch, double TrainLoss, double ValidLoss, bool Best, double Seconds, double RowsPerSecond, string Phase = "",
    string Selection = "loss", double SelectionValue = double.NaN, long? BestStepWithin = null, bool Validated = true);
