using InverseLearning.Training.Cli;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>
/// The folders verbs write into: a bad one is refused before any work in one line naming the flag.
/// </summary>
[Collection("Console")]
public class OutputFolderTests(CliFixture files)
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);

    /// <summary>Each verb that writes a folder, with the flag naming it and arguments that otherwise run.</summary>
    private string[] Arguments(string verb) => verb switch
    {
        "train" => ["train", "--data", files.Log, "--epochs", "1", "--batch-size", "256"],
        "experiment" => ["experiment", "--data", files.Log, "--models", "gmf", "--methods", "ns", "--epochs", "1", "--batch-size", "256"],
        "datagen" => ["datagen", "--preset", "tiny", "--users", "30", "--items", "40", "--impressions", "500"],
        "export" => ["export", "--checkpoint", files.Checkpoint, "--data", files.Log],
        "import-ratings" => ["import-ratings", "--input", files.Ratings],
        _ => throw new ArgumentOutOfRangeException(nameof(verb)),
    };

    public static TheoryData<string, string> VerbsAndFlags => new()
    {
        { "train", "--out" }, { "experiment", "--out" }, { "datagen", "--out" }, { "export", "--out" }, { "export", "--repository" }, { "import-ratings", "--out" },
    };

    /// <summary>The run's only stderr line (nothing was read or simulated before it), which must be the error.</summary>
    private static string OnlyLine(string[] args)
    {
        var (code, _, error) = CliRunner.Run(Budget, args);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(code == 1 && lines.Length == 1, $"exit code {code}, stderr:\n{error}");
        Assert.StartsWith("error: ", lines[0]);
        return lines[0];
    }

    [Theory]
    [MemberData(nameof(VerbsAndFlags))]
    public void An_empty_output_folder_is_refused_before_any_work_naming_the_flag(string verb, string flag) =>
        Assert.Equal($"error: {flag} is empty; expected a folder to write into", OnlyLine([.. Arguments(verb), flag, ""]));

    [Theory]
    [MemberData(nameof(VerbsAndFlags))]
    public void An_output_folder_that_is_a_file_is_refused_before_any_work_naming_the_flag(string verb, string flag) =>
        Assert.Equal($"error: {flag} {files.Ratings} is a file; expected a folder (new or existing) to write into", OnlyLine([.. Arguments(verb), flag, files.Ratings]));

    [Theory]
    [MemberData(nameof(VerbsAndFlags))]
    public void An_output_folder_below_a_file_is_refused_before_any_work_naming_the_flag(string verb, string flag)
    {
        var below = Path.Combine(files.Ratings, "run");
        Assert.StartsWith($"error: {flag} {below}: cannot create the folder (", OnlyLine([.. Arguments(verb), flag, below]));
    }
}
