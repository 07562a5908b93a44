using System.CommandLine;
using InverseLearning.Data;
using InverseLearning.Training.Cluster;

namespace InverseLearning.Training.Cli;

/// <summary>`train`: fit a model with a method on a Parquet log; write metrics, checkpoints and the exported model.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var command = new Command("train", "Train a model on an interaction log and export it (metrics.json, model.onnx, checkpoints, training artifacts).");
        var data = new DataOptions();
        data.AddTo(command);
        var output = new Option<string>("--out") { Description = "Output directory for the run.", DefaultValueFactory = _ => "models/run" };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out from its last.checkpoint (same settings, same batches)." };
        var options = TrainOptions.Create(command);
        var split = new TimeSplitOptions();
        split.AddTo(command);
        var stream = new StreamOptions();
        stream.AddTo(command);
        var cluster = new ClusterOptions();
        cluster.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(resume);
        command.SetAction((parse, cancel) => Task.FromResult(CliErrors.Run(() =>
        {
            var settings = stream.Apply(parse, split.Apply(parse, options.Read(parse, resuming: parse.GetValue(resume))), split, resuming: parse.GetValue(resume));
            settings = settings with { ExtraFeedback = data.ExtraFeedbackToRecord(parse, settings), LabelFlags = data.LabelFlagsToRecord(parse) };
            var path = parse.GetValue(data.Data)!;
            var outDir = parse.GetValue(output)!;
            var clusterSettings = cluster.Read(parse, settings);
            // A worker writes nothing and holds no folder: it reads the coordinator's --out, which the coordinator holds, only to resume from the same checkpoint.
            var worker = clusterSettings is { Worker: > 0 };
            if (!worker)
            {
                OutputFolder.RequireOutsideData(outDir, "--out", path);
                // Another lake than the one --data reads, or a simulation's folder (its own too): what the run writes there would be read with its log.
                DatasetFolder.RequireOutsideForSeenList(outDir, "--out", $"the run's {Artifacts.InferenceModel.SeenFileName}", "train into another folder");
            }
            // Held before a checkpoint in it is looked for: a folder another run is writing (or one inside a running experiment)
            // is told to be in use, not to lack the checkpoint that run has yet to write.
            using var folder = worker ? null : OutputFolder.Lock(outDir, "--out");
            string? resumeFrom = null;
            if (parse.GetValue(resume))
            {
                resumeFrom = Path.Combine(outDir, Artifacts.Checkpoint.LastFileName);
                if (Directory.Exists(resumeFrom)) throw new ArgumentException($"--resume: {resumeFrom} is a folder, expected the checkpoint file a run writes");
                if (!File.Exists(resumeFrom) && File.Exists(Path.Combine(outDir, Artifacts.Checkpoint.BestFileName))) throw MissingLast(outDir, resumeFrom);
                // Neither checkpoint: no run was started here, which "last.checkpoint: file not found" left the user to work out.
                if (!File.Exists(resumeFrom) && !Directory.Exists(resumeFrom))
                    throw new ArgumentException($"--resume: {outDir} holds no run to resume ({resumeFrom} does not exist): train without --resume to start one, or give the --out of the run to go on with");
                var saved = Artifacts.Checkpoint.ReadHeader(resumeFrom).Run;
                settings = stream.ForResume(parse, split.ApplyForResume(parse, options.ForResume(parse, saved.Settings), saved.Settings), saved.Settings);
                data.TakeRecordedExtraFeedback(parse, saved.Settings.ExtraFeedback, "--resume: ");
                data.TakeRecordedLabels(saved.Settings.LabelFlags);
                data.TakeRecordedTestPositives(saved.Settings.TestPositives);
                // The lake parts the run read, as eval reads them: the run goes on over the data it began with, a part added since left out.
                data.ReadAsRunRead(saved, resumeFrom);
                Console.Error.WriteLine($"resuming {resumeFrom} {saved.Describe()}");
            }
            // Recorded (checkpoints, metrics.json) with the options the run reads alone, as an experiment's runs are.
            settings = settings.WithOwnOptionsOnly();
            data.RequireTestPositivesRead(parse, settings.FullRankingTopK is not null);
            settings = settings with { TestPositives = data.TestPositivesToRecord(parse, settings) };
            if (folder is null) return TrainWorker(parse, data, options, settings, clusterSettings!, resumeFrom, parse.GetValue(cluster.ExitWith), cancel);
            OutputFolder.RequireFileSlots(outDir, "--out", RunFiles.Slots);
            var truth = DatasetLoader.TruthBeside(path, data.RunLake(parse)); // checked against the log's size before the log is read
            Selection.ValidationPositives.RequireTruth(settings, truth is not null);
            var budget = options.ReadMemoryBudget(parse);
            // What can be checked here (the memory, the log's files) is, before the cluster is reached, and the cluster before
            // the log is read: a wrong address fails in seconds, not after a first pass, and does not hide a local mistake.
            RunMemoryEstimate.BeforeData(settings).EnsureFits(budget);
            data.RequireLog(parse);
            using var shards = clusterSettings is null ? null : ClusterStore.Connect(clusterSettings, cancel, Console.Error.WriteLine);
            shards?.TakeOver(outDir, Console.Error.WriteLine);
            // Started once the run is open, so that a resumed coordinator's workers join its new opening.
            LocalWorkers? workers = null;
            Action? spawn = shards is not null && parse.GetValue(cluster.SpawnWorkers)
                ? () => workers = LocalWorkers.Start(parse.Tokens.Select(t => t.Value).ToList(), clusterSettings!.Workers, shards.Run, outDir) : null;
            using var stopWorkers = new Disposer(() => workers?.Dispose());
            var prepared = DatasetLoader.Prepare(parse, data, settings, needsTrainingTest: Methods.MethodRegistry.Get(settings.Method).NeedsTrainingTest,
                validPositives: Selection.ValidationPositives.MarkedRule(settings.ValidPositives));
            DatasetLoader.EnsureFits(settings, prepared, budget);
            LabelWarnings.Print([settings.Method], prepared, Console.Error);
            foreach (var warning in CandidateCountWarnings.For([settings], prepared.Items.Count - 1)) Console.Error.WriteLine(warning);
            foreach (var warning in options.IgnoredFlagWarnings(parse, settings)) Console.Error.WriteLine(warning);
            Console.Error.WriteLine($"training {settings.Model} with {settings.Method} on {prepared.TrainRows.Count:N0} labeled rows " +
                $"({prepared.Users.Count - 1:N0} users, {prepared.Items.Count - 1:N0} items), {Strategies.ExtraFeedbackStrategy.EpochCount(settings)}");
            TrainingOutcome result;
            try
            {
                // A run started afresh and ended by force while stuck in a step clears its folder as one that stops does (below).
                using var clearIfForced = resumeFrom is null ? UnfinishedRun.ClearOnForcedExit(folder) : null;
                result = options.NamingThePreset(parse, settings, () => TrainingRun.Execute(settings, prepared, truth, outDir, new ConsoleTrainingObserver(), resumeFrom, cancel,
                    shards is null ? null : new Runtime.RunPlacement(request => shards.Create(request, prepared, Console.Error.WriteLine, spawn, settings.TrainingFingerprint, ResumedAfter(resumeFrom)), shards.Sync(Console.Error.WriteLine, () => workers))));
            }
            catch (Exception e) when (resumeFrom is null || (e is TrainingDivergedException && shards is not null))
            {
                if (e is TrainingDivergedException && shards is not null) DivergedClusterRun.Clear(shards, outDir, workers, Console.Error.WriteLine);
                // A run stopped (failed, cancelled) with a checkpoint to go on from, or one that replaced an earlier run's, leaves
                // it beside that run's metrics and model: said now, as at a run's end. Otherwise what it made is removed.
                if (resumeFrom is null && UnfinishedRun.ClearUnlessResumable(folder)) EarlierOutputs.Note(outDir, folder.TakenUtc, Console.Error);
                // --resume would answer that the folder holds no run to resume.
                if (e is ShardUnservedException unserved && resumeFrom is null && !UnfinishedRun.Resumable(folder)) throw unserved.WithNothingToResume();
                throw;
            }
            ResultPrinter.Print(result);
            AddedLakeParts.Warn(prepared, Console.Error);
            if (shards is not null)
            {
                ReportCluster(shards, outDir);
                shards.Drop();
                ClusterRunRecord.Delete(outDir);
            }
            // A resumed run's earlier files are its own.
            if (resumeFrom is null) EarlierOutputs.Note(outDir, folder.TakenUtc, Console.Error);
            return 0;
        }, cancel)));
        return command;
    }

    /// <summary>
    /// Why a folder with a best checkpoint and no last.checkpoint cannot be resumed. With --eval-every, a run stopped inside
    /// its first epoch has saved its best so far, but no epoch to resume from; a run past it (its best saved after an epoch,
    /// or its metrics.json written at its end) had a last.checkpoint, since removed.
    /// </summary>
    private static ArgumentException MissingLast(string outDir, string last)
    {
        var best = Path.Combine(outDir, Artifacts.Checkpoint.BestFileName);
        var bestAfter = Artifacts.Checkpoint.ReadHeader(best).Run.EpochsDone;
        var finished = File.Exists(Path.Combine(outDir, Reports.MetricsJson.FileName));
        if (bestAfter == 0 && !finished)
            return new ArgumentException($"--resume: {outDir} holds no last.checkpoint, only the best parameters of a run stopped inside its first epoch: run it again without --resume");
        var why = finished ? $"the run finished ({Reports.MetricsJson.FileName} is beside it)" : $"its best checkpoint was saved after epoch {bestAfter}";
        return new ArgumentException($"--resume: {last} is missing, which the run resumes from, and {why}: put the run's last.checkpoint back to go on, " +
            $"give --checkpoint {best} to eval or export for its best model, or train again without --resume");
    }

    /// <summary>Worker 1 and up of a run on the cluster: the same data and plan as the coordinator, its share of every epoch's batches, nothing written.</summary>
    private static int TrainWorker(ParseResult parse, DataOptions data, TrainOptions options, TrainSettings settings, ClusterSettings clusterSettings,
        string? resumeFrom, int? exitWith, CancellationToken cancel)
    {
        using var parentGone = exitWith is { } parent ? ParentProcess.WhenEnds(parent, $"worker {clusterSettings.Worker}") : new CancellationTokenSource();
        // Wherever it is (reading the lake, waiting at an epoch's end), a worker whose coordinator died has nothing left to do.
        using var leave = parentGone.Token.Register(() => Environment.Exit(130));
        data.RequireLog(parse);
        using var shards = ClusterStore.Connect(clusterSettings, cancel, Console.Error.WriteLine);
        PreparedDataset Prepare() => DatasetLoader.Prepare(parse, data, settings, needsTrainingTest: Methods.MethodRegistry.Get(settings.Method).NeedsTrainingTest,
            validPositives: Selection.ValidationPositives.MarkedRule(settings.ValidPositives));
        // Read as the worker lists the lake, alongside its coordinator's read. A part added or rewritten since the coordinator listed it
        // would give this worker other data, refused at its join: the parts its coordinator read are read instead.
        var prepared = Prepare();
        if (resumeFrom is null && ReadsOtherParts(prepared, data, shards))
        {
            prepared = null!; // let go before the second read: the worker never holds two logs
            prepared = Prepare();
        }
        DatasetLoader.EnsureFits(settings, prepared, options.ReadMemoryBudget(parse));
        using var trainer = new Trainer(settings, prepared, new ConsoleTrainingObserver(),
            store: request => shards.Create(request, prepared, Console.Error.WriteLine, training: settings.TrainingFingerprint, resumedAfter: ResumedAfter(resumeFrom)), sync: shards.Sync(Console.Error.WriteLine));
        if (resumeFrom is not null) trainer.Resume(resumeFrom, bestCheckpoint: null);
        trainer.Run(checkpointDir: null, cancel);
        shards.Finish();
        Console.Error.WriteLine($"worker {clusterSettings.Worker} of run {shards.Run}: {trainer.Iterations:N0} steps, {trainer.RowsTrained:N0} labeled rows, {trainer.TrainSeconds:F1} s");
        return 0;
    }

    /// <summary>
    /// Whether a fresh run's worker read other lake parts than its coordinator (once it opened the run); if so, the command reads
    /// from now on those the coordinator read. A log of one file has no parts to add, and a resumed run's workers read its checkpoint's.
    /// </summary>
    private static bool ReadsOtherParts(PreparedDataset prepared, DataOptions data, ClusterStore shards)
    {
        if (prepared.ReadParts is not { } read) return false;
        var lake = shards.CoordinatorsLake(Console.Error.WriteLine);
        // An opening saved by a build before openings carried their parts: the worker reads the lake as it found it.
        if (lake.ReadParts() is not { } coordinators || read.ToHashSet().SetEquals(coordinators)) return false;
        data.ReadAsCoordinatorRead(coordinators, lake.Listing, shards.Run);
        return true;
    }

    // The epochs done in the checkpoint a run resumes from: a run's workers and coordinator must start from the same one.
    private static int ResumedAfter(string? resumeFrom) => resumeFrom is null ? 0 : Artifacts.Checkpoint.ReadHeader(resumeFrom).Run.EpochsDone;

    private sealed class Disposer(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }

    private static void ReportCluster(ClusterStore shards, string outDir)
    {
        var report = shards.Report();
        report.Save(Path.Combine(outDir, ClusterReport.FileName));
        Console.Error.WriteLine(report.Summary());
    }
}
