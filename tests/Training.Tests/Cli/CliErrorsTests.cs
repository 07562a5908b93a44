using InverseLearning.Data;
using InverseLearning.Training.Cli;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>How <see cref="CliErrors"/> words a failure for the user: one line, with nothing of the code's own names in it.</summary>
[Collection("Console")]
public class CliErrorsTests(CliFixture files)
{
    private static string ErrorOf(Action fails) => Ran(fails, CancellationToken.None) is (1, var error) ? error : throw new Xunit.Sdk.XunitException("expected exit code 1");

    // The exit code and what went to stderr.
    private static (int Code, string Error) Ran(Action fails, CancellationToken cancel)
    {
        var error = new StringWriter { NewLine = "\n" };
        var original = Console.Error;
        Console.SetError(error);
        try
        {
            var code = CliErrors.Run(() =>
            {
                fails();
                return 0;
            }, cancel);
            return (code, error.ToString());
        }
        finally
        {
            Console.SetError(original);
        }
    }

    [Fact]
    public void A_cancellation_the_user_asked_for_is_cancelled_and_any_other_an_error_naming_what_was_cancelled()
    {
        using var signalled = new CancellationTokenSource();
        signalled.Cancel();
        Assert.Equal((130, "cancelled\n"), Ran(() => signalled.Token.ThrowIfCancellationRequested(), signalled.Token));

        // An activation Orleans gave up on reached a run as a TaskCanceledException, which was told as the user's Ctrl+C.
        var (code, error) = Ran(CancelledInside, CancellationToken.None);
        Assert.Equal(1, code);
        Assert.StartsWith("error: CliErrorsTests.CancelledInside was cancelled, not by Ctrl+C or a signal (TaskCanceledException: A task was canceled.)", error);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        // As a shard call's: inside an async lambda, named after the method that holds it.
        Assert.StartsWith("error: CliErrorsTests.InAnAsyncLambda was cancelled", Ran(InAnAsyncLambda, CancellationToken.None).Error);
    }

    private static void InAnAsyncLambda() => Task.Run(async () =>
    {
        using var elsewhere = new CancellationTokenSource();
        await elsewhere.CancelAsync();
        await Task.Delay(TimeSpan.FromSeconds(10), elsewhere.Token);
    }).GetAwaiter().GetResult();

    // A wait of this program's that something other than the user cut short.
    private static void CancelledInside()
    {
        using var elsewhere = new CancellationTokenSource();
        elsewhere.Cancel();
        Task.Delay(TimeSpan.FromSeconds(10), elsewhere.Token).GetAwaiter().GetResult();
    }

    [Fact]
    public void A_guards_parameter_name_and_actual_value_are_not_shown()
    {
        // .NET words these "expected k ≥ 1. (Parameter 'k')" and a second line "Actual value was 0.": the code's names, not the user's flags.
        Assert.Equal("error: expected k ≥ 1.\n", ErrorOf(() => throw new ArgumentOutOfRangeException("k", 0, "expected k ≥ 1.")));
        Assert.Equal("error: a chunk holds at least one row\n", ErrorOf(() => throw new ArgumentOutOfRangeException("rowsPerChunk", "a chunk holds at least one row")));
        Assert.Equal("error: a vocabulary has at least the reserved row 0\n", ErrorOf(() => throw new ArgumentException("a vocabulary has at least the reserved row 0", "rawIds")));
        Assert.Equal("error: --dim must be from 1 to 65,536, got 0\n", ErrorOf(() => throw new ArgumentException("--dim must be from 1 to 65,536, got 0")));
    }

    [Fact]
    public void A_tab_in_an_error_is_written_as_backslash_t_and_the_error_stays_one_line()
    {
        Assert.Equal("error: a\\tb.parquet: file not found\n", ErrorOf(() => throw new DataException("a\tb.parquet: file not found")));
        Assert.Equal("error: a\\u000Ab.parquet: file not found\n", ErrorOf(() => throw new DataException("a\nb.parquet: file not found")));
    }

    [Fact]
    public void A_librarys_message_is_its_first_line_without_the_line_end_it_came_with()
    {
        // Its first line keeps the \r of a message written with Windows line ends, which the error line would show as \u000D.
        Assert.Equal("error: the silo refused the call\n", ErrorOf(() => throw new InvalidOperationException("the silo refused the call\r\n   at Orleans.Runtime.Call()")));
    }

    [Fact]
    public void A_file_name_or_value_holding_a_tab_is_quoted_with_it_escaped()
    {
        var missing = CliRunner.Run(TimeSpan.FromSeconds(60), "train", "--data", "no\tsuch.parquet", "--out", files.Scratch("tab-data"));
        CliRunner.AssertOneLineFailure(missing, "error: no\\tsuch.parquet: file not found");
        Assert.DoesNotContain('\t', missing.Error);
        var parse = CliRunner.Run(TimeSpan.FromSeconds(60), "train", "--data", files.Log, "--out", files.Scratch("tab-epochs"), "--epochs", "1\t2");
        CliRunner.AssertOneLineFailure(parse, "error: --epochs takes a whole number, got '1\\t2' (see --help)");
        Assert.DoesNotContain('\t', parse.Error);
    }
}
