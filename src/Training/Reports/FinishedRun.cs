using System.Text.Json.Nodes;
using InverseLearning.Data;
using InverseLearning.Training.Artifacts;
using InverseLearning.Training.Evaluation;
using InverseLearning.Training.Stages;

namespace InverseLearning.Training.Reports;

/// <summary>
/// A run an earlier start of an experiment finished in its folder, which a start of the same experiment reuses rather than trains
/// again (a cancel or a kill lost none of the runs it had finished). Reused only when its metrics.json, written last and whole, was
/// made with these very settings (every one, as recorded, of the plugin options those the run reads: <see cref="TrainSettings.OwnOptions"/>;
/// not those that change no result: <see cref="SettingsDifferences.ResultNeutral"/>) and this <see cref="DataRecord"/> (the log, its flags and its
/// fingerprint), holds every figure the experiment reports, and the run's other files (<see cref="RunFiles.Written"/>, and the
/// reports it names: IDL's histograms, IG's convergence log) are in place, its checkpoints' headers whole and their lengths those the headers give. The figures themselves are taken as written: a hand-edited AUC is not found out.
/// </summary>
public static class FinishedRun
{
    /// <summary>
    /// The most bytes a metrics.json is read with: a run's is kilobytes (its settings, metrics and annotation). Checked before
    /// reading: a link to /dev/zero or a huge file was read whole, gigabytes of memory, before it was found unreadable.
    /// </summary>
    public const long MaxMetricsBytes = 16 << 20;

    /// <summary>
    /// The run's results from <paramref name="directory"/>'s metrics.json, or null: <paramref name="why"/> then says why the run
    /// there is not reused, as words after the folder's name ("holds a run of other settings: --dim", "cannot be reused: its
    /// model.onnx is missing"), and is null where there is no run to reuse.
    /// </summary>
    public static RunResult? Read(TrainSettings settings, string directory, DataRecord data, bool withTruth, out string? why)
    {
        why = null;
        var path = Path.Combine(directory, MetricsJson.FileName);
        // File.Exists says true of a link to nothing, which InputFile names.
        if (!File.Exists(path) && !Directory.Exists(path)) return null;
        if (Unreadable(path) is { } problem)
        {
            why = $"cannot be reused: its {MetricsJson.FileName} {problem}";
            return null;
        }
        MetricsReport report;
        try
        {
            report = MetricsJson.Read(path);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            why = $"cannot be reused: its {MetricsJson.FileName} cannot be read";
            return null;
        }
        settings = settings.WithOwnOptionsOnly();
        var differences = Differences(WithOwnOptionsOnly(report.Extra["settings"] as JsonObject, settings), ReportJson.FromValue(settings)!.AsObject(), "settings",
                SettingsDifferences.ResultNeutral, SettingsDifferences.Flag)
            .Concat(Differences(report.Extra[DataRecord.Field] as JsonObject, data.ToJson(), "data", DataRecord.ComparedOtherwise, also: data.FingerprintDifference)).ToList();
        if (differences.Count > 0)
        {
            why = $"holds a run of other {string.Join("; other ", differences)}";
            return null;
        }
        if (Unsound(directory, report) is { } damage)
        {
            why = $"cannot be reused: {damage}";
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
            why = $"cannot be reused: its {MetricsJson.FileName} lacks a figure the experiment reports";
            return null;
        }
    }

    // What the project's input files are refused for (a folder, a link to nothing, a pipe or a device), and a size past any metrics.json's.
    private static string? Unreadable(string path) =>
        InputFile.Problem(path) ?? (FinalFile.At(path).Length is var bytes and > MaxMetricsBytes
            ? $"is {bytes:N0} bytes, more than a run's metrics.json ever holds ({ByteSize.Format(MaxMetricsBytes)})" : null);

