namespace InverseLearning.Training.Plans;

/// <summary>
/// A part of a plan that carries state from step to step (SRNS's memory, DNS's random
/// state, IG's convergence log): it is saved in every checkpoint and restored on resume,
/// so that a resumed run continues exactly as the uninterrupted one.
/// </summary>
public interface IStatefulPart
{
    /// <summary>Names the part's section in the checkpoint; unique within a plan.</summary>
    string StateKey { get; }

    void SaveState(BinaryWriter writer);

    /// <summary>Restores what <see cref="SaveState"/> wrote; malformed state throws <see cref="InvalidDataException"/>.</summary>
    void LoadState(BinaryReader reader);
}

/// <summary>A part of a plan that writes files of its own when the run ends.</summary>
public interface IReportingPart
{
    /// <summary>Writes the part's reports into <paramref name="outputDirectory"/>; returns the names of the files it wrote.</summary>
    IReadOnlyList<string> WriteReports(string outputDirectory);
}
