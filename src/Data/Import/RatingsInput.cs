namespace InverseLearning.Data.Import;

/// <summary>One ratings file and the split its rows belong to (<see cref="SplitTag.Unassigned"/> when untagged).</summary>
public sealed record RatingsInput(string Path, SplitTag Split = SplitTag.Unassigned)
{
    /// <summary>Parses the command-line form <c>[SPLIT=]FILE</c>, SPLIT being train, valid (or validation) or test.</summary>
    public static RatingsInput Parse(string spec)
    {
        var equals = spec.IndexOf('=');
        // A file whose own name holds '=' is taken as it is.
        if (equals < 0 || File.Exists(spec)) return new RatingsInput(spec);
        var split = spec[..equals].Trim().ToLowerInvariant() switch
        {
            "train" => SplitTag.Train,
            "valid" or "validation" => SplitTag.Valid,
            "test" => SplitTag.Test,
            var other => throw new DataException($"--input {spec}: unknown split '{other}'; expected train, valid or test before '='."),
        };
        var path = spec[(equals + 1)..];
        if (path.Length == 0) throw new DataException($"--input {spec}: expected a file after '='.");
        return new RatingsInput(path, split);
    }
}
