using static InverseLearning.Serving.Tests.ServeExecutables;

namespace InverseLearning.Serving.Tests;

/// <summary>
/// README: `inverselearning serve` is `inverselearning-serve`. The verb handed the host what System.CommandLine made of its
/// arguments, so it took forms the host refuses and printed a help of its own.
/// </summary>
public sealed class ServeVerbAgreementTests
{
    [Theory]
    [InlineData("--port:1234")] // System.CommandLine splits a value off at ':' as at '='
    [InlineData("--no-watch:true")]
    [InlineData("--port:")]
    [InlineData("--port=")] // the empty value was dropped, and --port took the next flag as its value
    [InlineData("@RESPONSE_FILE")] // expanded into the file's lines
    [InlineData("/?")] // System.CommandLine's help, which the host calls an unknown argument
    [InlineData("/h")]
    [InlineData("--help:x")]
    [InlineData("--help")] // System.CommandLine's help, not the host's list of flags with their keys and defaults
    [InlineData("-h")]
    [InlineData("-?")]
    [InlineData("--port", "1", "--help")]
    // Forms both read alike already, kept so that they stay so.
    [InlineData("--")]
    [InlineData("--", "--port", "1")]
    [InlineData("extra")]
    [InlineData("")]
    [InlineData("--port", "1", "--port", "2")]
    [InlineData("--port=abc")]
    [InlineData("--no-watch", "yes")]
    [InlineData("-port", "1")]
    [InlineData("--version")]
    public void Serve_takes_refuses_and_helps_as_inverselearning_serve_does(params string[] given)
    {
        var folder = Directory.CreateTempSubdirectory("serving-tests-").FullName;
        try
        {
            // A response file whose lines would be good flags, were it read as one.
            var responseFile = Path.Combine(folder, "flags.rsp");
            File.WriteAllLines(responseFile, ["--port", "0"]);
            // No model there: a form taken by either fails its start at once, in words that differ from a refusal's.
            string[] args = [.. given.Select(arg => arg.Replace("RESPONSE_FILE", responseFile)), "--model", Path.Combine(folder, "missing.onnx"), "--metrics-port", "-1"];

            var (hostCode, hostError) = Run("inverselearning-serve", [], args, out var hostOutput);
            var (verbCode, verbError) = Run("inverselearning", [], ["serve", .. args], out var verbOutput);

            Assert.Equal((hostCode, FirstLine(hostError)), (verbCode, FirstLine(verbError)));
            Assert.Equal(hostOutput, verbOutput);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Serve_named_in_a_response_file_is_refused_rather_than_served_with_arguments_read_otherwise()
    {
        // `inverselearning @file` reached the verb through System.CommandLine, whose reading of the rest (`--port:0` split at ':')
        // is what inverselearning-serve refuses: the host started with it. The trainer's command line has no response files now.
        var folder = Directory.CreateTempSubdirectory("serving-tests-").FullName;
        try
        {
            var responseFile = Path.Combine(folder, "serve.rsp");
            File.WriteAllLines(responseFile, ["serve", "--port:0", "--model", Path.Combine(folder, "missing.onnx"), "--metrics-port", "-1"]);

            var (code, error) = Run("inverselearning", [], [$"@{responseFile}"], out _);

            Assert.Equal(1, code);
            Assert.StartsWith("error: no verb '@", error.Trim());
            Assert.Contains("': expected one of inspect, datagen, ", error);
            Assert.Single(error.Trim().Split('\n'));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string FirstLine(string text) => text.Split('\n')[0];
}
