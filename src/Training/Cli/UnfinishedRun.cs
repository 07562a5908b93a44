using InverseLearning.Training.Analysis;
using InverseLearning.Training.Artifacts;

namespace InverseLearning.Training.Cli;

/// <summary>
/// What a train started afresh (or an experiment's run) leaves in its folder when it stops before its end (an error such as a full disk, or a cancel). Its
/// metrics.json and model.onnx are written only at the end, so it never leaves those; its checkpoints, each written whole, are
/// kept once there is a last.checkpoint to go on from with --resume. Before that, what it wrote (epoch 1's annotation, which
/// is written just before epoch 1's checkpoints, and a best checkpoint that --eval-every saves inside epoch 1) is of no use,
/// and read as a run's: what it made is removed, so that the folder is as the run found it (one it made is then removed with
/// its lock). A file it replaced (an earlier run's best checkpoint) is kept, the run's own: the earlier one is gone, and the
/// new one is still a model to evaluate or export.
/// </summary>
public static class UnfinishedRun
{
    private static readonly string[] WrittenBeforeFirstLastCheckpoint = [FirstEpochAnnotation.FileName, Checkpoint.BestFileName];

    /// <summary>Whether the run holding <paramref name="held"/> wrote a last.checkpoint to go on from with --resume (an earlier run's is not its own).</summary>
    public static bool Resumable(FolderLock held) => WrittenSince(Path.Combine(held.Folder, Checkpoint.LastFileName), held.TakenUtc);

    /// <summary>
    /// Removes the files the run holding <paramref name="held"/> made in its folder, unless it wrote a last.checkpoint to go on
    /// from; returns whether it leaves any file it wrote (its checkpoints, or one it replaced).
    /// </summary>
    public static bool ClearUnlessResumable(FolderLock held)
    {
        // A folder removed or moved while the run wrote it is no longer its own: what stands at its name may be another run's.
        if (!held.StillHeld) return false;
        if (Resumable(held)) return true;
        var replacedAny = false;
        foreach (var name in WrittenBeforeFirstLastCheckpoint.Where(name => WrittenSince(Path.Combine(held.Folder, name), held.TakenUtc)))
        {
            if (held.FoundFiles.Contains(name))
            {
                replacedAny = true;
                continue;
            }
            try
            {
                File.Delete(Path.Combine(held.Folder, name));
            }
            // Left as it is: the clearing never replaces the run's own error with one of its own.
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        return replacedAny;
    }

    /// <summary>
    /// Clears the folder <paramref name="held"/> as <see cref="ClearUnlessResumable"/> does should the process be ended by force
    /// (<see cref="ForcedExit"/>) before the returned registration is disposed: a run stuck in a step then still leaves the folder
    /// as it found it. Registered after the lock was taken, it runs before the lock is let go of.
    /// </summary>
    public static IDisposable ClearOnForcedExit(FolderLock held) => ForcedExit.Register(() => ClearUnlessResumable(held));

    /// <summary>
    /// Holds an experiment's run folder through <paramref name="held"/>. Let go of by a run that wrote no metrics.json (written
    /// last) since it took the folder, one that stopped when its experiment failed or was cancelled, the folder is cleared as a
    /// train's --out is (<see cref="ClearUnlessResumable"/>) before its lock goes; so is it when the process is ended by force.
    /// </summary>
    public static IDisposable Claim(FolderLock held) => new ClaimedRun(held);

    private sealed class ClaimedRun : IDisposable
    {
        private readonly FolderLock _held;
        private readonly IDisposable _forcedExit;

        public ClaimedRun(FolderLock held)
        {
            _held = held;
            _forcedExit = ForcedExit.Register(Release);
        }

        public void Dispose()
        {
            _forcedExit.Dispose();
            Release();
        }

        // The run's own Dispose or a forced exit's, the same: the lock itself is let go of once.
        private void Release()
        {
            if (!WrittenSince(Path.Combine(_held.Folder, Reports.MetricsJson.FileName), _held.TakenUtc)) ClearUnlessResumable(_held);
            _held.Dispose();
        }
    }

    // An earlier run's file (written before this run took the folder) is that run's, and stays.
    private static bool WrittenSince(string path, DateTime startedUtc) => File.Exists(path) && File.GetLastWriteTimeUtc(path) >= startedUtc;
}