    /// <summary>
    /// What is wrong with the finished run's other files (<see cref="RunFiles.Written"/>, and the reports its metrics.json names):
    /// one missing or not a regular file, or a checkpoint whose header (its
    /// checksum included) does not read or whose length is not the one its header gives; null when all are sound. Only the headers
    /// are read, not the tables. The best
    /// checkpoint is looked for only where the run recorded a best epoch: a run whose validation never improved saved none.
    /// </summary>
    private static string? Unsound(string directory, MetricsReport report)
    {
        var noBest = report.Extra["best_epoch"] is JsonValue best && best.TryGetValue<int>(out var epoch) && epoch == 0;
        if (Reports(report) is not { } reports) return $"its {MetricsJson.FileName} field `reports` is not a list of the reports a run writes";
        foreach (var name in RunFiles.Written.Where(name => !(noBest && name == Checkpoint.BestFileName)).Concat(reports))
        {
            var path = Path.Combine(directory, name);
            if (!File.Exists(path) && !Directory.Exists(path)) return $"its {name} is missing";
            if (InputFile.Problem(path) is { } problem) return $"its {name} {problem}";
            if (name is not (Checkpoint.BestFileName or Checkpoint.LastFileName)) continue;
            try
            {
                // The length too: a checkpoint cut short passed on its header alone, was reused, and failed eval later.
                Checkpoint.ReadHeaderAndLength(path);
            }
            catch (Exception e) when (e is CheckpointException or IOException or UnauthorizedAccessException)
            {
                return e.Message.TrimEnd('.');
            }
        }
        return null;
    }

    // The reports the run wrote beside metrics.json (a histogram, IG's convergence log), as it names them: none where it names
    // none (an earlier build's record); null where the list is not one of names a run writes, which would be looked for anywhere.
    private static IReadOnlyList<string>? Reports(MetricsReport report)
    {
        if (report.Extra[ReportStage.ReportsField] is not { } field) return [];
        if (field is not JsonArray list) return null;
        var names = list.Select(name => name is JsonValue value && value.TryGetValue<string>(out var text) ? text : null).OfType<string>().ToList();
        return names.Count == list.Count && names.All(RunFiles.Reports.Contains) ? names : null;
    }

    // A record of an earlier build holds every plugin's options: those of other plugins than the run's are not compared, so that its run is still reused.
    private static JsonObject? WithOwnOptionsOnly(JsonObject? recorded, TrainSettings settings)
    {
        if (recorded?[nameof(TrainSettings.Options)] is not JsonObject options) return recorded;
        foreach (var other in TrainSettings.DeclaredOptions.Except(settings.OwnOptions)) options.Remove(other.Flag);
        return recorded;
    }

    private static readonly string[] Derived = [nameof(TrainSettings.TrainingFingerprint), nameof(TrainSettings.EffectiveSplitSeed)];

    // "settings: --dim, --epochs" for the fields whose recorded value is not the one now (compared as written), each named by
    // flagOf(field) (as written without it), a plugin option by its flag (--sample-lr); the whole record when none was. The fields of
    // ignored are left out: another field holds them as compared (the data's as given), they change no result (--checkpoint-every),
    // or also compares them, telling how they differ in words after the others (the data's fingerprint).
    private static IEnumerable<string> Differences(JsonObject? recorded, JsonObject now, string what, IReadOnlyCollection<string>? ignored = null,
        Func<string, string>? flagOf = null, Func<JsonObject, string?>? also = null)
    {
        if (recorded is null)
        {
            yield return $"{what} (none recorded)";
            yield break;
        }
        var names = now.Select(p => p.Key).Union(recorded.Select(p => p.Key)).Where(name => ignored?.Contains(name) != true)
            .Where(name => recorded[name]?.ToJsonString() != now[name]?.ToJsonString() || recorded.ContainsKey(name) != now.ContainsKey(name)).ToList();
        // Derived fields differ with those they are made of, which name it better.
        var named = names.Where(name => !Derived.Contains(name)).SelectMany(name => name == nameof(TrainSettings.Options)
            ? OptionFlags(recorded[name] as JsonObject, now[name] as JsonObject) : [flagOf?.Invoke(name) ?? name]).Distinct().ToList();
        var told = (named.Count > 0 ? named : names).Concat(also?.Invoke(recorded) is { } words ? [words] : []).ToList();
        if (told.Count > 0) yield return $"{what}: {string.Join(", ", told)}";
    }

    // The plugin options (TrainSettings.Options, keyed by flag) whose values differ, as the flags that give them.
    private static IEnumerable<string> OptionFlags(JsonObject? recorded, JsonObject? now)
    {
        var (before, after) = (recorded ?? new JsonObject(), now ?? new JsonObject());
        return before.Select(p => p.Key).Union(after.Select(p => p.Key))
            .Where(flag => before[flag]?.ToJsonString() != after[flag]?.ToJsonString() || before.ContainsKey(flag) != after.ContainsKey(flag))
            .Select(flag => "--" + flag);
    }
}
