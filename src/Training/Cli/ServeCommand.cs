using System.CommandLine;
using System.CommandLine.Parsing;
using InverseLearning.Serving;

namespace InverseLearning.Training.Cli;

/// <summary>
/// `serve --model PATH | --model-dir REPO`: a convenience that runs the serving host
/// (`inverselearning-serve`) with the same flags, until Ctrl+C, SIGTERM or SIGHUP.
/// </summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve", "Serve an exported model.onnx over gRPC (Ranker: Score, Rank, Recommend, GetModelInfo, RankStream, RankBatch) with health, reflection and Prometheus metrics; "
            + "runs the serving host inverselearning-serve, whose settings may also come from its appsettings.json and from environment variables (Ranking__MaxTopK).");
        // The host's own parser (ServeFlags) reads the flags, as inverselearning-serve's does: these options give the help, and take any
        // number of values each, so that this parser refuses nothing for that one to word otherwise. Typed here, they disagreed:
        // `--port 1 --port 2` was refused here and taken by the host, `--no-watch=yes` called 'yes' an unknown argument here.
        foreach (var flag in ServeFlags.All)
            command.Options.Add(new Option<string[]>(flag.Name)
            {
                Description = flag.Help,
                HelpName = flag.Kind switch { ServeFlags.Kind.TurnsOff => "true|false", ServeFlags.Kind.Text => "value", _ => "N" },
                Arity = ArgumentArity.ZeroOrMore,
            });
        // A flag the host does not have, or a word that is no flag's value, goes to the host's parser as well, which refuses it as
        // inverselearning-serve does: this parser said `serve has no flag --bogus` and System.CommandLine's "Unrecognized command or argument".
        command.TreatUnmatchedTokensAsErrors = false;

        command.SetAction(async (parsed, cancellationToken) =>
        {
            // The arguments after the verb, as given (a value joined by '=' comes apart, which the host takes alike).
            var args = parsed.Tokens.SkipWhile(token => token.Type != TokenType.Command).Skip(1).Select(token => token.Value).ToList();
            // The host takes Ctrl+C, SIGTERM and SIGHUP itself (a drain, and a line saying which).
            return await RankingServer.RunAsync(args, cancellationToken);
        });
        return command;
    }
}
