using System.CommandLine;
using System.CommandLine.Parsing;
using InverseLearning.Data;
using InverseLearning.Training.Cli;
using InverseLearning.Training.Evaluation;
using InverseLearning.Training.Tests.Reports;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>What the command line refuses up front, and that it says so in one line naming the flag, file or counts.</summary>
[Collection("Console")]
public class RefusalTests(CliFixture files)
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);

    private static string OneErrorLine(params string[] args)
    {
        var (code, _, error) = CliRunner.Run(Budget, args);
        Assert.Equal(1, code);
        Assert.DoesNotContain("   at ", error);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Single(lines, l => l.StartsWith("error:"));
        Assert.StartsWith("error:", lines[^1]);
        return lines[^1];
    }

    [Theory]
    [InlineData("--dim", "2000000000", "--dim must be from 1 to 65,536, got 2,000,000,000")]
    [InlineData("--dim", "0", "--dim must be from 1 to 65,536, got 0")]
    [InlineData("--epochs", "2000000000", "--epochs must be from 1 to 100,000")]
    // A plugin's whole-number option is worded as the core flags are, its numbers with thousands separators (it said "an integer in [1, 100000]").
    [InlineData("--dns-candidates", "1000000000", "--dns-candidates must be a whole number from 1 to 100,000, got 1,000,000,000")]
    [InlineData("--srns-memory", "1000000000", "--srns-memory must be a whole number from 1 to 10,000, got 1,000,000,000")]
    [InlineData("--srns-window", "1000000000", "--srns-window must be a whole number from 1 to 1,000, got 1,000,000,000")]
    [InlineData("--tce-warmup", "0", "--tce-warmup must be a whole number from 1 to 1,000,000,000,000, got 0")]
    [InlineData("--layers", "31", "--layers must be a whole number from 1 to 15, got 31")]
    [InlineData("--layers", "16", "--layers must be a whole number from 1 to 15, got 16")]   // was told [1, 16], and then that 16 is too wide for any --dim
    [InlineData("--ng", "2000000000", "--ng must be from 0 to 1,000")]
    [InlineData("--threads", "100000", "--threads must be from 1 to 1,024")]
    [InlineData("--lr", "Infinity", "--lr must be a finite number")]
    [InlineData("--store", "gpu", "--store: unknown store 'gpu', expected auto, host or device")]
    [InlineData("--init", "xavier", "--init: unknown initialisation 'xavier', expected ncf or torch")]
    // A near miss is told what it likely meant, as methods and models were; these said only what was expected.
    [InlineData("--device", "CUDA", "--device: unknown device 'CUDA', expected cpu or cuda; did you mean cuda?")]
    [InlineData("--device", "gpu", "--device: unknown device 'gpu', expected cpu or cuda; did you mean cuda?")]
    [InlineData("--device", "GPU", "--device: unknown device 'GPU', expected cpu or cuda; did you mean cuda?")]   // as gpu: cpu is as near in any case
    [InlineData("--optimizer", "Adam", "--optimizer: unknown optimizer 'Adam', expected adam or sgd; did you mean adam?")]
    [InlineData("--init", "Torch", "--init: unknown initialisation 'Torch', expected ncf or torch; did you mean torch?")]
    [InlineData("--valid-positives", "Truth", "--valid-positives: 'Truth' is not supported; expected labels, truth, like or rating:N; did you mean truth?")]
    [InlineData("--store", "hots", "--store: unknown store 'hots', expected auto, host or device; did you mean host?")]
    [InlineData("--rce-beta", "NaN", "--rce-beta must be in [0, 100], got NaN")]
    [InlineData("--dim", "1e8", "--dim takes a whole number")]
    [InlineData("--epochs", "abc", "--epochs takes a whole number, got 'abc'")]
    [InlineData("--epochs", "99999999999", "--epochs must be from 1 to 100,000, got 99,999,999,999")]   // was int's range, which --epochs does not take either
    [InlineData("--ng", "-99999999999", "--ng must be from 0 to 1,000, got -99,999,999,999")]
    [InlineData("--batch-size", "99999999999999999999999", "--batch-size must be from 1 to 16,777,216, got 99,999,999,999,999,999,999,999")]   // past long's range too
    [InlineData("--seed", "99999999999", "--seed takes a whole number from -2,147,483,648 to 2,147,483,647, got '99999999999'")]   // any int is a seed
    // A plugin's whole-number option refuses what --dim refuses, in its words: 1e9 was read as 1000000000 and refused by range, 1e3 as 1000 and taken.
    [InlineData("--srns-window", "1e9", "--srns-window takes a whole number, got '1e9'")]
    [InlineData("--lightgcn-layers", "1e0", "--lightgcn-layers takes a whole number, got '1e0'")]
    [InlineData("--layers", "2.5", "--layers takes a whole number, got '2.5'")]
    [InlineData("--tce-warmup", "abc", "--tce-warmup takes a whole number, got 'abc'")]
    [InlineData("--lr", "fast", "--lr takes a number, got 'fast'")]
    [InlineData("--labels", "stars", "--labels takes auto, finish-rate, implicit, play-time or rating, got 'stars'")]
    [InlineData("--max-memory", "lots", "--max-memory: expected a size of at least 1M such as 8G or 500M, got 'lots'")]
    [InlineData("--max-memory", "-5G", "--max-memory: expected a size")]
    public void An_out_of_range_flag_is_refused_naming_it(string flag, string value, string expected) =>
        Assert.Contains(expected, OneErrorLine("train", "--data", files.Log, "--out", files.Scratch("refused"), flag, value));

    [Theory]
    [InlineData("experiment", "--repeats", "--repeats must be from 1 to 1,000")]
    [InlineData("experiment", "--jobs", "--jobs must be from 1 to 64")]
    [InlineData("datagen", "--users", "--users must be from 1 to 10,000,000")]
    [InlineData("datagen", "--impressions", "--impressions must be from 1 to 2,000,000,000")]   // the bound the simulator's own check names
    [InlineData("train", "--shuffle-buffer", "--shuffle-buffer must be from 1 to 268,435,456")]
    [InlineData("train", "--workers", "--workers must be from 1 to 256")]
    [InlineData("train", "--worker-timeout", "--worker-timeout must be from 2 to 86,400")]
    public void A_number_past_ints_range_is_told_the_flags_own_range(string verb, string flag, string expected) =>
        Assert.Equal($"error: {expected}, got 99,999,999,999",
            OneErrorLine([verb, .. verb == "datagen" ? [] : new[] { "--data", files.Log }, "--out", files.Scratch("refused"), flag, "99999999999"]));

    [Fact]
    public void A_flag_given_twice_is_told_as_such_not_as_out_of_its_range()
    {
        // Both numbers within int's range: only one past it is the flag's range's to tell.
        Assert.Equal("error: --epochs is given twice (3, then 4); give it once (see --help)",
            OneErrorLine("train", "--data", files.Log, "--out", files.Scratch("refused"), "--epochs", "3", "--epochs", "4"));
    }

    [Fact]
    public void No_whole_number_flag_of_any_verb_is_told_ints_range()
    {
        static Type Underlying(Type type) => Nullable.GetUnderlyingType(type) ?? type;
        static bool Names(ParseError error, Option option) => error.SymbolResult switch
        {
            OptionResult o => o.Option == option,
            ArgumentResult { Parent: OptionResult o } => o.Option == option,
            _ => false,
        };
        var root = CliApp.Build();
        var wholeNumbers = root.Subcommands.SelectMany(verb => verb.Options.Select(option => (verb, option)))
            .Where(flag => Underlying(flag.option.ValueType) == typeof(int) || Underlying(flag.option.ValueType) == typeof(long))
            .ToList();
        Assert.Contains(wholeNumbers, flag => flag.option.Name == "--silos");   // the walk does reach every verb's flags
        var toldInts = wholeNumbers
            .Where(flag => flag.option.Name != "--seed")   // any int is a seed: int's range is the flag's own
            .Select(flag => (flag, said: CliApp.Describe(root.Parse([flag.verb.Name, flag.option.Name, "99999999999"]).Errors.First(e => Names(e, flag.option)))))
            .Where(told => !told.said.StartsWith($"{told.flag.option.Name} must be from ", StringComparison.Ordinal))
            .Select(told => $"{told.flag.verb.Name}: {told.said}");
        Assert.Empty(toldInts);
    }

    [Fact]
    public void A_decimal_comma_is_refused_by_every_flag_of_a_decimal_number()
    {
        // '--lr 1,5e-3' trained at 0.015 and '--rce-beta 0,25' at 25: the parser read the comma as a thousands separator.
        static Type Underlying(Type type) => Nullable.GetUnderlyingType(type) ?? type;
        var decimals = CliApp.Build().Subcommands.SelectMany(verb => verb.Options.Select(option => (verb: verb.Name, flag: option.Name, type: Underlying(option.ValueType))))
            .Where(flag => flag.type == typeof(double) || flag.type == typeof(float))
            .ToList();
        Assert.Contains(decimals, flag => flag.flag == "--rce-beta");   // a plugin's, read by its own parser
        Assert.Contains(decimals, flag => flag.flag == "--lr");
        foreach (var (verb, flag, _) in decimals)
            Assert.Equal($"error: {flag} takes a number with a point before its decimals (0.25), got '0,5': a comma is no decimal point here (see --help)",
                OneErrorLine(verb, flag, "0,5"));
    }

    [Fact]
    public void A_value_starting_with_an_at_sign_is_a_value_not_a_file_of_arguments()
    {
        // With response files, '--data @FILE' spliced FILE's words in as arguments ('--lr 0.5' here), or took the next flag as its value.
        using var folder = new TempFolder();
        var arguments = folder.File("arguments");
        File.WriteAllText(arguments, "--lr 0.5");

        var said = OneErrorLine("train", "--data", "@" + arguments, "--out", folder.File("run"));

        Assert.Contains("@" + arguments, said);
        Assert.DoesNotContain("--lr", said);
        Assert.DoesNotContain("needs a value", said);
    }

    [Fact]
    public void Every_whole_number_option_of_a_plugin_refuses_what_dim_refuses_in_its_words()
    {
        var root = CliApp.Build();
        var integers = TrainSettings.DeclaredOptions.Where(o => o.Integer && !o.Switch).ToList();
        Assert.Contains(integers, o => o.Flag == "lightgcn-layers");
        foreach (var verb in new[] { "train", "experiment" })
            foreach (var value in new[] { "1e1", "2.5", "3x" })
            {
                Assert.Equal($"--dim takes a whole number, got '{value}'", CliApp.Describe(root.Parse([verb, "--data", "log.parquet", "--out", "run", "--dim", value]).Errors[0]));
                foreach (var option in integers)
                {
                    var errors = root.Parse([verb, "--data", "log.parquet", "--out", "run", "--" + option.Flag, value]).Errors;
                    Assert.True(errors.Count > 0, $"{verb} --{option.Flag} {value} was taken");
                    Assert.Equal($"--{option.Flag} takes a whole number, got '{value}'", CliApp.Describe(errors[0]));
                }
            }
        // A whole number is read, and one past the option's range refused by it, naming it.
        Assert.Empty(root.Parse(["train", "--data", "log.parquet", "--out", "run", "--lightgcn-layers", "2"]).Errors);
        Assert.Empty(root.Parse(["train", "--data", "log.parquet", "--out", "run", "--tce-warmup", "99999999999"]).Errors);
    }

    [Theory]
    [InlineData("ig")] // its training-test pass: the IDL gradient over no unlabeled row would be NaN
    [InlineData("ns")]
    public void A_method_that_learns_from_unlabeled_rows_refuses_no_unlabeled_rows(string method) =>
        Assert.Contains($"method {method} learns from sampled unlabeled rows: --ng must be at least 1, got 0",
            OneErrorLine("train", "--data", files.Log, "--out", files.Scratch("refused"), "--method", method, "--ng", "0"));

    [Fact]
    public void An_experiment_checks_no_unlabeled_rows_against_its_own_methods_not_the_default_one()
    {
        // none trains on labeled rows alone: --ng 0 is its to take (it was refused as the default method ns's).
        var alone = CliRunner.Run(Budget, "experiment", "--data", files.Log, "--out", files.Scratch("experiment-ng0"), "--methods", "none", "--ng", "0",
            "--repeats", "1", "--epochs", "1", "--dim", "4", "--threads", "1");
        Assert.True(alone.Code == 0, alone.Error);
        var refused = OneErrorLine("experiment", "--data", files.Log, "--out", files.Scratch("experiment-ng0-ns"), "--methods", "none,ns", "--ng", "0", "--repeats", "1", "--epochs", "1");
        Assert.Contains("method ns learns from sampled unlabeled rows: --ng must be at least 1, got 0", refused);
        Assert.DoesNotContain("--method ", refused); // experiment's flag is --methods
    }

    [Fact]
    public void A_flag_left_without_its_value_is_named_not_the_word_after_the_next_flag()
    {
        // The parser took --method as --out's value and blamed 'ns': "Unrecognized command or argument 'ns'".
        var error = OneErrorLine("train", "--data", files.Log, "--out", "--method", "ns");
        Assert.Equal("error: --out needs a value, and took the flag --method as it (see --help)", error);
        // Given last, or as --out= with nothing after it: the parser's "Required argument missing for option: '--out'.".
        Assert.Equal("error: --out needs a value (see --help)", OneErrorLine("train", "--data", files.Log, "--out"));
        Assert.Equal("error: --epochs needs a value (see --help)", OneErrorLine("train", "--data", files.Log, "--epochs="));
        // Given as nothing after '=' before another flag: told it took that flag as its value, which the user never wrote.
        Assert.Equal("error: --rce-beta= gives an empty value: write --rce-beta=VALUE or --rce-beta VALUE (see --help)",
            OneErrorLine("train", "--data", files.Log, "--rce-beta=", "--out", files.Scratch("empty-value")));
    }

    [Fact]
    public void A_decimal_past_a_doubles_range_is_told_as_it_was_given()
    {
        // The parser reads 1e400 as infinity, and each flag's check told it "got Infinity".
        Assert.Equal("error: --lr takes a finite number (a double: from -1.8e308 to 1.8e308), got 1e400 (see --help)",
            OneErrorLine("train", "--data", files.Log, "--out", files.Scratch("huge-lr"), "--lr", "1e400"));
        Assert.Equal("error: --preference-scale takes a finite number (a double: from -1.8e308 to 1.8e308), got -1e999 (see --help)",
            OneErrorLine("datagen", "--out", files.Scratch("huge-scale.parquet"), "--preference-scale", "-1e999"));
    }

    [Fact]
    public void A_flag_given_again_last_without_a_value_is_named_not_left_at_its_first_value()
    {
        // The parser kept --epochs 1 and trained.
        Assert.Equal("error: --epochs needs a value (see --help)", OneErrorLine("train", "--data", files.Log, "--out", files.Scratch("repeated"), "--epochs", "1", "--epochs"));
        Assert.Equal("error: --out needs a value (see --help)", OneErrorLine("datagen", "--out", files.Scratch("repeated-datagen"), "--out"));
    }

    [Fact]
    public void A_flag_of_one_value_given_twice_names_both_values_in_our_words()
    {
        // The parser said "Option '--tce-max-drop' expects a single argument but 2 were provided."
        Assert.Equal("error: --tce-max-drop is given twice (0.1, then 0.3); give it once (see --help)",
            OneErrorLine("train", "--data", files.Log, "--out", files.Scratch("twice"), "--tce-max-drop", "0.1", "--tce-max-drop", "0.3"));
        Assert.Equal("error: --epochs is given 3 times (1, then 2, then 3); give it once (see --help)",
            OneErrorLine("train", "--data", files.Log, "--out", files.Scratch("thrice"), "--epochs", "1", "--epochs=2", "--epochs", "3"));
        Assert.Equal("error: --out is given twice (a.parquet, then b.parquet); give it once (see --help)",
            OneErrorLine("datagen", "--out", "a.parquet", "--out", "b.parquet"));
    }

    [Fact]
    public void A_file_name_with_an_escape_sequence_is_quoted_safe_for_the_terminal()
    {
        // ESC ] 0 ; … BEL retitles a terminal: a name that holds one is shown as \uXXXX.
        var named = files.Scratch("bad\u001b]0;T\u0007.csv");
        File.WriteAllText(named, "1,2,3,4\nnot,a,rating\n");
        var error = OneErrorLine("import-ratings", "--input", named, "--out", files.Scratch("import-escape"));
        Assert.Contains("bad\\u001B]0;T\\u0007.csv", error);
        Assert.DoesNotContain('\u001b', error);
        Assert.DoesNotContain('\u0007', error);
        // A newline in a name is escaped too, not where the line is cut (the reason after it was lost).
        var broken = files.Scratch("nl\nname.parquet");
        Assert.Equal($"error: {broken.Replace("\n", "\\u000A")}: file not found", OneErrorLine("inspect", "--data", broken));
    }

    [Fact]
    public void A_link_to_nothing_given_as_an_input_file_is_named_with_where_it_leads()
    {
        // It was .NET's "Could not find file '…'" (import-ratings) or "not a readable Parquet file (Could not find file …)".
        var link = files.Scratch("dangling-input");
        var target = files.Scratch("moved-away");
        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        File.CreateSymbolicLink(link, target);
        var expected = $"error: {link}: is a link to {target}, which does not exist";
        Assert.Equal(expected, OneErrorLine("import-ratings", "--input", link, "--out", files.Scratch("import-dangling")));
        Assert.Equal(expected, OneErrorLine("import-ratings", "--input", "train=" + link, "--out", files.Scratch("import-dangling")));
        Assert.Equal(expected, OneErrorLine("train", "--data", link, "--out", files.Scratch("train-dangling")));
        Assert.Equal(expected, OneErrorLine("inspect", "--data", link));
    }

    [Theory]
    [InlineData("--methods", "ns,,idl", "--methods: 'ns,,idl' has an empty entry")]
    [InlineData("--methods", "ns,ns", "--methods: ns is given twice in 'ns,ns'")]
    [InlineData("--models", "gmf,", "--models: 'gmf,' has an empty entry")]
    [InlineData("--lr-ratio", "1,,10", "--lr-ratio: '1,,10' has an empty entry")]
    [InlineData("--lr-ratio", "10,1e1", "--lr-ratio: 10 is given twice in '10,1e1'")]
    public void An_experiment_list_with_an_empty_or_repeated_entry_is_refused_naming_the_flag(string flag, string value, string expected) =>
        Assert.Contains(expected, OneErrorLine("experiment", "--data", Path.Combine(files.Root, "not-there.parquet"), flag, value));

    [Fact]
    public void A_learning_rate_ratio_that_puts_igs_step_out_of_range_is_refused_naming_the_ratio() =>
        Assert.Contains("--lr-ratio 1E+09: IG's η_s would be 1E+09 × --lr 0.0001 = 100000, outside the [1E-12, 1000] IG takes",
            OneErrorLine("experiment", "--data", Path.Combine(files.Root, "not-there.parquet"), "--out", files.Scratch("ratio"), "--lr", "1e-4", "--lr-ratio", "1,1e9"));

    [Fact]
    public void A_learning_rate_ratio_refused_for_the_presets_learning_rate_says_the_rate_is_the_presets() =>
        Assert.Contains("--lr-ratio 1E+09: IG's η_s would be 1E+09 × --lr (--protocol denoisingrec's) 0.001 = 1E+06, outside",
            OneErrorLine("experiment", "--data", Path.Combine(files.Root, "not-there.parquet"), "--out", files.Scratch("ratio-preset"), "--protocol", "denoisingrec", "--lr-ratio", "1,1e9"));

    /// <summary>Past its ceiling a limit guards nothing (a million ONNX Runtime threads never even listened, growing ~45 MB/s): refused before the server starts.</summary>
    [Theory]
    [InlineData("--threads", "1000000", "--threads (Ranking:IntraOpThreads) must be from 1 to 1,024 (got 1,000,000)")]
    [InlineData("--max-candidates", "2000000000", "--max-candidates (Ranking:MaxCandidates) must be from 1 to 1,000,000 (got 2,000,000,000)")]
    [InlineData("--max-top-k", "2000000000", "--max-top-k (Ranking:MaxTopK) must be from 1 to 100,000 (got 2,000,000,000)")]
    [InlineData("--max-concurrent-calls", "2000000000", "--max-concurrent-calls (Ranking:MaxConcurrentCalls) must be from 1 to 100,000 (got 2,000,000,000)")]
    [InlineData("--max-batch-rows", "2000000000", "--max-batch-rows (Ranking:MaxBatchRows) must be from 1 to 1,000,000 (got 2,000,000,000)")]
    [InlineData("--max-request-bytes", "2147483647", "--max-request-bytes (Ranking:MaxRequestBytes) must be from 1 to 67,108,864 (got 2,147,483,647)")]
    [InlineData("--max-queued-requests", "2000000000", "--max-queued-requests (Ranking:MaxQueuedRequests) must be from 1 to 1,000,000 (got 2,000,000,000)")]
    [InlineData("--max-stream-in-flight", "0", "--max-stream-in-flight (Ranking:MaxStreamInFlight) must be from 1 to 1,000 (got 0)")]
    // Not a number, it names its key as a value out of range does.
    [InlineData("--max-connections", "abc", "--max-connections (Ranking:MaxConnections) takes a whole number, got 'abc'")]
    public void Serve_refuses_a_limit_outside_its_range_naming_the_flag(string flag, string value, string expected) =>
        Assert.Contains(expected, OneErrorLine("serve", "--model", files.Model, "--port", "0", "--metrics-port", "-1", flag, value));

    [Fact]
    public void The_mlp_tower_width_is_checked_before_it_overflows()
    {
        var error = OneErrorLine("train", "--data", files.Log, "--model", "neumf", "--layers", "12", "--dim", "4096");
        Assert.Contains("--dim × 2^(--layers − 1), the width of neumf's MLP tower, must be at most 16,384, got 4096 × 2^11 = 8,388,608", error);
        // GMF has no tower: the same flags are no error for it (the run is refused for memory instead).
        Assert.Contains("needs about", OneErrorLine("train", "--data", files.Log, "--model", "gmf", "--layers", "12", "--dim", "4096", "--max-memory", "300M"));
    }

    [Fact]
    public void An_impossible_run_is_refused_before_the_log_is_read()
    {
        var error = OneErrorLine("train", "--data", Path.Combine(files.Root, "not-there.parquet"), "--dim", "65536", "--max-memory", "1G");
        Assert.Contains("this run needs about", error);
        Assert.Contains("more than --max-memory 1 GiB", error);
        Assert.Contains("step activations", error);
        // Raised to this need, the budget is checked again once the log is read: the refusal says its need is a lower bound.
        Assert.EndsWith("raise --max-memory (this need is a lower bound, counted before the log is read: the log's users, items and rows add to it once it is)", error);
    }

    [Fact]
    public void A_run_too_large_for_the_log_is_refused_once_its_users_are_known()
    {
        string[] args = ["train", "--data", files.Log, "--out", files.Scratch("srns"), "--method", "srns", "--srns-memory", "10000", "--srns-window", "1000", "--max-memory", "1G"];
        var (_, _, error) = CliRunner.Run(Budget, args);
        Assert.Contains("labels: finish-rate", error);   // the log was read: this is the second check
        Assert.DoesNotContain("lower bound", error);
        Assert.Contains("SRNS memory and score history", OneErrorLine(args));
    }

    [Fact]
    public void The_machine_budget_is_positive_and_a_flag_overrides_it()
    {
        Assert.True(MemoryBudget.Machine().Bytes > 1 << 20);
        Assert.Equal(8.0 * (1L << 30), MemoryBudget.Parse("8G").Bytes);
        Assert.Equal(500.0 * (1 << 20), MemoryBudget.Parse("500M").Bytes);
        Assert.Equal(1.5 * (1L << 30), MemoryBudget.Parse("1.5GiB").Bytes);
        Assert.Throws<ArgumentException>(() => MemoryBudget.Parse("NaN"));
        Assert.Throws<ArgumentException>(() => MemoryBudget.Parse(""));
        Assert.Throws<ArgumentException>(() => MemoryBudget.Parse("100K"));
    }

    [Theory]
    [InlineData("--out", "--keep-versions", "2", "--keep-versions needs --repository")]
    [InlineData("--out", "--triton-name", "ranker", "--triton-name needs --triton")]
    [InlineData("--repository", "--triton-max-batch", "8", "--triton-max-batch needs --triton")]
    // With no target at all: it was told to give one of --out, --repository and --triton, not the one the flag needs.
    [InlineData(null, "--keep-versions", "2", "--keep-versions needs --repository")]
    [InlineData(null, "--triton-name", "ranker", "--triton-name needs --triton")]
    [InlineData(null, "--triton-max-batch", "8", "--triton-max-batch needs --triton")]
    public void An_export_flag_for_another_target_is_refused_naming_the_target_it_needs(string? target, string flag, string value, string expected) =>
        Assert.Equal($"error: {expected}", OneErrorLine(["export", "--checkpoint", files.Checkpoint, "--data", files.Log,
            .. target is null ? [] : new[] { target, files.Scratch("export-" + flag) }, flag, value]));

    [Theory]
    [InlineData("0", "0")]
    [InlineData("99999999999", "99,999,999,999")]   // past int's range, refused by the parser: it said got '99999999999' (see --help)
    public void A_triton_batch_out_of_range_is_told_in_one_wording_whoever_refuses_it(string value, string told) =>
        Assert.Equal($"error: --triton-max-batch must be from 1 to 1,000,000, got {told}",
            OneErrorLine("export", "--checkpoint", files.Checkpoint, "--data", files.Log, "--triton", files.Scratch("triton-batch-" + value), "--triton-max-batch", value));

    /// <summary>--silos 0 was told "--silos: 0, expected 1 to 64", a number past int's range "--silos must be from 1 to 64".</summary>
    [Theory]
    [InlineData("0", "0")]
    [InlineData("65", "65")]   // over the most, inside int's range: the command's own check, not the parser's
    [InlineData("99999999999", "99,999,999,999")]
    public void Silos_out_of_range_are_told_in_one_wording_whoever_refuses_them(string value, string told) =>
        Assert.Equal($"error: --silos must be from 1 to 64, got {told}", OneErrorLine("cluster", "--silos", value, "--state", files.Scratch("silos-" + value)));

    /// <summary>--keep-versions -1 was told "must be ≥ 0 (got -1)", a number past int's range "must be from 0 to 2,147,483,647".</summary>
    [Theory]
    [InlineData("-1", "-1")]
    [InlineData("-99999999999", "-99,999,999,999")]
    public void Keep_versions_out_of_range_is_told_in_one_wording_whoever_refuses_it(string value, string told) =>
        Assert.Equal($"error: --keep-versions must be from 0 to 2,147,483,647, got {told}",
            OneErrorLine("export", "--checkpoint", files.Checkpoint, "--data", files.Log, "--repository", files.Scratch("keep-" + value), "--keep-versions", value));

    [Theory]
    [InlineData("..")]
    [InlineData("../escape")]
    [InlineData(".hidden")]
    public void A_triton_name_refused_leaves_no_folder_of_the_triton_repository_behind(string name)
    {
        // The folders of --triton were made before a name starting with '.' was checked, and left there empty.
        var root = files.Scratch("triton-name-" + name.Replace('/', '_').Replace('.', 'd'));
        var triton = Path.Combine(root, "deep", "er");

        Assert.StartsWith("error: --triton-name must be a folder name",
            OneErrorLine("export", "--checkpoint", files.Checkpoint, "--data", files.Log, "--triton", triton, "--triton-name", name));
        Assert.False(Directory.Exists(root));
    }

    [Fact]
    public void A_label_rule_whose_columns_the_log_lacks_is_refused_naming_them_and_the_rule_that_fits()
    {
        Assert.Equal($"error: {files.Log}: --labels rating reads rating, which the log does not have; choose --labels finish-rate",
            OneErrorLine("train", "--data", files.Log, "--labels", "rating", "--out", files.Scratch("unlabeled")));
        Assert.Contains("--labels rating reads rating, which the log does not have", OneErrorLine("eval", "--checkpoint", files.Checkpoint, "--data", files.Log, "--labels", "rating"));
        Assert.Contains("--labels rating reads rating, which the log does not have", OneErrorLine("inspect", "--data", files.Log, "--labels", "rating"));
        Assert.DoesNotContain("reading ", CliRunner.Run("inspect", "--data", files.Log, "--labels", "rating").Error); // refused from the schema, before the rows
        // A ratings log has no play or duration columns.
        var imported = Path.Combine(files.Scratch("imported-ratings"), "interactions.parquet");
        Assert.Equal(0, CliRunner.Run(TimeSpan.FromMinutes(1), "import-ratings", "--input", files.Ratings, "--out", Path.GetDirectoryName(imported)!).Code);
        Assert.Equal($"error: {imported}: --labels finish-rate reads play_time_ms and duration_ms, which the log does not have; choose --labels rating",
            OneErrorLine("train", "--data", imported, "--labels", "finish-rate", "--out", files.Scratch("unlabeled-finish")));
    }

    [Fact]
    public void A_log_the_label_rule_leaves_unlabeled_is_refused_with_the_counts()
    {
        // The rule's column is there, and empty on every row.
        var path = Path.Combine(files.Root, "no-ratings.parquet");
        var log = new InteractionLog(60) { Rating = new NullableColumn<float>(new float[60], new bool[60]) };
        for (var r = 0; r < 60; r++) (log.UserId[r], log.ItemId[r]) = (r % 6, r);
        InteractionLogParquet.Write(log, path);

        Assert.Contains("no labeled rows: the rating rule labeled none of the log's 60 rows (it labels from rating: does the log have them?)",
            OneErrorLine("train", "--data", path, "--labels", "rating", "--out", files.Scratch("unlabeled-ratings")));
    }

    [Fact]
    public void A_log_of_no_rows_is_told_empty_naming_it()
    {
        // It was told to choose another --labels or other thresholds, or with --split time that it had rows on 0 days.
        var path = Path.Combine(files.Root, "empty.parquet");
        InteractionLogParquet.Write(new InteractionLog(0) { Rating = new NullableColumn<float>([], []), TimestampMs = [] }, path);
        var lake = Path.Combine(files.Root, "empty-lake");
        InteractionLogParquet.Write(new InteractionLog(0) { Rating = new NullableColumn<float>([], []), TimestampMs = [] },
            Path.Combine(Directory.CreateDirectory(Path.Combine(lake, "day=2024-01-01")).FullName, "part-0.parquet"));

        Assert.Equal($"error: {path}: the log is empty: 0 rows; give a log with rows", OneErrorLine("train", "--data", path, "--out", files.Scratch("empty")));
        Assert.Equal($"error: {path}: the log is empty: 0 rows; give a log with rows",
            OneErrorLine("train", "--data", path, "--split", "time", "--out", files.Scratch("empty-by-time")));
        Assert.Equal($"error: {lake}: the log is empty: 0 rows; give a log with rows", OneErrorLine("train", "--data", lake, "--out", files.Scratch("empty-lake")));
    }

    [Fact]
    public void A_log_too_small_for_the_split_is_refused_with_the_counts()
    {
        var path = Path.Combine(files.Root, "six-rows.parquet");
        var log = new InteractionLog(6)
        {
            PlayTimeMs = new NullableColumn<long>([900, 100, 950, 50, 990, 10], [true, true, true, true, true, true]),
            DurationMs = new NullableColumn<long>([1000, 1000, 1000, 1000, 1000, 1000], [true, true, true, true, true, true]),
        };
        // One row per user: no user can hold both labels in any split.
        for (var r = 0; r < 6; r++) (log.UserId[r], log.ItemId[r]) = (r, r);
        InteractionLogParquet.Write(log, path);
        var error = OneErrorLine("train", "--data", path, "--out", files.Scratch("six"));
        Assert.Contains("too few labeled rows for a run", error);
        Assert.Contains("of 6 labeled by finish-rate", error);
        Assert.Matches(@"train \d+ \(training-train \d+, training-test \d+\), valid \d+ \(\d+ positive, 0 users with both labels\)", error);
    }

    [Fact]
    public void Finish_rate_thresholds_that_leave_no_negative_are_refused_not_taken_for_implicit_labels()
    {
        // Every play ratio is above -0.5: the labeled rows are all positive, which only implicit labels may be.
        var path = Path.Combine(files.Root, "finish-rates.parquet");
        var log = new InteractionLog(600)
        {
            PlayTimeMs = new NullableColumn<long>(Enumerable.Range(0, 600).Select(r => (long)(r * 37 % 1000)).ToArray(), Enumerable.Repeat(true, 600).ToArray()),
            DurationMs = new NullableColumn<long>(Enumerable.Repeat(1000L, 600).ToArray(), Enumerable.Repeat(true, 600).ToArray()),
        };
        for (var r = 0; r < 600; r++) (log.UserId[r], log.ItemId[r]) = (r % 20, r);
        InteractionLogParquet.Write(log, path);

        var error = OneErrorLine("train", "--data", path, "--finish-negative-below", "-0.5", "--out", files.Scratch("all-positive"));

        Assert.Contains("too few labeled rows for a run", error);
        Assert.EndsWith("(every labeled row is positive: other thresholds, or --labels implicit for a log of positives only)", error);
    }

    [Fact]
    public void A_log_with_negatives_only_in_train_is_not_said_to_be_all_positive()
    {
        // Its split column puts both negatives in train: valid and test are all positive, the log is not.
        var path = Path.Combine(files.Root, "negatives-in-train.parquet");
        var log = new InteractionLog(5)
        {
            Rating = new NullableColumn<float>([1, 5, 2, 5, 4], [true, true, true, true, true]),
            Split = [SplitTag.Train, SplitTag.Train, SplitTag.Train, SplitTag.Valid, SplitTag.Test],
        };
        for (var r = 0; r < 5; r++) (log.UserId[r], log.ItemId[r]) = (r % 2, r);
        InteractionLogParquet.Write(log, path);

        var error = OneErrorLine("train", "--data", path, "--out", files.Scratch("negatives-in-train"));

        Assert.Contains("too few labeled rows for a run", error);
        Assert.EndsWith("(valid and test hold no negative row, though train holds 2: a larger log, or another split, gives them some)", error);
    }

    [Theory]
    [InlineData("--extra-feedback", "rating:99", "no row")]
    [InlineData("--extra-feedback", "rating:-3", "every rated row")]
    [InlineData("--test-positives", "rating:6", "no row")]
    public void A_rating_rule_outside_the_logs_rating_range_is_refused_naming_it(string flag, string rule, string marks)
    {
        // Accepted without a word, it marked no row or every one.
        var path = Path.Combine(files.Root, "stars.parquet");
        var log = new InteractionLog(4) { Rating = new NullableColumn<float>([1, 5, 2, 4], [true, true, true, true]) };
        for (var r = 0; r < 4; r++) (log.UserId[r], log.ItemId[r]) = (r % 2, r);
        InteractionLogParquet.Write(log, path);

        Assert.Equal($"error: {flag} {rule} is outside the log's rating range [1, 5] (--rating-min, --rating-max), so it would mark {marks}; give a rating in that range",
            OneErrorLine("inspect", "--data", path, flag, rule));
    }

    [Fact]
    public void A_validation_rating_rule_outside_the_logs_rating_range_is_refused_before_the_log_is_read()
    {
        // Accepted, it failed only once the log was read and split: "no true positive among the validation rows".
        var path = Path.Combine(files.Root, "stars-valid.parquet");
        var log = new InteractionLog(4) { Rating = new NullableColumn<float>([1, 5, 2, 4], [true, true, true, true]) };
        for (var r = 0; r < 4; r++) (log.UserId[r], log.ItemId[r]) = (r % 2, r);
        InteractionLogParquet.Write(log, path);

        Assert.Equal("error: --valid-positives rating:9 is outside the log's rating range [1, 5] (--rating-min, --rating-max), so it would mark no row; give a rating in that range",
            OneErrorLine("train", "--data", path, "--out", files.Scratch("valid-rating"), "--select-by", "recall@10", "--valid-positives", "rating:9"));
    }

    [Fact]
    public void A_rating_rule_within_the_range_an_import_recorded_is_taken()
    {
        var ratings = Path.Combine(files.Root, "ten-stars.csv");
        File.WriteAllText(ratings, "1,10,8\n1,11,0.5\n2,10,10\n2,11,3\n");
        var folder = Directory.CreateDirectory(files.Scratch("ten-stars")).FullName;
        InverseLearning.Data.Import.RatingsImporter.Import([new InverseLearning.Data.Import.RatingsInput(ratings)], folder,
            new InverseLearning.Data.Import.ImportOptions(RatingMin: 0.5f, RatingMax: 10));

        var (code, output, error) = CliRunner.Run("inspect", "--data", Path.Combine(folder, "interactions.parquet"), "--extra-feedback", "rating:8");

        Assert.True(code == 0, error);
        Assert.Contains("extra feedback: rating:8:", output);
    }

    [Fact]
    public void The_results_headline_tells_a_start_that_trained_nothing_in_words()
    {
        Assert.Equal("gmf / ig: best epoch 3, 12.5 s of training, 4,000 labeled rows/s", ResultPrinter.Headline("gmf", "ig", 3, 12.5, 4000));
        Assert.Equal("gmf / ig: best epoch 1, 0.4 s of training, 900 labeled rows/s", ResultPrinter.Headline("gmf", "ig", 1, 0.4, 900));
        Assert.Equal("gmf / ig: best epoch 3, no epoch left to train in this start (resumed after its last)", ResultPrinter.Headline("gmf", "ig", 3, 0, 0));
    }

    [Fact]
    public void An_annotation_share_of_no_rows_is_said_in_words_not_printed_as_nan()
    {
        Assert.Equal("none: no row annotated positive", ResultPrinter.Share(double.NaN, "no row annotated positive"));
        Assert.Equal(0.5.ToString("F3"), ResultPrinter.Share(0.5, "unused"));
    }

    [Fact]
    public void An_undefined_metric_is_shown_as_n_a_with_a_line_saying_why_never_as_nan()
    {
        var output = new StringWriter();
        var previous = Console.Out;
        Console.SetOut(output);
        try { ResultPrinter.Row("test", new RankingMetrics(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, 0.6)); }
        finally { Console.SetOut(previous); }
        Assert.DoesNotContain("NaN", output.ToString());
        Assert.Matches(@"^  test +n/a +n/a +n/a +n/a +n/a +0.6000\r?\n$", output.ToString());
        Assert.Equal("  test: n/a: AUC is undefined …; the clean test row (true labels) measures the model instead",
            ResultPrinter.Undefined("test", "AUC is undefined …", clean: true, fullRanking: false));
        Assert.EndsWith("; --eval full-ranking measures the model on them (every item ranked for each test user)",
            ResultPrinter.Undefined("test", "AUC is undefined …", clean: false, fullRanking: false));
        Assert.Equal("  clean test: n/a: why", ResultPrinter.Undefined("clean test", "why", clean: true, fullRanking: true));
    }

    [Fact]
    public void Eval_prints_finite_metrics()
    {
        var (code, output, _) = CliRunner.Run(Budget, "eval", "--checkpoint", files.Checkpoint, "--data", files.Log);
        Assert.Equal(0, code);
        Assert.DoesNotContain("NaN", output);
        Assert.Contains("test", output);
    }

    [Fact]
    public void A_train_into_its_own_simulations_folder_is_refused_as_export_refuses_it()
    {
        // It wrote seen.parquet, model.onnx and checkpoints beside truth.parquet with only a note, where a later --data 'DIR/*.parquet'
        // took seen.parquet as one of the log's parts.
        var simulation = files.Scratch("own-simulation");
        Assert.Equal(0, CliRunner.Run(Budget, "datagen", "--preset", "tiny", "--users", "20", "--items", "50", "--impressions", "200", "--out", simulation).Code);
        var before = Directory.GetFileSystemEntries(simulation).Order().ToList();

        var error = OneErrorLine("train", "--data", Path.Combine(simulation, "interactions.parquet"), "--epochs", "1", "--out", simulation);

        Assert.Equal($"error: --out {simulation} holds a simulation's ground truth (truth.parquet, truth-model.bin), a datagen's folder: a glob over it " +
            $"('{simulation}/*.parquet') would read the seen.parquet written there as one of its log's parts; train into another folder", error);
        Assert.Equal(before, Directory.GetFileSystemEntries(simulation).Order().ToList());
    }

    [Fact]
    public void An_import_into_a_simulations_folder_is_refused_before_it_replaces_the_log_beside_the_truth()
    {
        var simulation = files.Scratch("simulation");
        Assert.Equal(0, CliRunner.Run(Budget, "datagen", "--preset", "tiny", "--users", "20", "--items", "50", "--impressions", "200", "--out", simulation).Code);
        var before = File.ReadAllBytes(Path.Combine(simulation, "interactions.parquet"));

        var error = OneErrorLine("import-ratings", "--input", files.Ratings, "--out", simulation);

        Assert.Contains($"--out {simulation} holds a simulation's ground truth (truth.parquet, truth-model.bin), which train would read as the imported log's", error);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(simulation, "interactions.parquet")));
        // Nothing written, not even a lock: datagen may still replace the folder it wrote.
        Assert.False(File.Exists(Path.Combine(simulation, OutputFolder.LockFileName)));
        Assert.Equal(0, CliRunner.Run(Budget, "datagen", "--preset", "tiny", "--users", "20", "--items", "50", "--impressions", "200", "--seed", "2", "--out", simulation).Code);
        // A verb refused after taking the lock leaves none; one killed while holding it does, which does not make the folder foreign to datagen either.
        Assert.NotEqual(0, CliRunner.Run(Budget, "train", "--data", Path.Combine(files.Root, "no-such-log"), "--out", simulation).Code);
        Assert.False(File.Exists(Path.Combine(simulation, OutputFolder.LockFileName)));
        File.WriteAllBytes(Path.Combine(simulation, OutputFolder.LockFileName), []);
        Assert.Equal(0, CliRunner.Run(Budget, "datagen", "--preset", "tiny", "--users", "20", "--items", "50", "--impressions", "200", "--seed", "3", "--out", simulation).Code);
    }

    [Fact]
    public void A_simulations_truth_beside_another_log_is_refused_before_the_log_is_read()
    {
        var (simulation, other) = (files.Scratch("truth-of-200"), files.Scratch("log-of-300"));
        Assert.Equal(0, CliRunner.Run(Budget, "datagen", "--preset", "tiny", "--users", "20", "--items", "50", "--impressions", "200", "--out", simulation).Code);
        Assert.Equal(0, CliRunner.Run(Budget, "datagen", "--preset", "tiny", "--users", "20", "--items", "50", "--impressions", "300", "--out", other).Code);
        var log = Path.Combine(simulation, "interactions.parquet");
        File.Copy(Path.Combine(other, "interactions.parquet"), log, overwrite: true);

        foreach (var verb in new[] { "train", "experiment" })
            Assert.Contains($"{Path.Combine(simulation, "truth.parquet")} describes 200 impressions, and {log} holds 300 rows: it is another log's ground truth",
                OneErrorLine(verb, "--data", log, "--out", files.Scratch("mixed-" + verb), "--epochs", "1"));
        Assert.Contains("it is another log's ground truth", OneErrorLine("eval", "--checkpoint", files.Checkpoint, "--data", log));
    }

    [Theory]
    [InlineData("train", "--labels", "ratin", "--labels takes auto, finish-rate, implicit, play-time or rating, got 'ratin'; did you mean rating?")]
    [InlineData("train", "--labels", "RATING", "--labels takes auto, finish-rate, implicit, play-time or rating, got 'RATING'; did you mean rating?")]
    [InlineData("train", "--split", "tim", "--split takes hash, random or time, got 'tim'; did you mean time?")]
    [InlineData("train", "--eval", "full-rankng", "--eval takes full-ranking or labeled, got 'full-rankng'; did you mean full-ranking?")]
    [InlineData("datagen", "--preset", "tiyn", "--preset takes default, micro-video or tiny, got 'tiyn'; did you mean tiny?")]
    [InlineData("datagen", "--preset", "enormous", "--preset takes default, micro-video or tiny, got 'enormous'")]
    [InlineData("train", "--unlabeled-source", "Unseen", "--unlabeled-source takes both, impressions or unseen, got 'Unseen'; did you mean unseen?")]
    public void A_value_outside_a_flags_set_is_told_the_set_and_what_it_likely_meant(string verb, string flag, string value, string expected)
    {
        // The parser said "Argument 'ratin' not recognized. Must be one of: …", with no suggestion.
        string[] args = verb == "datagen" ? [verb, "--out", files.Scratch("set-" + value), flag, value] : [verb, "--data", files.Log, "--out", files.Scratch("set-" + value), flag, value];
        Assert.Equal($"error: {expected} (see --help)", OneErrorLine(args));
    }

    [Fact]
    public void A_flag_given_one_dash_is_told_the_flag_it_likely_meant()
    {
        // It was "Unrecognized command or argument '-epochs'".
        Assert.Equal("error: train has no flag -epochs; did you mean --epochs? (see --help)", OneErrorLine("train", "--data", files.Log, "-epochs", "1"));
        Assert.Equal("error: experiment has no flag -method; did you mean --methods? (see --help)", OneErrorLine("experiment", "--data", files.Log, "-method", "ns"));
    }

    [Fact]
    public void A_word_no_flag_took_is_named_with_the_verb()
    {
        // It was the parser's "Unrecognized command or argument 'extra'.", naming neither the verb nor what to do.
        Assert.Equal("error: train takes no argument 'extra': each value follows its flag (--out DIR) (see --help)", OneErrorLine("train", "--data", files.Log, "extra"));
        Assert.Equal("error: eval takes no argument 'extra': each value follows its flag (--out DIR) (see --help)", OneErrorLine("eval", "--data", files.Log, "--", "extra"));
        Assert.StartsWith("error: no verb 'trian': expected one of inspect, datagen, ", OneErrorLine("trian", "--data", files.Log));
        Assert.EndsWith("; did you mean train? (see --help)", OneErrorLine("trian", "--data", files.Log));
    }

    [Fact]
    public void No_verb_or_a_verbs_needed_flag_missing_is_named()
    {
        // The parser's "Required command was not provided." and "Option '--data' is required." before.
        Assert.StartsWith("error: give a verb: one of inspect, datagen, ", OneErrorLine());
        Assert.Equal("error: train needs --data (see --help)", OneErrorLine("train", "--epochs", "1"));
        Assert.Equal("error: export needs --checkpoint and --data (see --help)", OneErrorLine("export"));
        var (code, output, _) = CliRunner.Run(Budget, "train", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--data", output);
        // --help without a verb asks for none: the verbs are listed.
        (code, output, _) = CliRunner.Run(Budget, "--help");
        Assert.Equal(0, code);
        Assert.Contains("datagen", output);
    }

    [Fact]
    public void A_one_letter_flag_no_verb_has_is_named_as_other_unknown_flags_are()
    {
        // It was the parser's "Unrecognized command or argument '-e'", naming neither the verb nor a flag it has.
        Assert.Equal("error: train has no flag -e (see --help)", OneErrorLine("train", "--data", files.Log, "-e", "1"));
        Assert.Equal("error: train has no flag -l; did you mean --lr? (see --help)", OneErrorLine("train", "--data", files.Log, "-l", "1"));
        Assert.Equal("error: experiment has no flag -n; did you mean --ng? (see --help)", OneErrorLine("experiment", "--data", files.Log, "-n", "1"));
        // A negative number is a value, not a flag.
        Assert.Contains("--ng must be from 0 to 1,000", OneErrorLine("train", "--data", files.Log, "--ng", "-1"));
    }

    /// <summary>README says the two read their arguments alike: they refused these in other words (`serve has no flag --bogus (see --help)`, System.CommandLine's "Unrecognized command or argument 'extra'").</summary>
    [Theory]
    [InlineData("--bogus", "error: unknown argument '--bogus' (--help lists the flags)")]
    [InlineData("extra", "error: unknown argument 'extra' (--help lists the flags)")]
    [InlineData("-port", "error: unknown argument '-port'; did you mean --port? (--help lists the flags)")]
    public void Serve_refuses_an_argument_it_does_not_take_in_the_words_of_inverselearning_serve(string given, string expected)
    {
        Assert.Equal(expected, OneErrorLine("serve", given, "--model", files.Model, "--port", "0", "--metrics-port", "-1"));
        Assert.Equal(expected, OneErrorLine("serve", "--model", files.Model, "--port", "0", "--metrics-port", "-1", given));
    }

    [Fact]
    public void A_near_miss_of_a_flag_method_or_model_is_told_what_it_likely_meant()
    {
        var log = Path.Combine(files.Root, "not-there.parquet");
        Assert.Contains("experiment has no flag --method; did you mean --methods?", OneErrorLine("experiment", "--data", log, "--method", "ns"));
        Assert.Contains("train has no flag --methods; did you mean --method?", OneErrorLine("train", "--data", log, "--methods=ns"));
        Assert.Contains("train has no flag --zebra (see --help)", OneErrorLine("train", "--data", log, "--zebra", "1"));
        // After `--` every token is an operand: the flag exists, and naming it again as the likely meaning contradicted the line.
        foreach (var (verb, flag) in new[] { ("train", "--epochs"), ("inspect", "--seed") })
            Assert.Equal($"error: {flag} after `--` is taken as an argument, not a flag; remove the `--` (see --help)", OneErrorLine(verb, "--data", log, "--", flag, "1"));
        // serve's arguments are read by the serving host, whose words these are (as inverselearning-serve's).
        Assert.Equal("error: --port after `--` is taken as an argument, not a flag; remove the `--` (--help lists the flags)", OneErrorLine("serve", "--model", log, "--", "--port", "1"));
        Assert.Contains("--method: unknown method 'nss', expected one of none, ns", OneErrorLine("train", "--data", log, "--method", "nss"));
        Assert.EndsWith("; did you mean ns?", OneErrorLine("train", "--data", log, "--method", "nss"));
        Assert.Contains("; did you mean neumf?", OneErrorLine("train", "--data", log, "--model", "neumff"));
        Assert.Contains("--methods: unknown nss; expected a comma-separated list of", OneErrorLine("experiment", "--data", log, "--methods", "none,nss"));
        Assert.Contains("; did you mean ns?", OneErrorLine("experiment", "--data", log, "--methods", "none,nss"));
        // Several wrong names: each near one told what it likely meant, a far one nothing.
        Assert.EndsWith("--methods: unknown nss, transformer, igg; expected a comma-separated list of none, ns, tce, rce, dns, srns, cw, idl, ig; did you mean ns for nss, ig for igg?",
            OneErrorLine("experiment", "--data", log, "--methods", "nss,transformer,igg"));
        Assert.DoesNotContain("did you mean", OneErrorLine("train", "--data", log, "--method", "transformer"));
    }

    [Fact]
    public void A_truth_beside_another_simulations_log_of_as_many_rows_is_refused_by_its_stamp()
    {
        var (simulation, other) = (files.Scratch("truth-of-seed-1"), files.Scratch("log-of-seed-2"));
        string[] size = ["--preset", "tiny", "--users", "20", "--items", "50", "--impressions", "200"];
        Assert.Equal(0, CliRunner.Run(Budget, ["datagen", .. size, "--seed", "1", "--out", simulation]).Code);
        Assert.Equal(0, CliRunner.Run(Budget, ["datagen", .. size, "--seed", "2", "--out", other]).Code);
        var log = Path.Combine(simulation, "interactions.parquet");
        File.Copy(Path.Combine(other, "interactions.parquet"), log, overwrite: true);

        var error = OneErrorLine("train", "--data", log, "--out", files.Scratch("mixed-seeds"), "--epochs", "1");

        Assert.Contains($"{Path.Combine(simulation, "truth.parquet")} was written by another simulation than {log} (stamps ", error);
        Assert.Contains("it is another log's ground truth", error);
        // The same rows written by anything but datagen carry no stamp: as foreign to the truth.
        InteractionLogParquet.Write(InteractionLogParquet.Read(Path.Combine(other, "interactions.parquet")), log);
        Assert.Contains("which no datagen stamped", OneErrorLine("train", "--data", log, "--out", files.Scratch("unstamped"), "--epochs", "1"));
        // The other simulation's log and truth.parquet beside this one's truth-model.bin, whose logits the clean test reads.
        File.Copy(Path.Combine(other, "interactions.parquet"), log, overwrite: true);
        File.Copy(Path.Combine(other, "truth.parquet"), Path.Combine(simulation, "truth.parquet"), overwrite: true);
        Assert.Contains("were written by two simulations", OneErrorLine("train", "--data", log, "--out", files.Scratch("mixed-model"), "--epochs", "1"));
    }

    [Fact]
    public void A_checkpoint_refused_on_a_log_that_repeats_pairs_says_the_random_split_keeps_them_together_now()
    {
        // Every (user, item) line twice: the split rule for repeated pairs changed, and a checkpoint of a build before cannot know it.
        var ratings = Path.Combine(files.Root, "repeated-pairs.csv");
        var lines = from user in Enumerable.Range(1, 40) from item in Enumerable.Range(1, 12) select $"{user},{item},{1 + (user * 7 + item * 3) % 5}";
        File.WriteAllLines(ratings, lines.Concat(lines));
        var imported = files.Scratch("repeated-pairs");
        Assert.Equal(0, CliRunner.Run(Budget, "import-ratings", "--input", ratings, "--out", imported).Code);
        var log = Path.Combine(imported, "interactions.parquet");
        var run = files.Scratch("repeated-pairs-run");
        Assert.Equal(0, CliRunner.Run(Budget, "train", "--data", log, "--out", run, "--epochs", "1", "--method", "none").Code);

        // Another log of repeated pairs, one rating changed (1 to 5): another label threshold would now be named instead.
        File.WriteAllLines(ratings, lines.Concat(lines).Select((line, k) => k == 0 ? "1,1,5" : line));
        var other = files.Scratch("repeated-pairs-other");
        Assert.Equal(0, CliRunner.Run(Budget, "import-ratings", "--input", ratings, "--out", other).Code);

        var error = OneErrorLine("eval", "--checkpoint", Path.Combine(run, "checkpoint"), "--data", Path.Combine(other, "interactions.parquet"));

        Assert.Contains("this log repeats (user, item) pairs, whose rows a random split keeps in one part since 2026-12-06", error);
        Assert.DoesNotContain("repeats (user, item) pairs", OneErrorLine("eval", "--checkpoint", files.Checkpoint, "--data", files.Log, "--finish-positive-above", "0.9"));
        // A run split by hash never split at random: the hint would send its user after the wrong cause.
        var hashed = files.Scratch("repeated-pairs-hash-run");
        Assert.Equal(0, CliRunner.Run(Budget, "train", "--data", log, "--out", hashed, "--epochs", "1", "--method", "none", "--split", "hash").Code);
        var hashedError = OneErrorLine("eval", "--checkpoint", Path.Combine(hashed, "checkpoint"), "--data", Path.Combine(other, "interactions.parquet"));
        Assert.Contains("this log has", hashedError);
        Assert.DoesNotContain("random split", hashedError);
    }

    [Fact]
    public void A_checkpoint_that_is_a_link_to_nothing_is_named_with_where_it_leads()
    {
        var link = Path.Combine(files.Root, "dangling.checkpoint");
        var target = Path.Combine(files.Root, "moved-away.checkpoint");
        File.CreateSymbolicLink(link, target);

        Assert.Contains($"cannot use this checkpoint: is a link to {target}, which does not exist", OneErrorLine("eval", "--checkpoint", link, "--data", files.Log));
        Assert.Contains($"cannot use this checkpoint: is a link to {target}, which does not exist", OneErrorLine("export", "--checkpoint", link, "--data", files.Log, "--out", files.Scratch("dangling-export")));
        // A loop of links was the system's "Too many levels of symbolic links".
        var loop = Path.Combine(files.Root, "looping.checkpoint");
        File.CreateSymbolicLink(loop, loop);
        Assert.Contains("cannot use this checkpoint: is a link that leads back to itself", OneErrorLine("eval", "--checkpoint", loop, "--data", files.Log));
    }

    [Fact]
    public void A_folder_where_a_file_belongs_says_so()
    {
        // (--data takes a directory: it is a dataset of part files, see the lake tests.)
        Assert.Contains("cannot use this checkpoint: is a folder, expected a checkpoint file", OneErrorLine("eval", "--checkpoint", files.Root, "--data", files.Log));
        Assert.Contains($"{files.Root}: is a folder, expected a file", OneErrorLine("import-ratings", "--input", files.Root, "--out", files.Scratch("dir")));
        var resume = files.Scratch("resume-dir");
        Directory.CreateDirectory(Path.Combine(resume, "last.checkpoint"));
        Assert.Contains($"--resume: {Path.Combine(resume, "last.checkpoint")} is a folder, expected the checkpoint file a run writes", OneErrorLine("train", "--data", files.Log, "--out", resume, "--resume"));
        File.WriteAllBytes(Path.Combine(resume, "checkpoint"), [1]); // beside a best checkpoint too (it was told as a run stopped in its first epoch)
        Assert.Contains("is a folder, expected the checkpoint file a run writes", OneErrorLine("train", "--data", files.Log, "--out", resume, "--resume"));
    }

    [Theory]
    [InlineData("--triton-name")]
    [InlineData("--triton")]
    [InlineData("--repository")]
    [InlineData("--out")]
    public void An_export_path_with_a_name_too_long_for_the_file_system_is_refused_naming_the_flag(string flag)
    {
        // .NET's "The path '…' is too long" named neither the flag nor the limit (NAME_MAX, 255 bytes).
        var tooLong = new string('m', 300);
        string[] where = flag == "--triton-name" ? ["--triton", files.Scratch("triton"), "--triton-name", tooLong] : [flag, Path.Combine(files.Scratch("long"), tooLong)];

        var line = OneErrorLine(["export", "--checkpoint", files.Checkpoint, "--data", files.Log, .. where]);

        Assert.Equal($"error: {flag}: the name '{tooLong[..40]}…' is 300 bytes long, more than a file or folder name may have (255 bytes); give a shorter {flag}", line);
    }

    [Fact]
    public void An_export_path_too_long_in_all_is_refused_naming_the_flag()
    {
        var tooLong = Path.Combine(files.Scratch("deep"), Path.Combine(Enumerable.Repeat(new string('d', 200), 21).ToArray()));
        Assert.StartsWith("error: --repository: the path is ", OneErrorLine("export", "--checkpoint", files.Checkpoint, "--data", files.Log, "--repository", tooLong));
    }

    [Fact]
    public void Eval_over_max_memory_advises_raising_it_not_the_training_flags_it_lacks()
    {
        var line = OneErrorLine("eval", "--checkpoint", files.Checkpoint, "--data", files.Log, "--max-memory", "1M");

        Assert.Contains("; raise --max-memory (the sizes", line);
        Assert.Contains("are the checkpoint's, as it was trained)", line);
        Assert.DoesNotContain("lower --", line);
    }

    [Fact]
    public void A_damaged_checkpoint_is_refused_by_eval_in_one_line()
    {
        var copy = Path.Combine(files.Root, "damaged.checkpoint");
        var bytes = File.ReadAllBytes(files.Checkpoint);
        bytes[^10] ^= 0x01;
        File.WriteAllBytes(copy, bytes);
        Assert.Contains("checksum of its parameters does not match", OneErrorLine("eval", "--checkpoint", copy, "--data", files.Log));
    }

    [Fact]
    public void A_rating_bound_past_a_floats_range_is_told_as_it_was_given()
    {
        // 1e308 parses as a float's infinity, and was told as "--rating-min (Infinity)".
        Assert.Equal("error: --rating-min takes a finite number (a float: from -3.4e38 to 3.4e38), got 1e308",
            OneErrorLine("import-ratings", "--input", files.Ratings, "--out", files.Scratch("huge-min"), "--rating-min", "1e308"));
        Assert.Equal("error: --rating-max takes a finite number (a float: from -3.4e38 to 3.4e38), got 1e39",
            OneErrorLine("train", "--data", files.Log, "--out", files.Scratch("huge-max"), "--rating-max", "1e39"));
    }

    [Fact]
    public void Import_refuses_ratings_outside_the_range_train_reads()
    {
        var ratings = Path.Combine(files.Root, "ten-stars.txt");
        File.WriteAllText(ratings, "1 2 5\n1 3 10\n2 2 1\n");
        var error = OneErrorLine("import-ratings", "--input", ratings, "--out", files.Scratch("stars"));
        Assert.Contains("line 2: expected a rating from 1 to 5 (--rating-min, --rating-max), found 10", error);
        var (code, _, _) = CliRunner.Run(Budget, "import-ratings", "--input", ratings, "--out", files.Scratch("stars"), "--rating-max", "10");
        Assert.Equal(0, code);
        Assert.Contains("--rating-min (5) and --rating-max (1)", OneErrorLine("import-ratings", "--input", ratings, "--out", files.Scratch("x"), "--rating-min", "5", "--rating-max", "1"));
    }
}
