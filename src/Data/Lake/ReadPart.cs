namespace InverseLearning.Data;

/// <summary>
/// A lake part a run read, as its checkpoint records it: its path below the lake's root (the folder --data names, or a glob's
/// root), and the rows its footer declared, which tell the part rewritten since, as a streamed run's reader tells one rewritten while it reads.
/// </summary>
public sealed record ReadPart(string Path, long Rows);
