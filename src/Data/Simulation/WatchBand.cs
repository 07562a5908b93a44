namespace InverseLearning.Data.Simulation;

/// <summary>Where an impression's finish rate falls: skipped (&lt; 0.2), the unlabeled middle band, or finished (&gt; 0.8).</summary>
internal enum WatchBand
{
    Skipped,
    Middle,
    Finished,
}
