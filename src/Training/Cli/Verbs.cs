using System.CommandLine;

namespace InverseLearning.Training.Cli;

/// <summary>Every verb of the command line, in the order `--help` lists them.</summary>
public static class Verbs
{
    public static IEnumerable<Command> All()
    {
        yield return InspectCommand.Create();
        yield return DatagenCommand.Create();
        yield return ImportRatingsCommand.Create();
        yield return TrainCommand.Create();
        yield return EvalCommand.Create();
        yield return ExportCommand.Create();
        yield return ExperimentCommand.Create();
        yield return ServeCommand.Create();
        yield return SiloCommand.Create();
        yield return ClusterCommand.Create();
    }
}
