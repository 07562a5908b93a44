using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace InverseLearning.Training;

/// <summary>What makes two <see cref="TrainSettings"/> two runs, told by the flags a user types.</summary>
public static class SettingsDifferences
{
    /// <summary>
    /// The settings in which <paramref name="other"/> is another run than <paramref name="these"/>: all but what a resumed run may change
    /// (--epochs, --threads, --device, --store, --checkpoint-every, --eval's K, --test-positives and <see cref="TrainSettings.ResumableOptions"/>), each
    /// by the flag that gives it, with both values as that flag takes them; empty for the same run.
    /// </summary>
    public static IReadOnlyList<(string Flag, string Other, string These)> RunDifferences(this TrainSettings these, TrainSettings other)
    {
        // The resumable options as these have them, given or left to their default alike.
        var options = new SortedDictionary<string, double>(other.Options.ToDictionary());
        foreach (var option in TrainSettings.ResumableOptions)
            if (these.Options.TryGetValue(option.Flag, out var value)) options[option.Flag] = value;
            else options.Remove(option.Flag);
        var asResumed = other with
        {
            Epochs = these.Epochs, Threads = these.Threads, Device = these.Device, Store = these.Store, CheckpointEvery = these.CheckpointEvery,
            FullRankingTopK = these.FullRankingTopK, TestPositives = these.TestPositives, Options = options,
        };
        var (theirs, ours) = (ByFlag(asResumed), ByFlag(these));
        // Both sides' flags: an option this build does not declare (read from an older record) may be on one side only.
        return [.. ours.Keys.Concat(theirs.Keys).Distinct().Where(flag => !JsonNode.DeepEquals(ours.GetValueOrDefault(flag), theirs.GetValueOrDefault(flag)))
            .Select(flag => (flag, Shown(theirs.GetValueOrDefault(flag)), Shown(ours.GetValueOrDefault(flag))))];
    }

    // Read from the other settings, which name what differs themselves.
    private static readonly string[] Derived = [nameof(TrainSettings.TrainingFingerprint), nameof(TrainSettings.EffectiveSplitSeed)];

    // The flag of each setting a record holds under its own name: a message names what the user types (--lr, not LearningRate).
    private static readonly Dictionary<string, string> FlagOf = new(StringComparer.Ordinal)
    {
        [nameof(TrainSettings.Model)] = "--model", [nameof(TrainSettings.Method)] = "--method", [nameof(TrainSettings.Epochs)] = "--epochs",
        [nameof(TrainSettings.BatchSize)] = "--batch-size", [nameof(TrainSettings.BatchRows)] = "--batch-rows", [nameof(TrainSettings.Protocol)] = "--protocol",
        [nameof(TrainSettings.Optimizer)] = "--optimizer", [nameof(TrainSettings.LearningRate)] = "--lr", [nameof(TrainSettings.Dim)] = "--dim",
        [nameof(TrainSettings.Init)] = "--init", [nameof(TrainSettings.Ng)] = "--ng", [nameof(TrainSettings.UnlabeledMix)] = "--unlabeled-mix",
        [nameof(TrainSettings.Seed)] = "--seed", [nameof(TrainSettings.SplitSeed)] = "--seed (the split's, an experiment's)", [nameof(TrainSettings.Stream)] = "--stream",
        [nameof(TrainSettings.ShuffleBuffer)] = "--shuffle-buffer", [nameof(TrainSettings.Threads)] = "--threads", [nameof(TrainSettings.Device)] = "--device",
        [nameof(TrainSettings.Store)] = "--store", [nameof(TrainSettings.FreshOptimizer)] = "--fresh-optimizer", [nameof(TrainSettings.FullRankingTopK)] = "--eval",
        [nameof(TrainSettings.SelectBy)] = "--select-by", [nameof(TrainSettings.EvalEvery)] = "--eval-every", [nameof(TrainSettings.CheckpointEvery)] = "--checkpoint-every",
        [nameof(TrainSettings.ValidUsers)] = "--valid-users", [nameof(TrainSettings.ValidPositives)] = "--valid-positives",
        [nameof(TrainSettings.ExtraFeedback)] = "--extra-feedback", [nameof(TrainSettings.TestPositives)] = "--test-positives",
    };

    /// <summary>
    /// The settings (by property name) that change no result of a run that finished: an experiment reuses its run whatever they are.
    /// --checkpoint-every only saves last.checkpoint more often; a resumed run continues from it to the uninterrupted run's bytes.
    /// </summary>
    public static IReadOnlySet<string> ResultNeutral { get; } = new HashSet<string>(StringComparer.Ordinal) { nameof(TrainSettings.CheckpointEvery) };

    /// <summary>The flag that gives the setting of this property name (--lr for LearningRate); the name itself for one no flag gives.</summary>
    public static string Flag(string property) => property switch
    {
        nameof(TrainSettings.TimeSplit) or nameof(TrainSettings.HashSplit) => "--split",
        nameof(TrainSettings.UnlabeledSource) => "--unlabeled-source",
        nameof(TrainSettings.LabelFlags) => "--labels",
        _ => FlagOf.GetValueOrDefault(property, property),
    };

    // The settings as the flags that give them, with the values those flags take: the split one --split, every plugin option its own flag.
    private static Dictionary<string, JsonNode?> ByFlag(TrainSettings settings)
    {
        var flags = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        // Each recorded property read whole, not from its JSON: a record leaves out a default (--stream false), which is still a value.
        foreach (var property in typeof(TrainSettings).GetProperties(BindingFlags.Public | BindingFlags.Instance))
            if (property.GetCustomAttribute<JsonIgnoreAttribute>() is not { Condition: JsonIgnoreCondition.Always }
                && !Derived.Contains(property.Name) && property.Name is not (nameof(TrainSettings.TimeSplit) or nameof(TrainSettings.HashSplit)
                    or nameof(TrainSettings.UnlabeledSource) or nameof(TrainSettings.Options) or nameof(TrainSettings.LabelFlags)))
                flags[FlagOf.TryGetValue(property.Name, out var flag) ? flag
                    : throw new InvalidOperationException($"TrainSettings.{property.Name} has no flag in SettingsDifferences.FlagOf: add the flag that gives it")]
                    = JsonSerializer.SerializeToNode(property.GetValue(settings));
        flags["--split"] = settings.TimeSplit is { } time ? $"{Cli.TimeSplitOptions.Time} --valid-days {time.ValidDays} --test-days {time.TestDays}"
            : settings.HashSplit ? Cli.TimeSplitOptions.Hash : Cli.TimeSplitOptions.Random;
        flags["--unlabeled-source"] = InverseLearning.Data.UnlabeledSamplers.Names[(int)settings.UnlabeledSource];
        // An option left out takes its default: the same run as one that gives it. Another plugin's is no part of the run (an
        // older record holds every plugin's): it counts as its default.
        var own = settings.OwnOptions;
        foreach (var option in TrainSettings.DeclaredOptions) flags["--" + option.Flag] = own.Contains(option) ? settings.Option(option) : option.Default;
        var declared = TrainSettings.DeclaredOptions.Select(o => o.Flag).ToHashSet(StringComparer.Ordinal);
        foreach (var (flag, value) in settings.Options.Where(o => !declared.Contains(o.Key))) flags["--" + flag] = value;
        return flags;
    }

    private static string Shown(JsonNode? value) => value switch
    {
        null => "unset",
        JsonValue text when text.TryGetValue<string>(out var word) => word,
        _ => value.ToJsonString(),
    };
}
