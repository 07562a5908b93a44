namespace InverseLearning.Training.Plans;

/// <summary>Runs once when a phase has trained its last epoch, before that epoch's checkpoint is written.</summary>
public interface IPhaseHook
{
    void PhaseCompleted(StepContext context);
}
