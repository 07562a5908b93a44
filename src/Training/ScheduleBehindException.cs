namespace InverseLearning.Training;

/// <summary>
/// A resumed run whose flags plan a schedule behind its checkpoint (fewer epochs than it trained, other phases, other epochs for
/// a phase it finished): train --resume refuses it in one line; an experiment trains that run again from scratch, saying <see cref="Reason"/>.
/// </summary>
public sealed class ScheduleBehindException(string reason) : ArgumentException($"--resume: {reason}")
{
    /// <summary>Why the run cannot go on from its checkpoint, with the flags that would let it.</summary>
    public string Reason => reason;
}
