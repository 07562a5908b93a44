using InverseLearning.Data;
using InverseLearning.Training.Artifacts;

namespace InverseLearning.Training.Reports;

/// <summary>
/// A run an earlier start of an experiment left unfinished in its folder (killed, or cancelled) with a last.checkpoint, which a
/// start of the same experiment resumes from, as train --resume would, rather than train from scratch. Resumed only when the
/// checkpoint was made with the settings of this run, by train --resume's rule (<see cref="SettingsDifferences.RunDifferences"/>: a
/// changed --epochs or --checkpoint-every continues it), on this data (<see cref="DataFingerprint"/>), and its header reads whole, at
/// the length it gives; the same of the best checkpoint beside it.
/// </summary>
public static class ResumableRun
{
    /// <summary>
    /// The last.checkpoint in <paramref name="directory"/> to resume the run from, with where its run stands (<paramref name="saved"/>); null where there is
    /// none, or none of this run: <paramref name="why"/> then says why it is not resumed, as words after the folder's name ("cannot be
    /// resumed: its last.checkpoint is of other settings: --dim 16 (now 32)"), and is null where there is no checkpoint.
    /// </summary>
    public static string? Find(TrainSettings settings, string directory, DataRecord data, out RunState? saved, out string? why)
    {
        (saved, why) = (null, null);
        var last = Path.Combine(directory, Checkpoint.LastFileName);
        if (!File.Exists(last) && !Directory.Exists(last)) return null;
        var best = Path.Combine(directory, Checkpoint.BestFileName);
        why = Unusable(last, settings, data, out saved) ?? (saved!.BestEpoch == 0 ? null
            // The best parameters so far, which the resumed run ends on unless it betters them: they must be there, and its own too.
            : !File.Exists(best) && !Directory.Exists(best) ? $"its {Checkpoint.BestFileName} is missing, which holds its best epoch's parameters"
            : Unusable(best, settings, data, out _));
        if (why is not null)
        {
            why = $"cannot be resumed: {why}";
            saved = null;
            return null;
        }
        return last;
    }

    // What keeps a checkpoint from resuming this run: no regular file, a header that does not read whole, at the length it gives,
    // or one that records other settings or data; null when none does.
    private static string? Unusable(string path, TrainSettings settings, DataRecord data, out RunState? saved)
    {
        saved = null;
        var name = Path.GetFileName(path);
        if (InputFile.Problem(path) is { } problem) return $"its {name} {problem}";
        try
        {
            saved = Checkpoint.ReadHeaderAndLength(path).Run;
        }
        catch (Exception e) when (e is CheckpointException or IOException or UnauthorizedAccessException)
        {
            return e.Message.TrimEnd('.');
        }
        // train --resume's rule: what a resumed run may change (--epochs, --checkpoint-every, …) does not make it another run.
        var differences = settings.RunDifferences(saved.Settings);
        if (differences.Count > 0) return $"its {name} is of other settings: {string.Join(", ", differences.Select(d => $"{d.Flag} {d.Other} (now {d.These})"))}";
        return saved.Data.Difference(data.Fingerprint) is { } otherData ? $"its {name} is of other data: this log has {otherData}" : null;
    }
}
