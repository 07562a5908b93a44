using System.Text.Json.Nodes;
using InverseLearning.Training.Evaluation;

namespace InverseLearning.Training.Reports;

/// <summary>
/// A run an earlier start of an experiment finished in its folder, which a start of the same experiment reuses rather than trains
/// again (a cancel or a kill lost none of the runs it had finished). Reused only when its metrics.json, written last and whole, was
/// made with these very settings (every one, as recorded) and this <see cref="DataRecord"/> (the log, its flags and its
/// fingerprint), and holds every figure the experiment reports.
/// </summary>
public static class FinishedRun
{
    /// <summary>
    /// The run's results from <paramref name="directory"/>'s metrics.json, or null: <paramref name="other"/> then says what the
    /// metrics.json there was made with, where one is ("other settings: Dim"), and is null where there is none to reuse.
    /// </summary>
    public static RunResult? Read(TrainSettings settings, string directory, DataRecord data, bool withTruth, out string? other)
    {
        other = null;
        var path = Path.Combine(directory, MetricsJson.FileName);
        if (!File.Exists(path)) return null;
        MetricsReport report;
        try
        {
            report = MetricsJson.Read(path);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            other = "its own: its metrics.json cannot be read";
            return null;
        }
        var differences = Differences(report.Extra["settings"] as JsonObject, ReportJson.FromValue(settings)!.AsObject(), "settings")
            .Concat(Differences(report.Extra[DataRecord.Field] as JsonObject, data.ToJson(), "data")).ToList();
        if (differences.Count > 0)
        {
            other = $"other {string.Join("; other ", differences)}";
            return null;
        }
        try
        {
            var clean = withTruth ? ReportJson.ReadMetrics(report.Extra, "clean_test", path) : null;
            var ranking = settings.FullRankingTopK is null ? null
                : report.Extra["full_ranking"] is JsonObject node ? FullRankingMetrics.FromJson(node, $"{path}: full_ranking")
                : throw new InvalidDataException($"{path}: no full_ranking");
            return new RunResult(settings.Method, settings.Model, settings.Seed, report.Test, clean, ranking);
        }
        catch (InvalidDataException)
        {
            other = "its own, short of a figure the experiment reports";
            return null;
        }
    }

    private static readonly string[] Derived = [nameof(TrainSettings.TrainingFingerprint), nameof(TrainSettings.EffectiveSplitSeed)];

    // "settings: Dim, Epochs" for the fields whose recorded value is not the one now (compared as written); the whole record when none was.
    private static IEnumerable<string> Differences(JsonObject? recorded, JsonObject now, string what)
    {
        if (recorded is null)
        {
            yield return $"{what} (none recorded)";
            yield break;
        }
        var names = now.Select(p => p.Key).Union(recorded.Select(p => p.Key))
            .Where(name => recorded[name]?.ToJsonString() != now[name]?.ToJsonString() || recorded.ContainsKey(name) != now.ContainsKey(name)).ToList();
        // Derived fields differ with those they are made of, which name it better.
        var named = names.Where(name => !Derived.Contains(name)).ToList();
        if (names.Count > 0) yield return $"{what}: {string.Join(", ", named.Count > 0 ? named : names)}";
    }
}
