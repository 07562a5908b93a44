using System.CommandLine;
using System.Text.Json.Nodes;
using InverseLearning.Serving.Repository;
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
        var keep = new Option<int>("--keep-versions") { Description = "With --repository, delete all but the N newest versions afterwards (0 keeps all).", DefaultValueFactory = _ => 0 };
        command.Options.Add(checkpoint);
        command.Options.Add(output);
        command.Options.Add(repository);
        command.Options.Add(keep);
        var data = new DataOptions();
        data.AddTo(command);
        command.SetAction(parse => CliErrors.Run(() =>
        {
            var outDir = parse.GetValue(output);
            var repo = parse.GetValue(repository);
            var keepVersions = parse.GetValue(keep);
            if ((outDir is null) == (repo is null)) throw new ArgumentException("give exactly one of --out DIR and --repository DIR");
            if (keepVersions < 0) throw new ArgumentException($"--keep-versions must be ≥ 0 (got {keepVersions})");
            if (keepVersions > 0 && repo is null) throw new ArgumentException("--keep-versions needs --repository");
            if (outDir is not null) OutputFolder.Prepare(outDir, "--out");
            else OutputFolder.Prepare(repo, "--repository");
            using var trainer = CheckpointLoader.Load(parse, parse.GetValue(checkpoint)!, data);
            var test = trainer.Evaluate(trainer.Data.Test);
            if (outDir is not null)
            {
                Stages.ExportStage.ExportModel(trainer, outDir, test);
                Console.WriteLine($"wrote {Path.Combine(outDir, InferenceModel.FileName)} and {InferenceModel.SeenFileName}");
                return 0;
            }
            var metrics = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(test.ToDictionary()))!.AsObject();
            var version = ModelRepository.Publish(repo!, staging => Stages.ExportStage.ExportModel(trainer, staging, test), metrics);
            var pruned = keepVersions > 0 ? ModelRepository.Prune(repo!, keepVersions) : [];
            Console.WriteLine($"published version {version} in {repo}" + (pruned.Count > 0 ? $" (pruned {string.Join(", ", pruned)})" : ""));
            return 0;
        }));
        return command;
    }
}
