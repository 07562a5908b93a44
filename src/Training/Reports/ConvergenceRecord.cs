namespace InverseLearning.Training.Reports;

/// <summary>
/// One Inverse Gradient step: the BCE on the training-test batch at the direct (L⁺), inverse (L⁻)
/// and pass (L⁰) candidates, and the case chosen. <see cref="Step"/> is the trainer's step counter.
/// </summary>
public sealed record ConvergenceRecord(int Epoch, int Step, IgCase Case, double LossDirect, double LossInverse, double LossPass)
{
    /// <summary>The batch loss at the chosen candidate — the "test loss" of the paper's convergence figure.</summary>
    public double ChosenLoss => Case switch
    {
        IgCase.Direct => LossDirect,
        IgCase.Inverse => LossInverse,
        IgCase.Pass => LossPass,
        _ => throw new InvalidOperationException($"Unknown IG case {Case}."),
    };
}
