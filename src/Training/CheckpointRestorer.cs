using InverseLearning.Data;
using InverseLearning.Training.Artifacts;
using InverseLearning.Training.Plans;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training;

/// <summary>
/// Restores checkpoints into a trainer's store and its plan's parts: a run's parameters for eval and export, or a run
/// to resume (its best and last checkpoints). Refuses a checkpoint trained on other data, and a resumed run whose
/// best checkpoint is missing or whose flags plan another schedule than the one it was trained on.
/// </summary>
internal sealed class CheckpointRestorer(PreparedDataset data, IParameterStore store, TrainingPlan plan, DataFingerprint fingerprint)
{
    /// <summary>Loads a checkpoint's parameters and parts' state (for eval and export), refusing one trained on other data.</summary>
    public CheckpointHeader Load(string checkpoint)
    {
        RequireSameData(checkpoint);
        return Checkpoint.Load(checkpoint, store, plan.StatefulParts);
    }

    /// <summary>
    /// A resumed run's first step: loads its best checkpoint, when it has one, and returns whether it did (the caller keeps
    /// the parameters before <see cref="LoadLast"/> replaces them). Refuses a last checkpoint trained on other data.
    /// </summary>
    public bool LoadBest(string lastCheckpoint, string? bestCheckpoint)
    {
        RequireSameData(lastCheckpoint);
        // Without it the run would end with its last parameters under its best epoch's name, in metrics.json and model.onnx.
        if (bestCheckpoint is not null && !File.Exists(bestCheckpoint) && Checkpoint.ReadHeader(lastCheckpoint).Run is { BestEpoch: > 0 } saved)
            throw new CheckpointException(bestCheckpoint, $"it does not exist, and would hold the parameters of the run's best epoch ({saved.BestEpoch}) beside {Path.GetFileName(lastCheckpoint)} " +
                $"(after epoch {saved.EpochsDone}): resume in the folder that holds both files");
        if (bestCheckpoint is null || !File.Exists(bestCheckpoint)) return false;
        RequireSameRun(bestCheckpoint, lastCheckpoint);
        Checkpoint.Load(bestCheckpoint, store, plan.StatefulParts);
        return true;
    }

    /// <summary>A resumed run's second step: loads its last checkpoint and returns where the run stands, refused where these flags' schedule is not ahead of it.</summary>
    public RunState LoadLast(string lastCheckpoint)
    {
        var run = Checkpoint.Load(lastCheckpoint, store, plan.StatefulParts).Run;
        RequireScheduleAhead(run);
        return run;
    }

    /// <summary>
    /// A resumed run's schedule may grow, not end before where its checkpoint is, nor change the phases it has finished: the
    /// phase's loop would skip what is left, and the run would record other epochs than its model was trained for.
    /// </summary>
    private void RequireScheduleAhead(RunState run)
    {
        if (run.PhaseIndex >= plan.Phases.Count)
            throw new ScheduleBehindException($"the checkpoint is in phase {run.PhaseIndex + 1} of its run, and these flags plan {Counted.Of(plan.Phases.Count, "phase")} " +
                $"({string.Join(", ", plan.Phases.Select(p => p.Name))}); resume with the flags the run was started with");
        // The phases already done trained what the run's flags gave them then: other counts would be recorded, not trained.
        var finished = plan.Phases.Take(run.PhaseIndex).ToList();
        if (finished.Sum(p => p.Schedule.Epochs) is var planned && planned != run.EpochsDone - run.PhaseEpochsDone)
            throw new ScheduleBehindException($"the run's {Counted.Of(finished.Count, "finished phase")} ({string.Join(", ", finished.Select(p => p.Name))}) trained {Counted.Of(run.EpochsDone - run.PhaseEpochsDone, "epoch")}, " +
                $"and these flags give them {planned}; give {string.Join(" and ", finished.Select(p => p.Schedule.EpochsFlag).Distinct())} as the run was started");
        var phase = plan.Phases[run.PhaseIndex];
        // A checkpoint taken inside an epoch has begun one more than it finished: a schedule ending before that epoch would end the
        // run with a model (and a best epoch) trained past its last epoch.
        var begun = run.PhaseEpochsDone + (run.Position is null ? 0 : 1);
        if (phase.Schedule.Epochs < begun)
            throw new ScheduleBehindException($"the run has trained {Counted.Of(run.PhaseEpochsDone, "epoch")} of its {phase.Name} phase ({run.EpochsDone} in all)" +
                (run.Position is null ? "" : $" and {Counted.Of(run.Position.Steps, "step")} of the next, where its checkpoint was taken") +
                $", and {phase.Schedule.EpochsFlag} {phase.Schedule.Epochs} would end it before them; give {phase.Schedule.EpochsFlag} {begun} or more");
    }

    /// <summary>
    /// Refuses a best checkpoint of another run than the last one beside it (one copied in by hand, of another --seed or --lr):
    /// the run would end on that run's model, and report its scores as its own best.
    /// </summary>
    private void RequireSameRun(string bestCheckpoint, string lastCheckpoint)
    {
        // The run's flags before the data: another --seed or --stream splits otherwise, and the data's refusal would ask
        // for flags the user already gives (last.checkpoint's), not name the copied-in file's.
        var differences = Checkpoint.ReadHeader(lastCheckpoint).Run.Settings.RunDifferences(Checkpoint.ReadHeader(bestCheckpoint).Run.Settings);
        var last = Path.GetFileName(lastCheckpoint);
        if (differences.Count > 0)
            throw new CheckpointException(bestCheckpoint, $"it is of another run than {last} beside it, trained with " +
                $"{string.Join(", ", differences.Select(d => $"{d.Flag} {d.Other} ({last}: {d.These})"))}: put the run's own best checkpoint beside it, or train again without --resume");
        RequireSameData(bestCheckpoint);
    }

    // Checked on the header first: another log would otherwise surface as a confusing shape mismatch.
    private void RequireSameData(string checkpoint)
    {
        var run = Checkpoint.ReadHeader(checkpoint).Run;
        if (run.Data.Difference(fingerprint) is { } difference)
            throw new CheckpointException(checkpoint, $"this log has {difference} (give the log, --where, --labels and its thresholds and the split flags it was trained with" +
                // Only a random split changed its rule: under --split hash or time the hint would send the user after the wrong cause.
                (RepeatsPairs && run.Settings is { HashSplit: false, TimeSplit: null } ? "; this log repeats (user, item) pairs, whose rows a random split keeps in one part since 2026-12-06, as training-test keeps a pair's " +
                    "training rows on one side under a split column or by time: a checkpoint an earlier build trained on it was split otherwise, and is trained again)" : ")"));
    }

    /// <summary>Whether some (user, item) pair has more than one row: the distinct pairs are fewer than the rows.</summary>
    private bool RepeatsPairs =>
        data.Seen.PairCount < (long)data.TrainRows.Count + data.Valid.Count + data.Test.Count + data.UnlabeledRowCount;
}
