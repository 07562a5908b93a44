using System.Text.Json.Nodes;
using InverseLearning.Training.Methods;
using InverseLearning.Training.Plans;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Benchmarks;

/// <summary>ORT's profile of a few plain BCE steps on a device store: its pull, step and push graphs' kernels, providers and copies (<see cref="OrtProfileSummary"/>).</summary>
public static class StepProfile
{
    public static JsonObject Of(string model, int batch, ExecutionDevice device, string directory, int steps = 5)
    {
        var folder = Path.Combine(directory, $"profile-{model}-{batch}-{device.Name}");
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        var profiled = device with { ProfilePrefix = Path.Combine(folder, "ort") };
        using (var setup = new EngineSetup(model, 100_000, 10_000, batch, profiled, deviceStore: true))
        using (var context = new StepContext(setup.Engine, freshOptimizer: false) { LearningRate = 1e-3f, Epoch = 1 })
        {
            var bce = new Objective("labeled-bce", Objectives.LabeledBce);
            for (var s = 0; s < steps; s++)
            {
                setup.NextBatch();
                PlainStep.Instance.Step(context, setup.Rows, bce);
            }
        }
        var summary = OrtProfileSummary.Summarize(Directory.GetFiles(folder, "*.json"), steps);
        summary["model"] = model;
        summary["batch"] = batch;
        summary["steps"] = steps;
        return summary;
    }
}
