using System.CommandLine;
using System.CommandLine.Help;
using InverseLearning.Training.Cli;
using Xunit.Abstractions;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>
/// Every verb, every flag, hostile values: each run must end with exit code 0 or 1 (130 when
/// a run that passed validation is cancelled for time), and a failure must be one error line
/// on stderr without a stack trace. The flags are enumerated from the commands themselves,
/// so a flag added later is covered without touching this test.
/// </summary>
[Collection("Console")]
public class HostileFlagTests(CliFixture files, ITestOutputHelper log)
{
    // A run that passes validation is cancelled after this; serve runs until cancelled, so it gets less.
    private static TimeSpan RunBudget(string verb) => TimeSpan.FromSeconds(verb == "serve" ? 1 : 2);

    public static TheoryData<string> VerbNames => [.. CliApp.Build().Subcommands.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(VerbNames))]
    public void Every_flag_with_hostile_values_ends_in_one_line_or_success(string verb)
    {
        var command = CliApp.Build().Subcommands.Single(c => c.Name == verb);
        var baseline = Baseline(verb);
        var failures = new List<string>();
        var runs = 0;
        var leftBefore = RelativeOutputs();
        Directory.CreateDirectory(HostileFolder);
        File.Copy(files.Log, Path.Combine(HostileFolder, Path.GetFileName(files.Log)), overwrite: true);
        try
        {
            foreach (var flag in Flags(command))
            {
                foreach (var value in HostileValues())
                {
                    var args = With(baseline, flag, value);
                    var (code, _, error) = CliRunner.Run(RunBudget(verb), [verb, .. args]);
                    runs++;
                    if (Problem(code, error) is { } problem)
                        failures.Add($"{verb} {flag} {Show(value)}: {problem}");
                }
            }
        }
        finally
        {
            // A value such as "1e9" given to --out is a folder relative to the working directory (the test's bin folder), which a run may create.
            foreach (var path in RelativeOutputs().Except(leftBefore))
            {
                if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
                else File.Delete(path);
            }
            Directory.Delete(HostileFolder, recursive: true);
        }
        log.WriteLine($"{verb}: {runs} runs, {failures.Count} failures");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        Assert.True(runs >= Flags(command).Count, $"{verb}: only {runs} runs");
    }

    /// <summary>The verb's flags; serve's are the serving host's, which its own parser reads, not System.CommandLine's.</summary>
    private static List<string> Flags(Command command) => command.Name == ServeCommand.Verb
        ? [.. InverseLearning.Serving.ServeFlags.All.Select(flag => flag.Name)]
        : [.. command.Options.Where(o => o is not HelpOption and not VersionOption).Select(o => o.Name)];

    [Fact]
    public void The_check_catches_a_stack_trace_and_a_second_line()
    {
        Assert.NotNull(Problem(1, "error: first\nerror: second\n"));
        Assert.NotNull(Problem(1, "Unhandled exception. System.OverflowException: boom\n   at Foo.Bar()\n"));
        Assert.NotNull(Problem(134, ""));
        Assert.NotNull(Problem(1, "progress 100%\n"));
        Assert.Null(Problem(1, "reading log 100%\nerror: --dim must be from 1 to 65,536, got 0\n"));
        Assert.Null(Problem(0, "training gmf\n"));
    }

    /// <summary>Null when the run ended acceptably; else what was wrong.</summary>
    private static string? Problem(int code, string error)
    {
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (error.Contains("   at ") || error.Contains("Unhandled exception")) return $"stack trace: {First(error)}";
        if (code is 0 or 130) return null;
        if (code != 1) return $"exit code {code}: {First(error)}";
        var errors = lines.Count(l => l.StartsWith("error:"));
        if (errors != 1) return $"{errors} error lines: {First(error)}";
        return lines[^1].StartsWith("error:") ? null : $"the error is not the last line: {First(error)}";
    }

    /// <summary>Files and folders in the working directory named as a relative hostile value.</summary>
    private HashSet<string> RelativeOutputs() =>
        [.. HostileValues().Where(v => v.Length is > 0 and < 255 && !Path.IsPathRooted(v)).Select(Path.GetFullPath).Where(Path.Exists)];

    /// <summary>
    /// The folder the values that name one give, holding a copy of the log: `import-ratings --out` given the fixture's own root
    /// wrote a ratings log over the log the later tests of this collection read.
    /// </summary>
    private string HostileFolder => files.Scratch("hostile-folder");

    private IEnumerable<string> HostileValues() =>
        ["-1", "0", "1e9", "2000000000", "NaN", "", new string('x', 5_000), HostileFolder, Path.Combine(HostileFolder, "missing.parquet")];

    /// <summary>Arguments with which each verb runs (or, for serve, starts) successfully and quickly.</summary>
    private (string Name, string Value)[] Baseline(string verb) => verb switch
    {
        "inspect" => [("--data", files.Log)],
        "datagen" => [("--preset", "tiny"), ("--out", files.Scratch("datagen")), ("--users", "30"), ("--items", "40"), ("--impressions", "500")],
        "import-ratings" => [("--input", files.Ratings), ("--out", files.Scratch("import"))],
        "train" => [("--data", files.Log), ("--out", files.Scratch("train")), ("--epochs", "1"), ("--batch-size", "256")],
        "eval" => [("--checkpoint", files.Checkpoint), ("--data", files.Log)],
        "export" => [("--checkpoint", files.Checkpoint), ("--data", files.Log), ("--out", files.Scratch("export"))],
        "experiment" => [("--data", files.Log), ("--out", files.Scratch("experiment")), ("--models", "gmf"), ("--methods", "ns"), ("--epochs", "1"), ("--batch-size", "256")],
        "serve" => [("--model", files.Model), ("--port", "0"), ("--metrics-port", "-1")],
        "silo" => SiloBaseline(InverseLearning.Training.Cluster.LocalCluster.FreePorts()),
        "cluster" => [("--silos", "1"), ("--state", files.Scratch("cluster"))],
        _ => throw new InvalidOperationException($"no baseline for verb '{verb}': add one here"),
    };

    private (string Name, string Value)[] SiloBaseline((int Silo, int Gateway) ports) =>
        [("--state", files.Scratch("silo")), ("--port", $"{ports.Silo}"), ("--gateway-port", $"{ports.Gateway}")];

    private static string[] With((string Name, string Value)[] baseline, string name, string value) =>
        [.. baseline.Where(a => a.Name != name).SelectMany(a => new[] { a.Name, a.Value }), name, value];

    private static string First(string text) => text.Length <= 300 ? text.Trim() : text[..300].Trim() + "…";
    private static string Show(string value) => value.Length <= 40 ? $"'{value}'" : $"'{value[..10]}…' ({value.Length} chars)";
}
