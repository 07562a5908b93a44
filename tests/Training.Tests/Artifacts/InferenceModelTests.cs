using InverseLearning.Training.Artifacts;
using InverseLearning.Training.Models;
using InverseLearning.Training.Optimizers;
using InverseLearning.Training.Runtime;
using Microsoft.ML.OnnxRuntime;

namespace InverseLearning.Training.Tests.Artifacts;

public class InferenceModelTests
{
    private static readonly long[] UserIds = [0, 9_000_000_001, 42, 7];          // index 0 is the reserved row
    private static readonly long[] ItemIds = [0, 555, -3, 1L << 40, 8];

    [Theory]
    [InlineData("gmf")]
    [InlineData("neumf")]
    [InlineData("mlp")]
    [InlineData("lightgcn")]
    public void Scores_raw_ids_exactly_as_the_trainer_scores_their_indices(string modelName)
    {
        var store = new HostParameterStore(ModelRegistry.Create(modelName, dim: 4, layers: 2), UserIds.Length, ItemIds.Length, 2, seed: 11);
        var rng = new Random(2);
        foreach (var p in store.All) for (var i = 0; i < p.Values.Length; i++) p.Values[i] = (float)(rng.NextDouble() - 0.5);
        var bytes = InferenceModel.Build(store, UserIds, ItemIds, new Dictionary<string, string> { ["model"] = modelName });

        // Known ids, plus an unknown user (123) and an unknown item (999) that must use row 0.
        long[] rawUsers = [42, 9_000_000_001, 7, 123, 42];
        long[] rawItems = [1L << 40, 555, -3, 8, 999];
        int[] users = [2, 1, 3, 0, 2];
        int[] items = [3, 1, 2, 4, 0];

        using var session = new InferenceSession(bytes);
        using var u = OrtValue.CreateTensorValueFromMemory(rawUsers, [5]);
        using var it = OrtValue.CreateTensorValueFromMemory(rawItems, [5]);
        using var results = session.Run(new RunOptions(), new Dictionary<string, OrtValue> { ["user_id"] = u, ["item_id"] = it },
            ["score", "user_known", "item_known", "catalog"]);
        var scores = results[0].GetTensorDataAsSpan<float>().ToArray();

        using var engine = new TrainingEngine(store, new Adam(), new ExecutionDevice("cpu", 1), 8);
        var logits = new float[5];
        engine.Score(users, items, logits);
        for (var r = 0; r < 5; r++) Assert.Equal(1 / (1 + Math.Exp(-logits[r])), scores[r], 6);

        Assert.Equal([true, true, true, false, true], results[1].GetTensorDataAsSpan<bool>().ToArray());
        Assert.Equal([true, true, true, true, false], results[2].GetTensorDataAsSpan<bool>().ToArray());
        Assert.Equal(ItemIds[1..], results[3].GetTensorDataAsSpan<long>().ToArray());
        Assert.Equal(modelName, session.ModelMetadata.CustomMetadataMap["model"]);
    }

    [Theory]
    [InlineData("gmf")]
    [InlineData("neumf")]
    [InlineData("mlp")]
    [InlineData("lightgcn")]
    public void Ids_of_unequal_lengths_are_refused_by_every_model_alike(string modelName)
    {
        // GMF and LightGCN broadcast one user against two items and returned 2 scores; NeuMF and MLP failed deep inside their tower.
        var store = new HostParameterStore(ModelRegistry.Create(modelName, dim: 4, layers: 2), UserIds.Length, ItemIds.Length, 2, seed: 11);
        using var session = new InferenceSession(InferenceModel.Build(store, UserIds, ItemIds, new Dictionary<string, string>()));
        using var u = OrtValue.CreateTensorValueFromMemory(new long[] { 42, 7 }, [2]);
        using var it = OrtValue.CreateTensorValueFromMemory(new long[] { 555 }, [1]);
        var error = Assert.Throws<OnnxRuntimeException>(() => session.Run(new RunOptions(), new Dictionary<string, OrtValue> { ["user_id"] = u, ["item_id"] = it }, ["score"]).Dispose());
        Assert.Contains("ids_of_equal_length", error.Message);
    }

    [Fact]
    public void No_user_ids_against_some_item_ids_are_refused_and_none_against_none_score_nothing()
    {
        // Reshape reads a 0 in the shape asked for as "keep the input's dimension" unless allowzero is set: [0] would pass [1] through.
        var store = new HostParameterStore(ModelRegistry.Create("gmf", dim: 4, layers: 2), UserIds.Length, ItemIds.Length, 2, seed: 11);
        using var session = new InferenceSession(InferenceModel.Build(store, UserIds, ItemIds, new Dictionary<string, string>()));
        IDisposableReadOnlyCollection<OrtValue> Run(long[] users, long[] items)
        {
            using var u = OrtValue.CreateTensorValueFromMemory(users, [users.Length]);
            using var it = OrtValue.CreateTensorValueFromMemory(items, [items.Length]);
            return session.Run(new RunOptions(), new Dictionary<string, OrtValue> { ["user_id"] = u, ["item_id"] = it }, ["score"]);
        }

        var error = Assert.Throws<OnnxRuntimeException>(() => Run([], [555]).Dispose());
        Assert.Contains("ids_of_equal_length", error.Message);
        using var none = Run([], []);
        Assert.Equal(0, none[0].GetTensorTypeAndShape().ElementCount);
    }
}
