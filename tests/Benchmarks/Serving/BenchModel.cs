using InverseLearning.Data;
using System.Globalization;
using InverseLearning.Training.Artifacts;
using InverseLearning.Training.Models;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Benchmarks.Serving;

/// <summary>A model.onnx written by the real exporter at a realistic size, with the 100-candidate requests the load generator replays.</summary>
public sealed class BenchModel
{
    private BenchModel(string path, long[] userIds, long[][] requests)
    {
        Path = path;
        UserIds = userIds;
        Requests = requests;
    }

    public string Path { get; }
    public long[] UserIds { get; }

    /// <summary>Candidate lists (random catalogue items, a few unknown) cycled through by the callers.</summary>
    public long[][] Requests { get; }

    public static BenchModel Create(string folder, int users, int items, int dim, int candidates, int requestCount, int seed)
    {
        Directory.CreateDirectory(folder);
        var store = new HostParameterStore(new Gmf(dim), userRows: users + 1, itemRows: items + 1, stateSlots: 0, seed);
        var userIds = Enumerable.Range(0, users + 1).Select(i => 10_000L + 3L * i).ToArray();
        var itemIds = Enumerable.Range(0, items + 1).Select(i => 1_000_000L + 11L * i).ToArray();
        var metadata = new Dictionary<string, string>
        {
            ["model"] = "gmf", ["method"] = "bench", ["version"] = "bench",
            ["users"] = users.ToString(CultureInfo.InvariantCulture), ["items"] = items.ToString(CultureInfo.InvariantCulture), ["metrics"] = "{}",
        };
        var path = System.IO.Path.Combine(folder, InferenceModel.FileName);
        AtomicFile.WriteAllBytes(path, InferenceModel.Build(store, userIds, itemIds, metadata));

        var random = new Random(seed);
        var requests = Enumerable.Range(0, requestCount)
            .Select(_ => Enumerable.Range(0, candidates).Select(_ => random.Next(50) == 0 ? -random.NextInt64(1, 1000) : itemIds[random.Next(1, items + 1)]).ToArray())
            .ToArray();
        return new BenchModel(path, userIds[1..], requests);
    }
}
