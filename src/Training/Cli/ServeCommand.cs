using System.CommandLine;
using InverseLearning.Serving;

namespace InverseLearning.Training.Cli;

/// <summary>
/// `serve --model PATH | --model-dir REPO`: a convenience that runs the serving host
/// (`inverselearning-serve`) with the same arguments, until Ctrl+C, SIGTERM or SIGHUP.
/// </summary>
public static class ServeCommand
{
    public const string Verb = "serve";

    /// <summary>
    /// The serving host, handed the arguments after the verb as given: read by System.CommandLine they were not what
    /// inverselearning-serve reads (`@file` expanded, `--port:1` split at ':', `--port=` dropped, `/?` its own help).
    /// </summary>
    public static Task<int> RunAsync(IReadOnlyList<string> hostArguments, CancellationToken cancellationToken) =>
        // The host takes Ctrl+C, SIGTERM and SIGHUP itself (a drain, and a line saying which), and `--help` (its list of flags).
        RankingServer.RunAsync(hostArguments, cancellationToken);

    /// <summary>
    /// The verb as `inverselearning --help` lists it; <see cref="CliApp"/> runs it before System.CommandLine reads the line, which has
    /// no response files (`inverselearning @args` naming the verb would have handed the host System.CommandLine's reading of them).
    /// </summary>
    public static Command Create()
    {
        var command = new Command(Verb, "Serve an exported model.onnx over gRPC (Ranker: Score, Rank, Recommend, GetModelInfo, RankStream, RankBatch) with health, reflection and Prometheus metrics; "
            + "runs the serving host inverselearning-serve with the arguments as given, whose settings may also come from its appsettings.json and from environment variables (Ranking__MaxTopK). "
            + "`inverselearning serve --help` lists its flags.");
        return command;
    }
}
