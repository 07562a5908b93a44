using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using InverseLearning.Serving.Models.Repository;
using InverseLearning.Training.Artifacts;

namespace InverseLearning.Training.Cli;

/// <summary>`export`: writes model.onnx (and seen.parquet) from a checkpoint, into a folder or as a new version of a model repository.</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var command = new Command("export", "Export a checkpoint as model.onnx (raw ids in, scores out) with seen.parquet beside it, into --out or as a new version of --repository.");
        var checkpoint = new Option<string>("--checkpoint") { Description = "A checkpoint written by train.", Required = true };
        var output = new Option<string>("--out") { Description = "Directory to write model.onnx and seen.parquet into." };
        var repository = new Option<string>("--repository") { Description = "Model repository to publish into: a new numbered version (model.onnx, seen.parquet, manifest.json), made visible in one rename." };
        var keep = new Option<int>("--keep-versions") { Description = "With --repository, delete all but the N newest versions afterwards (0 keeps all).", DefaultValueFactory = _ => 0 }.Within(0, int.MaxValue);
        var triton = new Option<string>("--triton") { Description = "NVIDIA Triton model repository to write into (ONNX Runtime backend): DIR/NAME/VERSION/model.onnx and DIR/NAME/config.pbtxt, the next version." };
        var tritonName = new Option<string>("--triton-name") { Description = "With --triton, the model's name in the repository.", DefaultValueFactory = _ => "inverselearning" };
        var tritonBatch = new Option<int>("--triton-max-batch") { Description = "With --triton, the most pairs Triton's dynamic batching joins into one run.", DefaultValueFactory = _ => 4096 }.Within(1, TritonRepository.MaxBatchSize);
        command.Options.Add(checkpoint);
        command.Options.Add(output);
        command.Options.Add(repository);
        command.Options.Add(keep);
        command.Options.Add(triton);
        command.Options.Add(tritonName);
        command.Options.Add(tritonBatch);
        var data = new DataOptions();
        data.AddTo(command, ranksCatalogue: false); // an export measures the labeled test rows only
        command.SetAction((parse, cancel) => Task.FromResult(CliErrors.Run(() =>
        {
            var outDir = parse.GetValue(output);
            var repo = parse.GetValue(repository);
            var keepVersions = parse.GetValue(keep);
            var tritonDir = parse.GetValue(triton);
            FlagRange.Require(keep, keepVersions);
            // Before the count of targets: `--triton-name foo` alone was told to give one of three, not the one it needs.
            if (keepVersions > 0 && repo is null) throw new ArgumentException("--keep-versions needs --repository");
            foreach (var option in new Option[] { tritonName, tritonBatch })
                if (tritonDir is null && parse.GetResult(option) is { Implicit: false }) throw new ArgumentException($"{option.Name} needs --triton");
            if (new[] { outDir, repo, tritonDir }.Count(d => d is not null) != 1) throw new ArgumentException("give exactly one of --out DIR, --repository DIR and --triton DIR");
            foreach (var (path, flag) in new[] { (outDir, "--out"), (repo, "--repository"), (tritonDir, "--triton"), (tritonDir is null ? null : parse.GetValue(tritonName), "--triton-name") })
                OutputFolder.RequireFitsFileSystem(path, flag);
            var dataPath = parse.GetValue(data.Data)!;
            OutputFolder.RequireOutsideData(outDir, "--out", dataPath);
            OutputFolder.RequireOutsideData(repo, "--repository", dataPath);
            OutputFolder.RequireOutsideData(tritonDir, "--triton", dataPath);
            DatasetFolder.RequireNotInside(repo, "--repository", $"each version's {InferenceModel.SeenFileName}", datagens: false);
            // Both looked at before --out is locked: a lock file in it would be foreign to the run or the datagen that wrote it.
            ExportIntoRunFolder.Require(outDir, parse.GetValue(checkpoint)!);
            DatasetFolder.RequireOutsideForSeenList(outDir, "--out", InferenceModel.SeenFileName, "export into another folder");
            // --out is locked, as a run's is: two exports into one folder would leave one's model beside the other's seen list.
            using var folder = outDir is not null ? OutputFolder.Lock(outDir, "--out") : null;
            // The name before any folder is made: ".." (a folder above the model's) left the --triton folders it made behind.
            if (tritonDir is not null) TritonRepository.Check(parse.GetValue(tritonName)!, parse.GetValue(tritonBatch), tritonDir);
            // A failed publish (a full disk) leaves neither the model's folder nor a --triton or --repository it made behind, empty.
            using var made = new MadeFolders(tritonDir is null ? repo : Path.Combine(tritonDir, parse.GetValue(tritonName)!));
            if (repo is not null)
            {
                OutputFolder.RequireNoRunAbove(repo, "--repository");
                OutputFolder.Prepare(repo, "--repository");
            }
            else if (tritonDir is not null)
            {
                OutputFolder.RequireNoRunAbove(tritonDir, "--triton");
                OutputFolder.Prepare(tritonDir, "--triton");
            }
            using var trainer = CheckpointLoader.Load(parse, parse.GetValue(checkpoint)!, data);
            var test = trainer.Scorer.Evaluate(trainer.Data.Test);
            cancel.ThrowIfCancellationRequested(); // and again before the files are renamed into place: either leaves every folder as it was
            if (outDir is not null)
            {
                Stages.ExportStage.ExportModel(trainer, outDir, test, cancel);
                Console.WriteLine($"wrote {Path.Combine(outDir, InferenceModel.FileName)} and {InferenceModel.SeenFileName}");
                return 0;
            }
            if (tritonDir is not null)
            {
                var staging = Directory.CreateTempSubdirectory("inverselearning-triton-").FullName;
                try
                {
                    Stages.ExportStage.ExportModel(trainer, staging, test, cancel);
                    cancel.ThrowIfCancellationRequested();
                    var name = parse.GetValue(tritonName)!;
                    var written = TritonRepository.Publish(tritonDir, name, File.ReadAllBytes(Path.Combine(staging, InferenceModel.FileName)), parse.GetValue(tritonBatch), 100);
                    made.Keep();
                    var config = Path.Combine(tritonDir, name, TritonRepository.ConfigFile);
                    var model = Path.Combine(tritonDir, name, written.Version.ToString(CultureInfo.InvariantCulture), InferenceModel.FileName);
                    Console.WriteLine(written.ConfigKept
                        ? $"wrote {model}; kept {config} as it was: it differs from the config this export writes (edited by hand, or another --triton-max-batch); remove it to have export write its own"
                        : $"wrote {model} and {config}{(written.EmptyConfigReplaced ? " (the config there was empty)" : "")}");
                }
                finally { Directory.Delete(staging, recursive: true); }
                return 0;
            }
            // An undefined metric (implicit labels: AUC and the rest on an all-positive test) is null, as in metrics.json.
            var metrics = Reports.ReportJson.FromMetrics(test);
            var version = RepositoryPublish.Run(repo!, staging => Stages.ExportStage.ExportModel(trainer, staging, test, cancel), metrics, keepVersions);
            made.Keep();
            var pruned = keepVersions > 0 ? ModelRepository.Prune(repo!, keepVersions) : new PruneOutcome([], [], null);
            Console.WriteLine($"published version {version} in {repo}" + (pruned.Removed.Count > 0 ? $" (pruned {string.Join(", ", pruned.Removed)})" : ""));
            if (pruned.Cause is { } cause)
                Console.Error.WriteLine($"warning: --keep-versions {keepVersions}: cannot prune versions {string.Join(", ", pruned.Stuck)} from {repo} ({cause.Message}); they stay");
            return 0;
        }, cancel)));
        return command;
    }
}
