using System.CommandLine;
using InverseLearning.Data;

namespace InverseLearning.Training.Cli;

/// <summary>
/// The options every verb that reads a log shares (inspect, train, ...): the log file, the
/// label rule and its thresholds, the bad-row policy and the rating range. Create one set
/// per command, add it with <see cref="AddTo"/>, and turn parsed values into
/// <see cref="ReadOptions"/> / <see cref="LabelingOptions"/>; <see cref="LogReader"/> reads the log they name.
/// </summary>
public sealed class DataOptions
{
    public const string AutoLabels = "auto";
    public const string TruthPositives = "truth";

    private readonly LogListing _listing = new();

    public Option<string> Data { get; } = DataOption();
    public Option<string> Labels { get; } = LabelsOption();
    public Option<string> OnBadRow { get; } = OnBadRowOption();
    public Option<string?> Where { get; } = new("--where")
    { Description = "keep only the Hive partitions of a --data directory that satisfy these conditions, e.g. 'day>=2024-01-03,day<2024-01-10' (others are not read)" };
    public Option<double> FinishPositiveAbove { get; } = new("--finish-positive-above")
    { Description = "finish-rate labels: play/duration above this is positive", DefaultValueFactory = _ => 0.8 };
    public Option<double> FinishNegativeBelow { get; } = new("--finish-negative-below")
    { Description = "finish-rate labels: play/duration below this is negative", DefaultValueFactory = _ => 0.2 };
    public Option<float> RatingPositiveAtLeast { get; } = new("--rating-positive-at-least")
    { Description = "rating labels: a rating at least this is positive", DefaultValueFactory = _ => 3f };
    public Option<float> RatingNegativeAtMost { get; } = new("--rating-negative-at-most")
    { Description = "rating labels: a rating at most this is negative", DefaultValueFactory = _ => 2f };
    public Option<string> ExtraFeedback { get; } = new("--extra-feedback")
    { Description = "extra feedback (sparse, reliable positives): like, rating:N (rating ≥ N) or column:NAME (a boolean column of the log)", DefaultValueFactory = _ => "like" };
    public Option<string> TestPositives { get; } = new("--test-positives")
    { Description = "full-ranking evaluation's true positives among the test rows: truth (the simulator's), like or rating:N", DefaultValueFactory = _ => TruthPositives };
    public Option<float> RatingMin { get; } = RatingMinOption("lower ones are bad rows (a log import-ratings wrote is read with the range it records, unless this or --rating-max is given)");
    public Option<float> RatingMax { get; } = RatingMaxOption("higher ones are bad rows (a log import-ratings wrote is read with the range it records, unless this or --rating-min is given)");

    /// <summary>The valid rating range's bounds; import-ratings shares them so that it never writes a rating train rejects.</summary>
    public static Option<float> RatingMinOption(string outside) => new("--rating-min")
    { Description = $"smallest valid rating; {outside}", DefaultValueFactory = _ => 1f };
    public static Option<float> RatingMaxOption(string outside) => new("--rating-max")
    { Description = $"largest valid rating; {outside}", DefaultValueFactory = _ => 5f };

