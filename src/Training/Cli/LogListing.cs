using InverseLearning.Data;

namespace InverseLearning.Training.Cli;

/// <summary>
/// The log a command's --data and --where name, listed once: every read of it in the command reads the same parts (a part
/// added meanwhile is in none of them), which a run's checkpoint then records. For eval, export and --resume of a checkpoint that
/// records them, and for a cluster run's worker, the parts the run (its coordinator) read and no other, with one line on stderr naming
/// those added since (and one naming those its --where or glob left out, where the lake is given without them).
/// </summary>
internal sealed class LogListing
{
    private readonly Dictionary<(string Data, string? Where), LogDataset> _listed = [];
    private (IReadOnlyList<ReadPart> Parts, IReadOnlyList<string>? Listing, PartsReader Reader)? _run;

    private IReadOnlyList<LogDataset.Part> _notRead = [];

    /// <summary>
    /// Reads from now on the parts <paramref name="parts"/> names, of the lake <paramref name="reader"/> listed as <paramref name="listing"/>
    /// (null where it is not recorded); a checkpoint written before runs recorded their parts (null) reads the lake as it is.
    /// </summary>
    public void ReadAsRunRead(IReadOnlyList<ReadPart>? parts, IReadOnlyList<string>? listing, PartsReader reader)
    {
        if (parts is null || _run?.Reader == reader) return;   // once: the note is told at the first listing after it
        _run = (parts, listing, reader);
        _listed.Clear();
    }

    /// <summary>
    /// What the checkpoint's run did not read of the lake as it is now, under --where, and what it listed as it began. Null, the log
    /// not listed, before <see cref="ReadAsRunRead"/> (a log that is not there is then refused where it is read, not here), and for one file.
    /// </summary>
    public RunLake? RunLake(string data, string? where)
    {
        if (_run is not { } run) return null;
        return Open(data, where).IsOneFile ? null : new RunLake([.. _notRead.Select(p => p.Path)], run.Listing);
    }

    public LogDataset Open(string data, string? where)
    {
        if (_listed.TryGetValue((data, where), out var listed)) return listed;
        var dataset = LogDataset.Open(data, where);
        if (_run is { } run && !dataset.IsOneFile)
        {
            dataset = dataset.OnlyRead(run.Parts, run.Listing, run.Reader, out _notRead);
            foreach (var line in Notes(data, run.Listing, run.Reader.Name, dataset.Parts.Count)) Console.Error.WriteLine(line);
        }
        return _listed[(data, where)] = dataset;
    }

    /// <summary>
    /// The parts left out, told: those added since the run listed the lake, and those its --where or glob left out; as one, "that
    /// the run did not read", where the checkpoint records no listing to tell them apart.
    /// </summary>
    private IEnumerable<string> Notes(string data, IReadOnlyList<string>? listing, string reader, int read)
    {
        var readAs = $"the log is read as the run read it, {Counted.Of(read, "part file")}";
        if (listing is null)
        {
            if (_notRead.Count > 0) yield return $"note: {Named(_notRead, $"of {data} that {reader} did not read")} left out: {readAs}";
            yield break;
        }
        var listed = listing.ToHashSet(StringComparer.Ordinal);
        var added = _notRead.Where(p => !listed.Contains(p.RelativePath)).ToList();
        var window = _notRead.Where(p => listed.Contains(p.RelativePath)).ToList();
        if (added.Count > 0) yield return $"note: {Named(added, $"added to {data} since {reader} listed it")} left out: {readAs}";
        if (window.Count > 0) yield return $"note: {Named(window, $"of {data} that {reader}'s --where or glob left out")} left out: {readAs}";
    }

    // "2 part files added ... (first and more) are", as a note names them.
    private static string Named(IReadOnlyList<LogDataset.Part> parts, string which) =>
        $"{Counted.Of(parts.Count, "part file")} {which} ({parts[0].Path}{(parts.Count > 1 ? " and more" : "")}) {(parts.Count == 1 ? "is" : "are")}";
}
