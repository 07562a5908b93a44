using System.Text.Json.Nodes;

namespace InverseLearning.Benchmarks;

/// <summary>
/// What ORT's profile traces say about where a step's time went: per step, the kernels each
/// provider ran and their time, the copies ORT inserted between devices (Memcpy nodes), and
/// the ops that took the most time. What a missed GPU goal is explained with.
/// </summary>
public static class OrtProfileSummary
{
    /// <summary>Sums the trace files <paramref name="files"/> (ORT's JSON arrays of events) of <paramref name="steps"/> steps, per step.</summary>
    public static JsonObject Summarize(IEnumerable<string> files, int steps)
    {
        var runs = 0;
        var providers = new Dictionary<string, (int Kernels, double Micros)>();
        var ops = new Dictionary<string, (int Count, double Micros)>();
        var copies = 0;
        foreach (var file in files)
            foreach (var e in JsonNode.Parse(File.ReadAllText(file))!.AsArray())
            {
                var category = (string?)e?["cat"];
                var name = (string?)e?["name"] ?? "";
                if (category == "Session" && name == "model_run") runs++;
                if (category != "Node" || !name.EndsWith("_kernel_time", StringComparison.Ordinal)) continue;
                var op = (string?)e!["args"]?["op_name"] ?? "?";
                var provider = (string?)e["args"]?["provider"] ?? "?";
                var micros = (double?)e["dur"] ?? 0;
                var (kernels, total) = providers.GetValueOrDefault(provider);
                providers[provider] = (kernels + 1, total + micros);
                var (count, opTotal) = ops.GetValueOrDefault(op);
                ops[op] = (count + 1, opTotal + micros);
                if (op.StartsWith("Memcpy", StringComparison.Ordinal)) copies++;
            }
        var perStep = Math.Max(steps, 1);
        var byProvider = new JsonObject();
        foreach (var (provider, (kernels, micros)) in providers)
            byProvider[provider] = new JsonObject { ["kernels_per_step"] = Math.Round(kernels / (double)perStep, 1), ["us_per_step"] = Math.Round(micros / perStep, 1) };
        var top = new JsonArray();
        foreach (var (op, (count, micros)) in ops.OrderByDescending(o => o.Value.Micros).Take(10))
            top.Add(new JsonObject { ["op"] = op, ["per_step"] = Math.Round(count / (double)perStep, 1), ["us_per_step"] = Math.Round(micros / perStep, 1) });
        return new JsonObject
        {
            ["ort_runs_per_step"] = Math.Round(runs / (double)perStep, 1),
            ["providers"] = byProvider,
            ["memcpy_nodes_per_step"] = Math.Round(copies / (double)perStep, 1),
            ["top_ops"] = top,
        };
    }
}
