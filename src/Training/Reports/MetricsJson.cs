using System.Text.Json;
using System.Text.Json.Nodes;
using InverseLearning.Training.Evaluation;

namespace InverseLearning.Training.Reports;

/// <summary>
/// Reads and writes a run's metrics.json:
/// <c>{ "valid": {auc, gauc, ndcg@10, ndcg@20, mrr, logloss}, "test": {…}, "train_seconds": …,
/// "samples_per_second": …, …extra fields }</c>. An undefined metric (NaN) is written as null.
/// </summary>
public static class MetricsJson
{
    public const string FileName = "metrics.json";

    private static readonly string[] ReservedFields = ["valid", "test", "train_seconds", "samples_per_second"];

    /// <summary>
    /// Writes the file atomically. <paramref name="extra"/> adds top-level fields, in order: a
    /// <see cref="RankingMetrics"/> becomes a metrics object (e.g. "clean_test"), a
    /// <see cref="JsonNode"/> is copied as is, anything else is serialized with System.Text.Json
    /// (numbers, strings, dictionaries, records such as the run's settings).
    /// </summary>
    public static void Write(
        string path,
        RankingMetrics valid,
        RankingMetrics test,
        double trainSeconds,
        double samplesPerSecond,
        IReadOnlyDictionary<string, object?>? extra = null) =>
        ReportJson.Write(path, Document(valid, test, trainSeconds, samplesPerSecond, extra));

    /// <summary>The document <see cref="Write"/> writes, for a caller that writes it with other files.</summary>
    public static JsonObject Document(RankingMetrics valid, RankingMetrics test, double trainSeconds, double samplesPerSecond,
        IReadOnlyDictionary<string, object?>? extra = null)
    {
        var root = new JsonObject
        {
            ["valid"] = ReportJson.FromMetrics(valid),
            ["test"] = ReportJson.FromMetrics(test),
            ["train_seconds"] = ReportJson.Number(trainSeconds),
            ["samples_per_second"] = ReportJson.Number(samplesPerSecond),
        };
        ReportJson.AddExtra(root, extra, FileName);
        return root;
    }

    /// <summary>Reads a metrics.json back; a missing or malformed field is reported with the file and field name.</summary>
    public static MetricsReport Read(string path)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                   ?? throw new InvalidDataException($"{path}: expected a JSON object at the top level.");
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({error.Message}).", error);
        }

        var extra = new JsonObject();
        foreach (var (name, value) in root)
            if (!ReservedFields.Contains(name)) extra[name] = value?.DeepClone();

        return new MetricsReport(
            ReportJson.ReadMetrics(root, "valid", path),
            ReportJson.ReadMetrics(root, "test", path),
            ReportJson.ReadNumber(root, "train_seconds", path, "train_seconds"),
            ReportJson.ReadNumber(root, "samples_per_second", path, "samples_per_second"),
            extra);
    }
}
