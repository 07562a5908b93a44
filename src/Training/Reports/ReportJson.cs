using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using InverseLearning.Data;
using InverseLearning.Training.Evaluation;

namespace InverseLearning.Training.Reports;

/// <summary>JSON conventions shared by metrics.json and results.json: metrics objects by report name, NaN as null.</summary>
internal static class ReportJson
{
    public static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        // Extra values may carry NaN (an undefined figure); JSON has no NaN, so it is written as the string "NaN".
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>A number, or null for NaN/∞ which JSON cannot hold.</summary>
    public static JsonNode? Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    public static JsonObject FromMetrics(RankingMetrics metrics)
    {
        var node = new JsonObject();
        foreach (var (name, value) in metrics.ToDictionary()) node[name] = Number(value);
        return node;
    }

    public static JsonNode? FromValue(object? value) => value switch
    {
        null => null,
        RankingMetrics metrics => FromMetrics(metrics),
        JsonNode node => node.DeepClone(),
        double number => Number(number),
        float number => Number(number),
        _ => JsonSerializer.SerializeToNode(value, value.GetType(), Indented),
    };

    /// <summary>Adds the caller's top-level fields (<see cref="FromValue"/>), in order, refusing one that would overwrite a field already in <paramref name="root"/>.</summary>
    public static void AddExtra(JsonObject root, IReadOnlyDictionary<string, object?>? extra, string file)
    {
        foreach (var (name, value) in extra ?? new Dictionary<string, object?>())
        {
            if (root.ContainsKey(name))
                throw new ArgumentException($"Extra field '{name}' would overwrite a standard field of {file}.", nameof(extra));
            root[name] = FromValue(value);
        }
    }

    /// <summary>Writes a report atomically, indented, ending in a newline.</summary>
    public static void Write(string path, JsonObject root) => AtomicFile.WriteAllText(path, Text(root));

    /// <summary>A report's text as <see cref="Write"/> writes it, for a caller that writes it with other files.</summary>
    public static string Text(JsonObject root) => root.ToJsonString(Indented) + "\n";

    public static RankingMetrics ReadMetrics(JsonObject parent, string field, string file)
    {
        if (parent[field] is not JsonObject node)
            throw new InvalidDataException($"{file}: field '{field}' is missing or not an object; expected an object of metrics.");
        var values = new Dictionary<string, double>();
        foreach (var name in RankingMetrics.Names) values[name] = ReadNumber(node, name, file, $"{field}.{name}");
        return RankingMetrics.FromDictionary(values);
    }

    /// <summary>A number field; null reads back as NaN (how NaN was written).</summary>
    public static double ReadNumber(JsonObject parent, string name, string file, string fieldPath)
    {
        if (!parent.ContainsKey(name))
            throw new InvalidDataException($"{file}: field '{fieldPath}' is missing; expected a number.");
        var node = parent[name];
        if (node is null) return double.NaN;
        if (node is JsonValue value && value.TryGetValue<double>(out var number)) return number;
        throw new InvalidDataException($"{file}: field '{fieldPath}' is {node.ToJsonString()}; expected a number or null.");
    }
}
