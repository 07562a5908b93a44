namespace InverseLearning.Data;

/// <summary>
/// A lake part a run read, as its checkpoint records it: its path below the lake's root (the folder --data names, or a glob's
/// root), the rows its footer declared, and its <see cref="PartStamp"/> (its length and its footer's hash), which tell the part
/// rewritten since, even with as many rows. A checkpoint written before runs recorded stamps has none (null): its parts are held
/// to their rows alone.
/// </summary>
public sealed record ReadPart(string Path, long Rows, PartStamp? Stamp = null);
