using System.CommandLine;
using InverseLearning.Data;

namespace InverseLearning.Training.Cli;

/// <summary>
/// `--split random|time|hash` with `--valid-days N --test-days M`, for the verbs that choose a split
/// (train, experiment, inspect); eval and export take the split the checkpoint records.
/// </summary>
public sealed class TimeSplitOptions
{
    public const string Random = "random", Time = "time", Hash = "hash";

    public Option<string> Split { get; } = SplitOption();
    public Option<int> ValidDays { get; } = new Option<int>("--valid-days")
    { Description = "with --split time: the days before the test days held out for validation", DefaultValueFactory = _ => 1 }.Within(1, int.MaxValue);
    public Option<int> TestDays { get; } = new Option<int>("--test-days")
    { Description = "with --split time: the log's last days held out for test", DefaultValueFactory = _ => 1 }.Within(1, int.MaxValue);

    private static Option<string> SplitOption()
    {
        var option = new Option<string>("--split")
        {
            Description = "random: the log's split column when it has one, else a seeded random 60/20/20 of the labeled rows; " +
                "time: the last --test-days days are test, the --valid-days before them valid, the earlier days train (days from a day= partition, else the timestamp's UTC day); " +
                "hash: each labeled row's split a hash of (user, item, seed), 60/20/20 in expectation (what --stream uses)",
            DefaultValueFactory = _ => Random,
        };
        option.AcceptOnlyFromAmong(Random, Time, Hash);
        return option;
    }

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Split, ValidDays, TestDays }) command.Options.Add(option);
    }

    /// <summary><paramref name="settings"/> with the split asked for: by time, by hash, or neither (random or the log's split column).</summary>
    public TrainSettings Apply(ParseResult parse, TrainSettings settings) =>
        settings with { TimeSplit = Read(parse), HashSplit = ByHash(parse) };

    /// <summary>Whether --split hash was asked for.</summary>
    public bool ByHash(ParseResult parse) => parse.GetValue(Split) == Hash;

    /// <summary>The split a resumed run continues on: the checkpoint's (<see cref="ForResume(ParseResult, TimeSplit?, bool)"/>).</summary>
    public TrainSettings ApplyForResume(ParseResult parse, TrainSettings settings, TrainSettings saved) =>
        settings with { TimeSplit = ForResume(parse, saved.TimeSplit, saved.HashSplit), HashSplit = saved.HashSplit };

    /// <summary>The split by time asked for, or null for --split random or hash; day counts without --split time are refused.</summary>
    public TimeSplit? Read(ParseResult parse)
    {
        if (parse.GetValue(Split) != Time)
        {
            foreach (var days in new[] { ValidDays, TestDays })
                if (parse.GetResult(days) is { Implicit: false })
                    throw new ArgumentException($"{days.Name} applies to --split time only; add --split time or leave {days.Name} out");
            return null;
        }
        var split = new TimeSplit(parse.GetValue(ValidDays), parse.GetValue(TestDays));
        split.Validate();
        return split;
    }

    /// <summary>The split a resumed run continues on: the checkpoint's; a split flag given that says otherwise is refused, naming it.</summary>
    public TimeSplit? ForResume(ParseResult parse, TimeSplit? saved, bool savedByHash = false)
    {
        Read(parse);
        void Check(Option option, object given, object? recorded)
        {
            if (parse.GetResult(option) is { Implicit: false } && !Equals(given, recorded))
                throw new ArgumentException($"--resume: {option.Name} {given} contradicts the checkpoint, which was trained with {Describe(saved, savedByHash)}");
        }
        Check(Split, parse.GetValue(Split)!, saved is not null ? Time : savedByHash ? Hash : Random);
        Check(ValidDays, parse.GetValue(ValidDays), saved?.ValidDays);
        Check(TestDays, parse.GetValue(TestDays), saved?.TestDays);
        return saved;
    }

    private static string Describe(TimeSplit? split, bool byHash) => split?.ToString() ?? $"--split {(byHash ? Hash : Random)}";
}
