using System.CommandLine;
using System.CommandLine.Parsing;

namespace InverseLearning.Training.Cli;

/// <summary>
/// The command line as a whole: the root command with every verb, and parse errors (an
/// unknown flag, "1e8" for a whole number, a missing required option) turned into one line
/// on stderr and exit code 1, instead of System.CommandLine's error list and help text.
/// </summary>
public static class CliApp
{
    public static RootCommand Build()
    {
        var root = new RootCommand("InverseLearning: train recommenders from sparse, noisy watch feedback with Inverse Learning.");
        foreach (var verb in Verbs.All())
            root.Subcommands.Add(verb);
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CancellationToken cancel = default)
    {
        // serve's arguments are the serving host's, which its own parser reads, as inverselearning-serve's: untouched by this one.
        if (args is [ServeCommand.Verb, .. var hostArguments]) return await ServeCommand.RunAsync(hostArguments, cancel);
        var parse = Build().Parse(args, Configuration);
        if ((FlagTakenAsValue(parse, args) ?? FlagWithoutValue(parse) ?? FlagGivenTwice(parse) ?? UnknownFlag(parse) ?? DecimalComma(parse) ?? DecimalPastRange(parse)
                ?? NoVerb(parse) ?? RequiredFlagMissing(parse)) is { } misplaced)
            return CliErrors.Fail($"{misplaced} (see --help)");
        if (parse.Errors.Count > 0)
            return CliErrors.Fail(PastFlagsRange(parse.Errors[0]) ?? $"{Describe(parse.Errors[0])} (see --help)");
        return await parse.InvokeAsync(cancellationToken: cancel);
    }

    /// <summary>
    /// No response files: with them, a value starting with <c>@</c> (<c>--data @log.parquet</c>, <c>--out @run</c>) was read as a file
    /// of arguments and spliced in (or, absent, left the flag without a value), as the serving host's own parser never does.
    /// </summary>
    private static readonly ParserConfiguration Configuration = new() { ResponseFileTokenReplacer = null };

    /// <summary>
    /// A decimal comma (<c>--lr 1,5e-3</c>, as many locales write a number) given to a flag of a decimal number: the parser reads
    /// a comma as a thousands separator, so it trained with ten or a thousand times the number meant, without a word.
    /// </summary>
    private static string? DecimalComma(ParseResult parse) => DecimalOptions(parse)
        .SelectMany(option => option.Tokens.Where(token => token.Value.Contains(',')).Select(token =>
            $"{option.Option.Name} takes a number with a point before its decimals (0.25), got '{Shorten(token.Value)}': a comma is no decimal point here"))
        .FirstOrDefault();

    /// <summary>
    /// A number past a double's range (<c>--lr 1e400</c>), which the parser reads as infinity: refused as the number given, where each
    /// flag's own check told it as "got Infinity", a word the user never wrote. Infinity and NaN written as words are the flags' own checks'.
    /// </summary>
    private static string? DecimalPastRange(ParseResult parse) => DecimalOptions(parse)
        .Where(option => ValueTypeOf(option) == typeof(double))
        .SelectMany(option => option.Tokens.Where(token => IsPastDoubleRange(token.Value)).Select(token =>
            $"{option.Option.Name} takes a finite number (a double: from -1.8e308 to 1.8e308), got {Shorten(token.Value)}"))
        .FirstOrDefault();

    private static bool IsPastDoubleRange(string text) =>
        double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
        && double.IsInfinity(value) && text.Any(char.IsAsciiDigit);

    private static IEnumerable<OptionResult> DecimalOptions(ParseResult parse) => parse.CommandResult.Children.OfType<OptionResult>()
        .Where(option => ValueTypeOf(option) is var type && (type == typeof(double) || type == typeof(float)));

    /// <summary>The type of value an option takes, a nullable one's underlying type (an option left out is null).</summary>
    private static Type ValueTypeOf(OptionResult option) => Nullable.GetUnderlyingType(option.Option.ValueType) ?? option.Option.ValueType;

    /// <summary>
    /// A number past int's range given to a flag that declares its range, refused in the words its own check refuses a number within
    /// int's range with (`--epochs must be from 1 to 100,000, got 0`): one check, one wording, and the range said, --help adds nothing.
    /// Null for any other error.
    /// </summary>
    private static string? PastFlagsRange(ParseError error) =>
        OptionOf(error) is { Tokens: [.., var token] } option && ValueTypeOf(option) == typeof(int)
        && !int.TryParse(token.Value, System.Globalization.CultureInfo.InvariantCulture, out _)
        && System.Numerics.BigInteger.TryParse(token.Value, System.Globalization.CultureInfo.InvariantCulture, out var given)
            ? FlagRange.Refusal(option.Option, Shorten(given.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))
            : null;

