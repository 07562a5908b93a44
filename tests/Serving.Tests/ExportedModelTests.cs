using InverseLearning.Training.Artifacts;
using InverseLearning.Training.Models;
using InverseLearning.Training.Runtime;
using InverseLearning.V1;
using Microsoft.ML.OnnxRuntime;

namespace InverseLearning.Serving.Tests;

/// <summary>End to end on a model written by the real exporter: the service's scores are the exported model's own scores run directly in ORT.</summary>
public sealed class ExportedModelTests
{
    [Theory]
    [InlineData("gmf")]
    [InlineData("neumf")]
    [InlineData("lightgcn")]
    public async Task Served_scores_equal_the_exported_model_run_directly(string kind)
    {
        var store = new HostParameterStore(ModelRegistry.Create(kind, dim: 8, layers: 2), userRows: 6, itemRows: 9, stateSlots: 0, seed: 11);
        long[] users = [0, 101, 102, 103, 104, 105], items = [0, 7, 14, 21, 28, 35, 42, 49, 56];
        var metadata = new Dictionary<string, string> { ["model"] = kind, ["method"] = "ns", ["users"] = "5", ["items"] = "8", ["metrics"] = "{}", ["version"] = "export-1" };
        var bytes = InferenceModel.Build(store, users, items, metadata);
        var folder = Directory.CreateTempSubdirectory("serving-export-").FullName;
        var path = Path.Combine(folder, InferenceModel.FileName);
        GmfModelFixture.WriteAtomically(path, bytes);
        long[] asked = [49, 7, 999, 28];

        float[] direct;
        using (var session = new InferenceSession(path))
        using (var userInput = OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(103L, asked.Length).ToArray(), [asked.Length]))
        using (var itemInput = OrtValue.CreateTensorValueFromMemory((long[])asked.Clone(), [asked.Length]))
        using (var runOptions = new RunOptions())
        using (var outputs = session.Run(runOptions, ["user_id", "item_id"], [userInput, itemInput], ["score"]))
            direct = outputs[0].GetTensorDataAsSpan<float>().ToArray();

        await using (var server = await ServerHarness.StartQuietAsync("--model", path, "--port", "0", "--metrics-port", "-1", "--no-watch"))
        {
            using var channel = Grpc.Net.Client.GrpcChannel.ForAddress($"http://127.0.0.1:{server.Port}");
            var client = new Ranker.RankerClient(channel);
            var response = await client.ScoreAsync(new ScoreRequest { UserId = 103, ItemIds = { asked } });
            var info = await client.GetModelInfoAsync(new GetModelInfoRequest());

            Assert.Equal(direct.Length, response.Scores.Count);
            for (var i = 0; i < direct.Length; i++) Assert.Equal(direct[i], response.Scores[i], 6);
            Assert.Equal([true, true, false, true], response.KnownItems);
            Assert.Equal(kind, info.Model);
            Assert.Equal("export-1", info.Version);
            Assert.Equal(8, info.Items);
        }
        Directory.Delete(folder, recursive: true);
    }
}
