using System.CommandLine;
using InverseLearning.Training.Artifacts;

namespace InverseLearning.Training.Cli;

/// <summary>`export`: writes model.onnx (and seen.parquet) from a checkpoint.</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var command = new Command("export", "Export a checkpoint as model.onnx (raw ids in, scores out) with seen.parquet beside it.");
        var checkpoint = new Option<string>("--checkpoint") { Description = "A checkpoint written by train.", Required = true };
        var output = new Option<string>("--out") { Description = "Directory to write model.onnx and seen.parquet into.", Required = true };
        command.Options.Add(checkpoint);
        command.Options.Add(output);
        var data = new DataOptions();
        data.AddTo(command);
        command.SetAction(parse => CliErrors.Run(() =>
        {
            using var trainer = CheckpointLoader.Load(parse, parse.GetValue(checkpoint)!, data);
            var outDir = parse.GetValue(output)!;
            Directory.CreateDirectory(outDir);
            TrainingRun.Export(trainer, outDir, trainer.Evaluate(trainer.Data.Test));
            Console.WriteLine($"wrote {Path.Combine(outDir, InferenceModel.FileName)} and {InferenceModel.SeenFileName}");
            return 0;
        }));
        return command;
    }
}
