using System.CommandLine;
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
        var options = ServeFlags.All.Select(flag => (Flag: flag, Option: flag.Kind == ServeFlags.Kind.TurnsOff
            ? (Option)new Option<bool>(flag.Name) { Description = flag.Help }
            : new Option<string>(flag.Name) { Description = flag.Help, HelpName = flag.Kind == ServeFlags.Kind.Text ? "value" : "N" })).ToArray();
        foreach (var (_, option) in options) command.Options.Add(option);

        command.SetAction(async (parsed, cancellationToken) =>
        {
            var args = new List<string>();
            foreach (var (flag, option) in options)
            {
                if (parsed.GetResult(option) is not { } given) continue;
                if (flag.Kind == ServeFlags.Kind.TurnsOff)
                {
                    if (parsed.GetValue((Option<bool>)option)) args.Add(flag.Name);
                }
                else args.AddRange([flag.Name, .. given.Tokens.Select(t => t.Value)]);
            }
            // The host takes Ctrl+C, SIGTERM and SIGHUP itself (a drain, and a line saying which).
            return await RankingServer.RunAsync(args, cancellationToken);
        });
        return command;
    }
}