    private static OptionResult? OptionOf(ParseError error) => error.SymbolResult switch
    {
        OptionResult o => o,
        ArgumentResult { Parent: OptionResult o } => o,
        _ => null,
    };

    /// <summary>
    /// A flag given no value takes the next flag as its value (`--out --method ns`), and the parser then blames what follows
    /// ("Unrecognized command or argument 'ns'"): the flag that lacks its value is named instead. One written with an empty value
    /// (`--rce-beta= --out x`) is told so: its value was given, as nothing, and not left out.
    /// </summary>
    private static string? FlagTakenAsValue(ParseResult parse, string[] args)
    {
        var flags = parse.CommandResult.Command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)).ToHashSet(StringComparer.Ordinal);
        return parse.CommandResult.Children.OfType<OptionResult>()
            .SelectMany(o => o.Tokens.Where(t => flags.Contains(t.Value)).Select(t => o.Option.Aliases.Prepend(o.Option.Name).Any(name => args.Contains(name + "="))
                ? $"{o.Option.Name}= gives an empty value: write {o.Option.Name}=VALUE or {o.Option.Name} VALUE"
                : $"{o.Option.Name} needs a value, and took the flag {t.Value} as it"))
            .FirstOrDefault();
    }

    /// <summary>
    /// A flag given more often than values follow it: last on the line (`--out`, `--out=`), or given again last (`--epochs 1 --epochs`),
    /// which the parser lets pass, keeping the value given first.
    /// </summary>
    private static string? FlagWithoutValue(ParseResult parse) =>
        parse.CommandResult.Children.OfType<OptionResult>()
            .Where(o => o.Option.Arity.MinimumNumberOfValues > 0 && o.IdentifierTokenCount > o.Tokens.Count)
            .Select(o => $"{o.Option.Name} needs a value")
            .FirstOrDefault();

    /// <summary>
    /// A flag of one value given more than once (`--tce-max-drop 0.1 --tce-max-drop 0.3`): the parser said "Option '--tce-max-drop'
    /// expects a single argument but 2 were provided", naming neither value; both are named, so the one meant can be kept.
    /// </summary>
    private static string? FlagGivenTwice(ParseResult parse) =>
        parse.CommandResult.Children.OfType<OptionResult>()
            .Where(o => o.Option.Arity.MaximumNumberOfValues == 1 && o.Tokens.Count > 1)
            .Select(o => $"{o.Option.Name} is given {(o.Tokens.Count == 2 ? "twice" : $"{o.Tokens.Count} times")} " +
                $"({string.Join(", then ", o.Tokens.Select(t => Shorten(Data.TerminalText.Safe(t.Value))))}); give it once")
            .FirstOrDefault();

    /// <summary>
    /// A flag the verb does not have (`experiment --method ns`, `train --methods ns`), or a word no flag took: the parser says only
    /// "Unrecognized command or argument"; this names the verb and the flag it most likely meant. One after `--` is an operand, whatever its name.
    /// </summary>
    private static string? UnknownFlag(ParseResult parse)
    {
        // A word no verb or flag took (`inverselearning trian`, `train … extra`): the parser's "Unrecognized command or argument 'extra'."
        // named no verb and no remedy.
        if (parse.CommandResult.Command is RootCommand root && parse.UnmatchedTokens.FirstOrDefault() is { } notVerb)
        {
            var verbs = VisibleVerbs(root);
            return $"no verb '{Shorten(Data.TerminalText.Safe(notVerb))}': expected one of {string.Join(", ", verbs)}{Serving.Spelling.DidYouMean(notVerb, verbs)}";
        }
        var token = parse.UnmatchedTokens.FirstOrDefault(token => token.StartsWith("--", StringComparison.Ordinal) || IsSingleDashFlag(token));
        if (token is null)
            return parse.UnmatchedTokens.FirstOrDefault() is { } stray
                ? $"{parse.CommandResult.Command.Name} takes no argument '{Shorten(Data.TerminalText.Safe(stray))}': each value follows its flag (--out DIR)" : null;
        var flag = token.Split('=', 2)[0];
        if (parse.Tokens.SkipWhile(t => t.Type != TokenType.DoubleDash).Skip(1).Any(t => t.Value == token))
            return $"{flag} after `--` is taken as an argument, not a flag; remove the `--`";
        var command = parse.CommandResult.Command;
        var flags = command.Options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name)).Where(name => name.StartsWith("--", StringComparison.Ordinal));
        // One dash for two (`-epochs`, `-l`): compared with the flags as the two-dash name it most likely was.
        return $"{command.Name} has no flag {flag}{Serving.Spelling.DidYouMean(flag.StartsWith("--", StringComparison.Ordinal) ? flag : "-" + flag, flags)}";
    }

    /// <summary>No verb at all (a bare <c>inverselearning</c>): the parser's "Required command was not provided." named none to give.</summary>
    private static string? NoVerb(ParseResult parse) =>
        parse.CommandResult.Command is RootCommand root && parse.Errors.Count > 0 ? $"give a verb: one of {string.Join(", ", VisibleVerbs(root))}" : null;

    /// <summary>A flag the verb needs, not given (<c>train</c> without <c>--data</c>): the parser's "Option '--data' is required." named no verb.</summary>
    private static string? RequiredFlagMissing(ParseResult parse)
    {
        // Only among the parser's errors: --help asks for no flag.
        if (parse.Errors.Count == 0) return null;
        var command = parse.CommandResult.Command;
        var missing = command.Options.Where(option => option.Required && parse.GetResult(option) is not { IdentifierTokenCount: > 0 }).Select(option => option.Name).ToList();
        return missing.Count == 0 ? null : $"{command.Name} needs {string.Join(" and ", missing)}";
    }

    private static List<string> VisibleVerbs(RootCommand root) => [.. root.Subcommands.Where(verb => !verb.Hidden).Select(verb => verb.Name)];

    /// <summary>
    /// A token of one dash and a letter or word (`-epochs`, `-e`), not a number (`-1`): a flag given one dash short, or a short flag.
    /// No verb has a one-letter flag but help's (`-h`, `-?`), which the parser matches, so one left unmatched is unknown as well.
    /// </summary>
    private static bool IsSingleDashFlag(string token) => token.Length > 1 && token[0] == '-' && char.IsLetter(token[1]);

    /// <summary>A parse error in one line, naming the flag and the type of value it takes where the value did not convert.</summary>
    public static string Describe(ParseError error)
    {
        var option = OptionOf(error);
        // Some messages list the accepted values one per line: keep them on the one line.
        var message = string.Join(" ", error.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        if (option is null) return message;
        var name = option.Option.Name;
        if (!message.Contains(name)) message = $"{name}: {message}";
        if (option.Tokens.Count == 0) return message;
        var given = option.Tokens[^1].Value;
        var type = ValueTypeOf(option);
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        return type switch
        {
            // A number past int's range is told the flag's own range where it declares one, else int's; anything else, that a whole number was expected.
            _ when type == typeof(int) && !int.TryParse(given, invariant, out _) => System.Numerics.BigInteger.TryParse(given, invariant, out _)
                ? PastFlagsRange(error) ?? $"{name} takes a whole number from {int.MinValue:N0} to {int.MaxValue:N0}, got '{Shorten(given)}'"
                : NotWholeNumber(name, given),
            _ when type == typeof(long) && !long.TryParse(given, invariant, out _) => NotWholeNumber(name, given),
            // A flag read by its own parser (a plugin's whole-number option) words its own refusal.
            _ when (type == typeof(double) || type == typeof(float)) && !double.TryParse(given, invariant, out _) && option.Option is not Option<double> { CustomParser: not null } =>
                $"{name} takes a number, got '{Shorten(given)}'",
            // A value outside a fixed set (AcceptOnlyFromAmong, which is also the flag's completions): the parser lists the set but suggests none.
            _ when type == typeof(string) && Accepted(option.Option) is { Count: > 0 } accepted && !accepted.Contains(given) =>
                $"{name} takes {OneOf(accepted)}, got '{Shorten(given)}'{Serving.Spelling.DidYouMean(given, accepted)}",
            _ => message,
        };
    }

    /// <summary>The refusal of a value that is not a whole number (1e3, 2.5), for every flag that takes one.</summary>
    public static string NotWholeNumber(string name, string given) => $"{name} takes a whole number, got '{Shorten(given)}'";

    private static List<string> Accepted(Option option) =>
        [.. option.GetCompletions(System.CommandLine.Completions.CompletionContext.Empty).Select(completion => completion.Label)];

    private static string OneOf(IReadOnlyList<string> values) => values.Count == 1 ? values[0] : $"{string.Join(", ", values.Take(values.Count - 1))} or {values[^1]}";

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
