using System.CommandLine;
using InverseLearning.Data;

namespace InverseLearning.Training.Cli;

/// <summary>
/// The options every verb that reads a log shares (inspect, train, ...): the log file, the
/// label rule and its thresholds, the bad-row policy and the rating range. Create one set
/// per command, add it with <see cref="AddTo"/>, and turn parsed values into
/// <see cref="ReadOptions"/> / <see cref="LabelingOptions"/>.
/// </summary>
public sealed class DataOptions
{
    public const string AutoLabels = "auto";

    public Option<string> Data { get; } = DataOption();
    public Option<string> Labels { get; } = LabelsOption();
    public Option<string> OnBadRow { get; } = OnBadRowOption();
    public Option<double> FinishPositiveAbove { get; } = new("--finish-positive-above")
    { Description = "finish-rate labels: play/duration above this is positive", DefaultValueFactory = _ => 0.8 };
    public Option<double> FinishNegativeBelow { get; } = new("--finish-negative-below")
    { Description = "finish-rate labels: play/duration below this is negative", DefaultValueFactory = _ => 0.2 };
    public Option<float> RatingPositiveAtLeast { get; } = new("--rating-positive-at-least")
    { Description = "rating labels: a rating at least this is positive", DefaultValueFactory = _ => 3f };
    public Option<float> RatingNegativeAtMost { get; } = new("--rating-negative-at-most")
    { Description = "rating labels: a rating at most this is negative", DefaultValueFactory = _ => 2f };
    public Option<float> RatingMin { get; } = RatingMinOption("lower ones are bad rows");
    public Option<float> RatingMax { get; } = RatingMaxOption("higher ones are bad rows");

    /// <summary>The valid rating range's bounds; import-ratings shares them so that it never writes a rating train rejects.</summary>
    public static Option<float> RatingMinOption(string outside) => new("--rating-min")
    { Description = $"smallest valid rating; {outside}", DefaultValueFactory = _ => 1f };
    public static Option<float> RatingMaxOption(string outside) => new("--rating-max")
    { Description = $"largest valid rating; {outside}", DefaultValueFactory = _ => 5f };

    public static Option<string> DataOption() => new("--data")
    {
        Description = "interaction log (Parquet: user_id, item_id, play_time_ms, duration_ms, rating, ...)",
        Required = true,
    };

    public static Option<string> LabelsOption()
    {
        var option = new Option<string>("--labels")
        {
            Description = "label rule: finish-rate, play-time (quartiles) or rating; auto picks finish-rate when the log has play and duration columns, else rating, else play-time",
            DefaultValueFactory = _ => AutoLabels,
        };
        option.AcceptOnlyFromAmong(AutoLabels, "finish-rate", "play-time", "rating");
        return option;
    }

    public static Option<string> OnBadRowOption()
    {
        var option = new Option<string>("--on-bad-row")
        {
            Description = "fail: stop at the first bad row; skip: leave bad rows out and report how many and why",
            DefaultValueFactory = _ => "fail",
        };
        option.AcceptOnlyFromAmong("fail", "skip");
        return option;
    }

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Data, Labels, OnBadRow, FinishPositiveAbove, FinishNegativeBelow, RatingPositiveAtLeast, RatingNegativeAtMost, RatingMin, RatingMax })
            command.Options.Add(option);
    }

    public ReadOptions ToReadOptions(ParseResult parsed, IProgress<double>? progress = null)
    {
        var (min, max) = (parsed.GetValue(RatingMin), parsed.GetValue(RatingMax));
        if (!float.IsFinite(min) || !float.IsFinite(max) || min > max)
            throw new ArgumentException($"--rating-min ({min}) and --rating-max ({max}) must be finite numbers with min ≤ max");
        return new(parsed.GetValue(OnBadRow) == "skip" ? BadRowPolicy.Skip : BadRowPolicy.Fail, min, max, progress);
    }

    /// <summary>The labeling options; "auto" is resolved against the columns <paramref name="log"/> has.</summary>
    public LabelingOptions ToLabelingOptions(ParseResult parsed, InteractionLog log)
    {
        var labels = new LabelingOptions(
            ResolveRule(parsed.GetValue(Labels), log),
            parsed.GetValue(FinishPositiveAbove),
            parsed.GetValue(FinishNegativeBelow),
            parsed.GetValue(RatingPositiveAtLeast),
            parsed.GetValue(RatingNegativeAtMost));
        labels.Validate();
        return labels;
    }

    public static LabelRule ResolveRule(string? name, InteractionLog log) => name switch
    {
        "finish-rate" => LabelRule.FinishRate,
        "play-time" => LabelRule.PlayTime,
        "rating" => LabelRule.Rating,
        _ when log.PlayTimeMs is not null && log.DurationMs is not null => LabelRule.FinishRate,
        _ when log.Rating is not null => LabelRule.Rating,
        _ => LabelRule.PlayTime,
    };

    public static string RuleName(LabelRule rule) => rule switch
    {
        LabelRule.FinishRate => "finish-rate",
        LabelRule.PlayTime => "play-time",
        LabelRule.Rating => "rating",
        _ => rule.ToString(),
    };

    /// <summary>Reads the log named by --data with a progress line, printing what --on-bad-row skip left out.</summary>
    public InteractionLog ReadLog(ParseResult parsed)
    {
        var path = parsed.GetValue(Data)!;
        var progress = new ConsoleProgress($"reading {Path.GetFileName(path)}", InteractionLogParquet.CountRows(path));
        var options = ToReadOptions(parsed, progress);
        var log = InteractionLogParquet.Read(path, options);
        progress.Complete();
        if (log.SkippedRows.Total > 0)
        {
            Console.Error.WriteLine($"{path}: skipped {log.SkippedRows.Total} bad row(s):");
            foreach (var line in log.SkippedRows.Describe(options))
                Console.Error.WriteLine("  " + line);
        }
        return log;
    }
}
