using InverseLearning.Training.Plans;
using InverseLearning.Training.Tests.Reports;
using InverseLearning.Training.Tests.Runtime;
using InverseLearning.Training.Artifacts;
using InverseLearning.Training.Methods;
using InverseLearning.Training.Models;
using InverseLearning.Training.Optimizers;
using InverseLearning.Training.Runtime;
using Microsoft.ML.OnnxRuntime;

namespace InverseLearning.Training.Tests.Artifacts;

/// <summary>The split artifacts (training model, then optimizer model) reproduce the trainer's fused step.</summary>
public class TrainingArtifactsTests
{
    [Fact]
    public void Training_then_optimizer_model_equals_the_fused_step()
    {
        var model = new NeuMf(2, 2);
        var store = new HostParameterStore(model, userRows: 3, itemRows: 4, stateSlots: 2, seed: 3);
        var rng = new Random(4);
        foreach (var p in store.All) for (var i = 0; i < p.Values.Length; i++) p.Values[i] = (float)(rng.NextDouble() - 0.5);
        var rows = new StepRows(4, 4);
        rows.Set([1, 2, 1], [1, 3, 2], [1f, 0f], 2, [1, 2], [0, 1, 0], [1, 3, 2], [0, 1, 2]);
        Func<WorkingSetInputs, InverseLearning.Training.Graph.Value, InverseLearning.Training.Graph.Value> objective = InverseDualLoss.Loss;

        // The working set, as the engine gathers it, fed to the split graphs by hand.
        using var engine = new TrainingEngine(store, new Adam(), new ExecutionDevice("cpu", 1), 4);
        engine.WorkingSet.Gather(rows);
        var feeds = new Dictionary<string, OrtValue>
        {
            ["user_slot"] = OrtValue.CreateTensorValueFromMemory(rows.UserSlots[..3], [3]),
            ["item_slot"] = OrtValue.CreateTensorValueFromMemory(rows.ItemSlots[..3], [3]),
            ["label"] = OrtValue.CreateTensorValueFromMemory(rows.Labels[..3], [3]),
            ["unlabeled"] = OrtValue.CreateTensorValueFromMemory(rows.Unlabeled[..3], [3]),
        };
        foreach (var part in engine.WorkingSet.Parts)
            feeds[part.Parameter.Name] = OrtValue.CreateTensorValueFromMemory(part.Rows.Host()[..part.Length], part.Shape);

        using var training = new InferenceSession(TrainingArtifacts.Training(model, objective));
        var names = engine.WorkingSet.Parts.Select(p => p.Parameter.Name).ToList();
        using var gradients = training.Run(new RunOptions(), feeds.Where(f => training.InputMetadata.ContainsKey(f.Key)).ToDictionary(),
            names.Select(TrainingArtifacts.Gradient).ToList());

        using var optimizer = new InferenceSession(TrainingArtifacts.Optimizer(model, new Adam()));
        var optimizerFeeds = new Dictionary<string, OrtValue>
        {
            ["lr"] = OrtValue.CreateTensorValueFromMemory(new[] { 0.01f }, []),
            ["step"] = OrtValue.CreateTensorValueFromMemory(new[] { 1f }, []),
        };
        for (var k = 0; k < names.Count; k++)
        {
            var part = engine.WorkingSet.Parts[k];
            var length = part.Length;
            optimizerFeeds[names[k]] = feeds[names[k]];
            optimizerFeeds[names[k] + ".grad"] = gradients[k];
            optimizerFeeds[names[k] + ".m"] = OrtValue.CreateTensorValueFromMemory(new float[length], part.Shape);
            optimizerFeeds[names[k] + ".v"] = OrtValue.CreateTensorValueFromMemory(new float[length], part.Shape);
        }
        using var updated = optimizer.Run(new RunOptions(), optimizerFeeds, names.Select(StepGraphs.New).ToList());
        var split = updated.Select(v => v.GetTensorDataAsSpan<float>().ToArray()).ToList();

        using var stepContext = new StepContext(engine, freshOptimizer: false);

        var step = stepContext.Compile(new Objective("step", objective));
        engine.Step(step, rows, 0.01f);
        for (var k = 0; k < names.Count; k++)
        {
            var fused = engine.WorkingSet.Parts[k].NewRows.Host()[..split[k].Length];
            for (var i = 0; i < fused.Length; i++) Assert.Equal(split[k][i], fused[i], 6);
        }
    }

    [Fact]
    public void A_graph_that_fails_to_build_leaves_the_previous_artifacts_untouched()
    {
        using var folder = new TempFolder();
        string[] names = [TrainingArtifacts.TrainingModel, TrainingArtifacts.EvalModel, TrainingArtifacts.OptimizerModel];
        foreach (var name in names) File.WriteAllText(folder.File(name), "previous run");
        var built = 0;
        // The training graph builds; the eval graph (the objective's second use) fails.
        Func<WorkingSetInputs, InverseLearning.Training.Graph.Value, InverseLearning.Training.Graph.Value> objective = (x, logits) =>
            ++built == 2 ? throw new InvalidOperationException("eval graph") : InverseDualLoss.Loss(x, logits);

        Assert.Throws<InvalidOperationException>(() => TrainingArtifacts.Write(folder.Path, new NeuMf(2, 2), objective, new Adam()));

        Assert.All(names, name => Assert.Equal("previous run", File.ReadAllText(folder.File(name))));
    }

    [Fact]
    public void The_three_graphs_are_written_together_or_not_at_all()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File(TrainingArtifacts.TrainingModel), "previous run");
        File.WriteAllText(folder.File(TrainingArtifacts.EvalModel), "previous run");
        // The optimizer graph's name taken by a folder: refused before the first of the three is written, not after two.
        Directory.CreateDirectory(folder.File(TrainingArtifacts.OptimizerModel));

        Assert.Throws<IOException>(() => TrainingArtifacts.Write(folder.Path, new NeuMf(2, 2), (x, logits) => InverseDualLoss.Loss(x, logits), new Adam()));

        Assert.Equal("previous run", File.ReadAllText(folder.File(TrainingArtifacts.TrainingModel)));
        Assert.Equal("previous run", File.ReadAllText(folder.File(TrainingArtifacts.EvalModel)));
    }
}