    /// <summary>
    /// The valid rating range given, refused in one line unless it is two finite numbers in order. A refusal quotes each value as it
    /// was written, not as parsed: 1e308 parses as a float's infinity.
    /// </summary>
    public static (float Min, float Max) RatingRange(ParseResult parsed, Option<float> minOption, Option<float> maxOption)
    {
        var (min, max) = (parsed.GetValue(minOption), parsed.GetValue(maxOption));
        string Given(Option<float> option, float value) =>
            parsed.GetResult(option)?.Tokens is [.., var last] ? last.Value : value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (option, value) in new[] { (minOption, min), (maxOption, max) })
            if (!float.IsFinite(value))
                throw new ArgumentException($"{option.Name} takes a finite number (a float: from -3.4e38 to 3.4e38), got {Given(option, value)}");
        if (min > max)
            throw new ArgumentException($"{minOption.Name} ({Given(minOption, min)}) and {maxOption.Name} ({Given(maxOption, max)}) must be in order, min ≤ max");
        return (min, max);
    }

    private bool RatingRangeGiven(ParseResult parsed) => parsed.GetResult(RatingMin) is { Implicit: false } || parsed.GetResult(RatingMax) is { Implicit: false };

    /// <summary>The rating range the log is read with: the one given, else the one its first file records, else the default.</summary>
    private (float Min, float Max) RatingRangeOfLog(ParseResult parsed)
    {
        var range = RatingRange(parsed, RatingMin, RatingMax);
        if (RatingRangeGiven(parsed)) return range;
        var footers = Open(parsed).Footers();
        return footers.Count > 0 && RecordedRatingRange.In(footers[0].Metadata, footers[0].Path) is { } recorded ? recorded : range;
    }

    /// <summary>A rating:N rule outside the log's rating range marks no row, or every rated row: refused, naming the range.</summary>
    public void RequireInRatingRange(ParseResult parsed, FeedbackRule? rule, string flag)
    {
        if (rule is not { Source: FeedbackSource.Rating }) return;
        var (min, max) = RatingRangeOfLog(parsed);
        if (rule.RatingAtLeast >= min && rule.RatingAtLeast <= max) return;
        static string Text(float value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        throw new ArgumentException($"{flag} {rule} is outside the log's rating range [{Text(min)}, {Text(max)}] (--rating-min, --rating-max), " +
            $"so it would mark {(rule.RatingAtLeast > max ? "no row" : "every rated row")}; give a rating in that range");
    }

    public static Option<string> DataOption() => new("--data")
    {
        Description = "interaction log (Parquet: user_id, item_id, play_time_ms, duration_ms, rating, ...): a file, a directory of part files (read recursively, Hive key=value directories become columns) or a glob",
        Required = true,
    };

    public static Option<string> LabelsOption()
    {
        var option = new Option<string>("--labels")
        {
            Description = "label rule: finish-rate, play-time (quartiles), rating, or implicit (every row positive); auto picks finish-rate when the log has play and duration columns, else rating, else play-time",
            DefaultValueFactory = _ => AutoLabels,
        };
        option.AcceptOnlyFromAmong(AutoLabels, "finish-rate", "play-time", "rating", "implicit");
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

    /// <summary>--test-positives picks full ranking's true positives: refused on a run that ranks no catalogue, which would ignore it (inspect counts them either way).</summary>
    public void RequireTestPositivesRead(ParseResult parse, bool fullRanking)
    {
        if (fullRanking || parse.GetResult(TestPositives) is not { Implicit: false }) return;
        throw new ArgumentException("--test-positives needs --eval full-ranking: it picks the true positives of full ranking's Recall@K and NDCG@K");
    }

    /// <summary>
    /// Finds the log's parts (opening none): a --data that names no log, or a --where that keeps none of it, is refused here,
    /// before a wait on anything else (a cluster that does not answer waits out its connect timeout, and would be all that is told).
    /// </summary>
    public void RequireLog(ParseResult parse) => Open(parse);

    /// <summary>
    /// The log --data and --where name, listed once for the command (opening no file): every read of it reads the same parts,
    /// those a checkpoint's run read after <see cref="ReadAsRunRead"/>.
    /// </summary>
    public LogDataset Open(ParseResult parse) => _listing.Open(parse.GetValue(Data)!, parse.GetValue(Where));

    /// <summary>
    /// Eval, export and --resume read the lake parts <paramref name="run"/> read, where its checkpoint records them: a part added since is
    /// left out, in one line; one gone or rewritten is refused, naming it.
    /// </summary>
    public void ReadAsRunRead(Artifacts.RunState run, string checkpoint) =>
        _listing.ReadAsRunRead(run.LakeParts, run.LakeListing, new PartsReader($"{checkpoint}'s run", "give the lake as the run read it, or train again on the lake as it is",
            "give the --data (and --where) the run was trained with"));

    /// <summary>
    /// A cluster run's worker reads the lake parts its coordinator read (<paramref name="parts"/>, of the lake it listed as <paramref name="listing"/>):
    /// a part added since is left out, in one line; one gone or rewritten is refused, naming it, as the lake changed under run <paramref name="run"/>.
    /// </summary>
    public void ReadAsCoordinatorRead(IReadOnlyList<ReadPart> parts, IReadOnlyList<string>? listing, string run) =>
        _listing.ReadAsRunRead(parts, listing, new PartsReader($"run {run}'s coordinator",
            "the lake changed under the run, and its workers must read what its coordinator read: stop the coordinator and train again once the lake's parts stay as they are",
            "give every worker the coordinator's --data (and --where)"));

    /// <summary>What the checkpoint's run did not read of the lake --data and --where hold now, and what it listed as it began (null before <see cref="ReadAsRunRead"/>).</summary>
    public RunLake? RunLake(ParseResult parse) => _listing.RunLake(parse.GetValue(Data)!, parse.GetValue(Where));

    /// <param name="command">The verb.</param>
    /// <param name="ranksCatalogue">Whether the verb can rank a whole catalogue, whose true positives --test-positives picks (export cannot: it has no such flag).</param>
    public void AddTo(Command command, bool ranksCatalogue = true)
    {
        foreach (var option in new Option[] { Data, Where, Labels, OnBadRow, FinishPositiveAbove, FinishNegativeBelow, RatingPositiveAtLeast, RatingNegativeAtMost, RatingMin, RatingMax, ExtraFeedback })
            command.Options.Add(option);
        if (ranksCatalogue) command.Options.Add(TestPositives);
    }

    public ReadOptions ToReadOptions(ParseResult parsed, IProgress<double>? progress = null)
    {
        var (min, max) = RatingRange(parsed, RatingMin, RatingMax);
        return new(parsed.GetValue(OnBadRow) == "skip" ? BadRowPolicy.Skip : BadRowPolicy.Fail, min, max, progress, HeldMemory(parsed), RatingRangeGiven(parsed));
    }

    // The command's --max-memory where it has one, but never more than the machine's, less what the process and its runtimes
    // take before any log (the run's estimate counts it too): the rows a log's footers declare are counted against the rest
    // before they are allocated, so a log the budget cannot hold is refused before it is read, not after.
    private static HeldMemoryLimit HeldMemory(ParseResult parsed)
    {
        var given = parsed.CommandResult.Command.Options.OfType<Option<string>>().FirstOrDefault(o => o.Name == "--max-memory") is { } option ? parsed.GetValue(option) : null;
        var budget = MemoryBudget.Parse(given);
        // Capped by what the GC may use at all (not by MemAvailable now, which a --max-memory may knowingly exceed): past it no allocation succeeds.
        var ceiling = (double)GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        var (bytes, name) = budget.Bytes <= ceiling ? (budget.Bytes, budget.Describe()) : (ceiling, $"the {ByteSize.Format(ceiling)} this process may use at all");
        const double process = RunMemoryEstimate.BaselineBytes;
        return new HeldMemoryLimit(Math.Max(0, bytes - process), $"{name} less the {ByteSize.Format(process)} the process and runtimes take");
    }

    /// <summary>The labeling options; "auto" is resolved against the columns <paramref name="log"/> has.</summary>
    public LabelingOptions ToLabelingOptions(ParseResult parsed, InteractionLog log)
    {
        var rule = ResolveRule(LabelFlag(parsed, Labels, (text, _) => text), log);
        // A rule whose columns the log lacks labels no row: told here, not as an empty log of unlabeled rows.
        if (Labeler.ColumnsOf(rule).Where(column => !Has(log, column)).ToList() is { Count: > 0 } missing)
        {
            // What auto picks, when the log has its columns (a log with no play time, duration or rating has none but implicit).
            var auto = ResolveRule(null, log);
            var fits = Labeler.ColumnsOf(auto).All(column => Has(log, column)) ? auto : LabelRule.Implicit;
            throw new DataException($"{parsed.GetValue(Data)}: {Named(parsed, rule)} reads {string.Join(" and ", missing)}, which the log does not have; " +
                $"choose --labels {RuleName(fits)}");
        }
        var labels = new LabelingOptions(
            rule,
            LabelFlag(parsed, FinishPositiveAbove, double.Parse),
            LabelFlag(parsed, FinishNegativeBelow, double.Parse),
            LabelFlag(parsed, RatingPositiveAtLeast, float.Parse),
            LabelFlag(parsed, RatingNegativeAtMost, float.Parse));
        labels.Validate();
        return labels;
    }

    /// <summary>
    /// One line for each label threshold given that <paramref name="rule"/> does not read: the finish-rate ones under other
    /// labels, the rating ones likewise (play-time and implicit read none).
    /// </summary>
    public IEnumerable<string> IgnoredThresholdWarnings(ParseResult parsed, LabelRule rule)
    {
        var thresholds = new (Option Threshold, LabelRule Reader)[]
        {
            (FinishPositiveAbove, LabelRule.FinishRate), (FinishNegativeBelow, LabelRule.FinishRate), (RatingPositiveAtLeast, LabelRule.Rating), (RatingNegativeAtMost, LabelRule.Rating),
        };
        foreach (var (threshold, reader) in thresholds)
            if (reader != rule && parsed.GetResult(threshold) is { Implicit: false })
                yield return $"warning: {threshold.Name} applies to --labels {RuleName(reader)}; {Named(parsed, rule)} ignores it";
    }

    // The rule as the user chose it: "--labels auto (here rating)" where auto picked it from the log's columns.
    private string Named(ParseResult parsed, LabelRule rule) =>
        LabelFlag(parsed, Labels, (text, _) => text) != AutoLabels ? $"--labels {RuleName(rule)}" : $"--labels auto (here {RuleName(rule)})";

    private static bool Has(InteractionLog log, string column) => column switch
    {
        InteractionLogSchema.PlayTime => log.PlayTimeMs is not null,
        InteractionLogSchema.Duration => log.DurationMs is not null,
        InteractionLogSchema.Rating => log.Rating is not null,
        _ => true,
    };

    public static LabelRule ResolveRule(string? name, InteractionLog log) => name switch
    {
        "finish-rate" => LabelRule.FinishRate,
        "play-time" => LabelRule.PlayTime,
        "rating" => LabelRule.Rating,
        "implicit" => LabelRule.Implicit,
        _ when Has(log, InteractionLogSchema.PlayTime) && Has(log, InteractionLogSchema.Duration) => LabelRule.FinishRate,
        _ when Has(log, InteractionLogSchema.Rating) => LabelRule.Rating,
        _ => LabelRule.PlayTime,
    };

    public static string RuleName(LabelRule rule) => rule switch
    {
        LabelRule.FinishRate => "finish-rate",
        LabelRule.PlayTime => "play-time",
        LabelRule.Rating => "rating",
        LabelRule.Implicit => "implicit",
        _ => rule.ToString(),
    };

    /// <summary>
    /// The --extra-feedback of a checkpoint's run (<see cref="TrainSettings.ExtraFeedback"/>), which D* is then marked by in place
    /// of the flag's default; null (an older checkpoint, a run no strategy trained on D*): the flag, or its default, as before.
    /// </summary>
    public string? RecordedExtraFeedback { get; private set; }

    /// <summary>
    /// Marks D* as the checkpoint's run did: its recorded --extra-feedback is taken where the flag is left out, and another one given
    /// is refused naming both (it would quietly evaluate, export or resume another D* than the run trained on).
    /// </summary>
    /// <param name="recorded">The checkpoint's <see cref="TrainSettings.ExtraFeedback"/>.</param>
    /// <param name="refusal">What a refusal starts with ("--resume: " or the checkpoint's path).</param>
    public void TakeRecordedExtraFeedback(ParseResult parsed, string? recorded, string refusal)
    {
        if (recorded is null) return;
        if (parsed.GetResult(ExtraFeedback) is { Implicit: false } && FeedbackRule.Parse(parsed.GetValue(ExtraFeedback)!, "--extra-feedback").ToString() is var given && given != recorded)
            throw new ArgumentException($"{refusal}--extra-feedback {given} contradicts the checkpoint, which was trained with --extra-feedback {recorded}: " +
                "leave the flag out to take the checkpoint's, or give that one");
        RecordedExtraFeedback = recorded;
    }

    /// <summary>
    /// The label flags of a checkpoint's run (<see cref="TrainSettings.LabelFlags"/>), each taken in place of its default where the flag
    /// is left out (<see cref="TakeRecordedLabels"/>); null: none taken (a train, an older checkpoint), the flags or their defaults.
    /// </summary>
    public IReadOnlyDictionary<string, string>? RecordedLabelFlags { get; private set; }

    /// <summary>
    /// Labels the rows as the checkpoint's run did, as <see cref="TakeRecordedExtraFeedback"/> marks D*: each recorded label flag is
    /// taken where it is left out (auto would otherwise pick a rule from the log's columns that the run may not have used); one given
    /// that differs is refused naming both, by <see cref="RequireRecordedLabels"/> once the rule is known.
    /// </summary>
    public void TakeRecordedLabels(IReadOnlyDictionary<string, string>? recorded) => RecordedLabelFlags = recorded;

    /// <summary>The label flags a run records (<see cref="TrainSettings.LabelFlags"/>): --labels and its thresholds, each as given, else the checkpoint's, else its default.</summary>
    public IReadOnlyDictionary<string, string> LabelFlagsToRecord(ParseResult parsed) =>
        new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [Labels.Name] = LabelFlag(parsed, Labels, (text, _) => text),
            [FinishPositiveAbove.Name] = Text(LabelFlag(parsed, FinishPositiveAbove, double.Parse)), [FinishNegativeBelow.Name] = Text(LabelFlag(parsed, FinishNegativeBelow, double.Parse)),
            [RatingPositiveAtLeast.Name] = Text(LabelFlag(parsed, RatingPositiveAtLeast, float.Parse)), [RatingNegativeAtMost.Name] = Text(LabelFlag(parsed, RatingNegativeAtMost, float.Parse)),
        };

    // A label flag's value: as given, else the checkpoint's (written by Text, hence read back invariantly), else its default.
    private T LabelFlag<T>(ParseResult parsed, Option<T> option, Func<string, IFormatProvider, T> read) =>
        parsed.GetResult(option) is not { Implicit: false } && RecordedLabelFlags?.GetValueOrDefault(option.Name) is { } recorded
            ? read(recorded, System.Globalization.CultureInfo.InvariantCulture) : parsed.GetValue(option)!;

    private static string Text(double value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
    private static string Text(float value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Refuses a label flag that differs from the one the checkpoint's run recorded (<see cref="TrainSettings.LabelFlags"/>; none recorded:
    /// nothing to compare), naming it: the labeled rows would differ, which the data's check tells without the flag. Only the thresholds
    /// <paramref name="rule"/> reads are compared, and --labels where neither side is auto (whose rule the log's columns picked).
    /// </summary>
    public void RequireRecordedLabels(ParseResult parsed, IReadOnlyDictionary<string, string>? recorded, LabelRule rule)
    {
        if (recorded is null) return;
        Option[] thresholds = rule switch
        {
            LabelRule.FinishRate => [FinishPositiveAbove, FinishNegativeBelow],
            LabelRule.Rating => [RatingPositiveAtLeast, RatingNegativeAtMost],
            _ => [],
        };
        var given = LabelFlagsToRecord(parsed);
        foreach (var option in thresholds.Prepend(Labels))
        {
            var (flag, value) = (option.Name, given[option.Name]);
            if (!recorded.TryGetValue(flag, out var trained) || trained == value || (option == Labels && (value == AutoLabels || trained == AutoLabels))) continue;
            throw new ArgumentException($"{flag} {value}{(parsed.GetResult(option) is { Implicit: false } ? "" : " (its default)")} contradicts the checkpoint, " +
                $"which was trained with {flag} {trained}: give that one");
        }
    }

    /// <summary>
    /// The --extra-feedback a run records in its settings: the rule given, or the default, where a strategy of the run trains on
    /// D* (<see cref="Strategies.ExtraFeedbackStrategy"/>); null where none does.
    /// </summary>
    public string? ExtraFeedbackToRecord(ParseResult parsed, TrainSettings settings) =>
        Strategies.StrategyRegistry.On(settings).OfType<Strategies.ExtraFeedbackStrategy>().Any()
            ? FeedbackRule.Parse(parsed.GetValue(ExtraFeedback)!, "--extra-feedback").ToString() : null;

    /// <summary>A resumed run's recorded --test-positives (<see cref="TrainSettings.TestPositives"/>), taken where the flag is left out; null: none taken.</summary>
    public string? RecordedTestPositives { get; private set; }

    /// <summary>Ranks against the positives the checkpoint's run recorded where --test-positives is left out, as <see cref="TakeRecordedLabels"/> labels.</summary>
    public void TakeRecordedTestPositives(string? recorded) => RecordedTestPositives = recorded;

    /// <summary>
    /// The --test-positives a run with a full ranking records: as given, else the checkpoint's, else its default; null without a full
    /// ranking and for the default (truth), which a record without one reads as, so that an experiment's runs finished before the
    /// setting was recorded are still reused.
    /// </summary>
    public string? TestPositivesToRecord(ParseResult parsed, TrainSettings settings) =>
        settings.FullRankingTopK is not null && TestPositivesRule(parsed) is var rule && rule != TruthPositives ? rule : null;

    // As given, else the resumed checkpoint's, else the default; a verb without the flag (export) reads the ground truth's, as a run given none.
    private string TestPositivesRule(ParseResult parsed) => parsed.GetResult(TestPositives) switch
    {
        null => TruthPositives,
        { Implicit: false } => parsed.GetValue(TestPositives)!,
        _ => RecordedTestPositives ?? parsed.GetValue(TestPositives)!,
    };

    /// <summary>The --extra-feedback (the checkpoint's, where one was taken) and --test-positives rules (null: the ground truth's positives), parsed.</summary>
    public (FeedbackRule Extra, FeedbackRule? TestPositives) FeedbackRules(ParseResult parsed)
    {
        var extra = FeedbackRule.Parse(RecordedExtraFeedback ?? parsed.GetValue(ExtraFeedback)!, "--extra-feedback");
        RequireInRatingRange(parsed, extra, "--extra-feedback");
        var positives = TestPositivesRule(parsed);
        if (positives == TruthPositives) return (extra, null);
        // One list for every refusal: the feedback rules' own names column:NAME, which --test-positives does not take, and not truth, which it does.
        var unsupported = new ArgumentException($"--test-positives: '{positives}' is not supported; expected truth, like or rating:N{Serving.Spelling.DidYouMean(positives, [TruthPositives, "like"])}");
        FeedbackRule testRule;
        try
        {
            testRule = FeedbackRule.Parse(positives, "--test-positives");
        }
        catch (ArgumentException)
        {
            throw unsupported;
        }
        if (testRule.Source == FeedbackSource.Column) throw unsupported;
        RequireInRatingRange(parsed, testRule, "--test-positives");
        return (extra, testRule);
    }

    /// <summary>An --extra-feedback given explicitly, or a checkpoint's, must find its column; the default (like) may be absent until a strategy needs it.</summary>
    public void RequireExtraColumn(ParseResult parsed, FeedbackOptions options, InteractionLog log)
    {
        if ((parsed.GetResult(ExtraFeedback) is { Implicit: false } || RecordedExtraFeedback is not null) && options.Mark(log, options.Extra) is null)
            throw new DataException($"{parsed.GetValue(Data)}: --extra-feedback {options.Extra} names a missing column '{options.Extra.Column}'");
    }
}
