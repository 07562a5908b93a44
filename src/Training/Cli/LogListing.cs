using InverseLearning.Data;

namespace InverseLearning.Training.Cli;

/// <summary>
/// The log a command's --data and --where name, listed once: every read of it in the command reads the same parts (a part
/// added meanwhile is in none of them), which a run's checkpoint then records. For eval, export and --resume of a checkpoint that
/// records them, the parts its run read and no other, with one line on stderr naming those added since.
/// </summary>
internal sealed class LogListing
{
    private readonly Dictionary<(string Data, string? Where), LogDataset> _listed = [];
    private (IReadOnlyList<ReadPart> Parts, string Checkpoint)? _run;

    private IReadOnlyList<string> _added = [];

    /// <summary>Reads from now on the parts <paramref name="parts"/> names; a checkpoint written before runs recorded them (null) reads the lake as it is.</summary>
    public void ReadAsRunRead(IReadOnlyList<ReadPart>? parts, string checkpoint)
    {
        if (parts is null || _run?.Checkpoint == checkpoint) return;   // once: the note is told at the first listing after it
        _run = (parts, checkpoint);
        _listed.Clear();
    }

    /// <summary>
    /// The parts the lake holds now, under --where, that the checkpoint's run did not read: added since, mostly. None, the log
    /// not listed, before <see cref="ReadAsRunRead"/> (a log that is not there is then refused where it is read, not here).
    /// </summary>
    public IReadOnlyList<string> AddedSinceRun(string data, string? where)
    {
        if (_run is null) return [];
        Open(data, where);
        return _added;
    }

    public LogDataset Open(string data, string? where)
    {
        if (_listed.TryGetValue((data, where), out var listed)) return listed;
        var dataset = LogDataset.Open(data, where);
        if (_run is { } run && !dataset.IsOneFile)
        {
            dataset = dataset.OnlyRead(run.Parts, run.Checkpoint, out var added);
            _added = added;
            if (added.Count > 0)
                Console.Error.WriteLine($"note: {Counted.Of(added.Count, "part file")} of {data} that {run.Checkpoint}'s run did not read ({added[0]}{(added.Count > 1 ? " and more" : "")}) " +
                    $"{(added.Count == 1 ? "is" : "are")} left out: the log is read as the run read it, {Counted.Of(dataset.Parts.Count, "part file")}");
        }
        return _listed[(data, where)] = dataset;
    }
}
