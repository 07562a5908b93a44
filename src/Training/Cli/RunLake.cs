namespace InverseLearning.Training.Cli;

/// <summary>
/// What eval and --resume know of a checkpoint's run's lake, beside the parts it read: the parts --data and --where hold now that
/// it did not read (<see cref="NotRead"/>, full paths), and every part the lake held as the run began (<see cref="Listed"/>, below
/// the lake's root), which tells those its --where or glob left out from those added since; null in a checkpoint written before
/// runs recorded it.
/// </summary>
public sealed record RunLake(IReadOnlyList<string> NotRead, IReadOnlyList<string>? Listed);
