using InverseLearning.Training.Strategies;
using InverseLearning.Data;
using InverseLearning.Data.Simulation;
using InverseLearning.Training;
using InverseLearning.Training.Artifacts;
using InverseLearning.V1;

namespace InverseLearning.Serving.Tests;

/// <summary>
/// A model trained with colliding inference (neighbour table inside model.onnx): the
/// service's scores are the trainer's blended scores, for sparse users and others alike.
/// </summary>
public sealed class CollidingModelTests
{
    [Fact]
    public async Task Served_scores_equal_the_trainers_colliding_scores()
    {
        var simulation = FeedSimulator.Run(SimulatorPresets.Get("tiny") with { Users = 200, Items = 1_500, Impressions = 20_000 }, seed: 4);
        var data = PreparedDataset.Prepare(simulation.Log, new LabelingOptions(LabelRule.FinishRate), new SplitOptions(Seed: 4));
        var settings = new TrainSettings
        {
            Model = "gmf", Method = "ns", Epochs = 1, BatchSize = 256, Dim = 8, LearningRate = 1e-2, Threads = 1, Seed = 4,
        }.WithOption(Warmup.Epochs, 1).WithOption(Colliding.Neighbors, 4).WithOption(Colliding.Lambda, 0.3).WithOption(Colliding.MaxRatio, 0.5);
        var folder = Directory.CreateTempSubdirectory("serving-colliding-").FullName;
        TrainingRun.Execute(settings, data, simulation.Truth, folder);
        using var trainer = new Trainer(settings, data);
        trainer.Load(Path.Combine(folder, "checkpoint"));
        InverseLearning.Training.Stages.EvaluateStage.AfterTraining(trainer);
        var colliding = (CollidingInference)trainer.Scorer.Rewrite!;

        var sparseUser = Enumerable.Range(1, data.Users.Count - 1).First(u => colliding.Sparse[u]);
        var denseUser = Enumerable.Range(1, data.Users.Count - 1).FirstOrDefault(u => !colliding.Sparse[u]);
        int[] items = [1, 7, 50, 123, 399];
        await using (var server = await ServerHarness.StartQuietAsync("--model", Path.Combine(folder, InferenceModel.FileName), "--port", "0", "--metrics-port", "-1", "--no-watch"))
        {
            using var channel = Grpc.Net.Client.GrpcChannel.ForAddress($"http://127.0.0.1:{server.Port}");
            var client = new Ranker.RankerClient(channel);
            foreach (var user in new[] { sparseUser, denseUser }.Where(u => u > 0))
            {
                var set = new LabeledSet(items.Select(_ => user).ToArray(), items.ToArray(), new float[items.Length]);
                var expected = trainer.Scorer.Logits(set).Select(l => 1 / (1 + Math.Exp(-l))).ToArray();
                var response = await client.ScoreAsync(new ScoreRequest { UserId = data.Users.RawIds[user], ItemIds = { items.Select(i => data.Items.RawIds[i]) } });
                for (var i = 0; i < items.Length; i++) Assert.True(Math.Abs(expected[i] - response.Scores[i]) < 1e-5, $"user {user}, item {items[i]}: trainer {expected[i]}, served {response.Scores[i]}");
            }
        }
        Directory.Delete(folder, recursive: true);
    }
}
