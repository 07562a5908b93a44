using System.Globalization;
using System.Text.Json.Nodes;

namespace InverseLearning.Training.Evaluation;

/// <summary>
/// Recall@K and NDCG@K of the full-ranking protocol, for each K, averaged over the
/// <see cref="Users"/> test users with at least one true positive; <see cref="TestPositives"/>
/// names the rule that picked them (truth, like, rating:N).
/// </summary>
public sealed record FullRankingMetrics(string TestPositives, int Users, IReadOnlyList<int> Ks, IReadOnlyList<double> Recall, IReadOnlyList<double> Ndcg)
{
    public double RecallAt(int k) => Recall[IndexOf(k)];

    /// <summary>One metric by its name in <see cref="Names"/> (recall@K or ndcg@K).</summary>
    public double this[string name] => name.StartsWith("recall@", StringComparison.Ordinal)
        ? RecallAt(int.Parse(name[7..], CultureInfo.InvariantCulture))
        : NdcgAt(int.Parse(name[5..], CultureInfo.InvariantCulture));

    public double NdcgAt(int k) => Ndcg[IndexOf(k)];

    /// <summary>The metric names, in report order: recall@K for each K, then ndcg@K for each K (DenoisingRec's layout).</summary>
    public IEnumerable<string> Names => Ks.Select(k => $"recall@{k}").Concat(Ks.Select(k => $"ndcg@{k}"));

    /// <summary>The figures for metrics.json: the rule, the user count, recall@K and ndcg@K.</summary>
    public IReadOnlyDictionary<string, object> ToDictionary()
    {
        var values = new Dictionary<string, object> { ["test_positives"] = TestPositives, ["users"] = Users };
        for (var i = 0; i < Ks.Count; i++) values[$"recall@{Ks[i]}"] = Recall[i];
        for (var i = 0; i < Ks.Count; i++) values[$"ndcg@{Ks[i]}"] = Ndcg[i];
        return values;
    }

    /// <summary>Reads what <see cref="ToDictionary"/> wrote, as JSON; K are those of the recall@K fields, in order. A missing or malformed field names <paramref name="where"/>.</summary>
    public static FullRankingMetrics FromJson(JsonObject node, string where)
    {
        T Read<T>(string field) => node[field] is JsonValue value && value.TryGetValue<T>(out var v)
            ? v : throw new InvalidDataException($"{where}: field '{field}' is missing or not a {typeof(T).Name}.");
        var ks = node.Select(p => p.Key).Where(k => k.StartsWith("recall@", StringComparison.Ordinal))
            .Select(k => int.TryParse(k[7..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw new InvalidDataException($"{where}: field '{k}' has no integer K."))
            .ToList();
        return new FullRankingMetrics(Read<string>("test_positives"), Read<int>("users"), ks,
            ks.Select(k => Read<double>($"recall@{k}")).ToList(), ks.Select(k => Read<double>($"ndcg@{k}")).ToList());
    }

    private int IndexOf(int k)
    {
        for (var i = 0; i < Ks.Count; i++) if (Ks[i] == k) return i;
        throw new ArgumentException($"K = {k} was not evaluated; evaluated K: {string.Join(", ", Ks)}", nameof(k));
    }
}
