using System.CommandLine;
using InverseLearning.Training.Cli;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>What a user sees when a training command is given something wrong: one line and exit code 1.</summary>
[Collection("Console")]
public class CommandLineTests
{
    private static (int Code, string Error) Run(params string[] args)
    {
        var root = new RootCommand();
        foreach (var verb in Verbs.All()) root.Subcommands.Add(verb);
        var error = new StringWriter();
        var original = Console.Error;
        Console.SetError(error);
        try
        {
            return (root.Parse(args).Invoke(), error.ToString());
        }
        finally
        {
            Console.SetError(original);
        }
    }

    [Fact]
    public void Missing_log_names_the_file()
    {
        var (code, error) = Run("train", "--data", "/nonexistent/log.parquet");
        Assert.Equal(1, code);
        Assert.Contains("/nonexistent/log.parquet", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void Unknown_method_lists_the_known_ones()
    {
        var (code, error) = Run("train", "--data", "x.parquet", "--method", "magic");
        Assert.Equal(1, code);
        Assert.Contains("unknown method 'magic'", error);
        Assert.Contains("ig", error);
    }

    [Fact]
    public void Non_positive_learning_rate_is_refused()
    {
        var (code, error) = Run("train", "--data", "x.parquet", "--lr", "0");
        Assert.Equal(1, code);
        Assert.Contains("--lr must be positive", error);
    }

    [Fact]
    public void Missing_checkpoint_is_one_line()
    {
        var (code, error) = Run("eval", "--checkpoint", "/nonexistent/checkpoint", "--data", "x.parquet");
        Assert.Equal(1, code);
        Assert.Contains("/nonexistent/checkpoint", error);
        Assert.Single(error.Trim().Split('\n'));
    }
}
