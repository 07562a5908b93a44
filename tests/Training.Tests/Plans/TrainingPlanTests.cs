using InverseLearning.Training.Methods;
using InverseLearning.Training.Plans;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Tests.Plans;

/// <summary>Which parts of a plan are saved and which write reports: each once, in plan order, from every place a part can sit.</summary>
public class TrainingPlanTests
{
    private sealed class Part(string key) : IBatchTransform, IStepProgram, IObjectiveInputs, IPhaseHook, IStatefulPart, IReportingPart
    {
        public string StateKey => key;
        public void Apply(StepContext context, StepRows rows) { }
        public float Step(StepContext context, StepRows rows, Objective objective) => 0;
        public void Bind(GraphSession step, StepRows rows, long phaseIteration) { }
        public void PhaseCompleted(StepContext context) { }
        public void SaveState(BinaryWriter writer) { }
        public void LoadState(BinaryReader reader) { }
        public IReadOnlyList<string> WriteReports(string outputDirectory) => [];
    }

    private static Pass Pass(IBatchTransform? transform = null, IStepProgram? program = null, IObjectiveInputs? inputs = null) =>
        new("pass", DataSource.Train(0), new Objective("bce", Objectives.Bce, inputs), program ?? PlainStep.Instance, transform);

    [Fact]
    public void Parts_are_found_in_transforms_programs_objective_inputs_and_hooks_once_each_in_plan_order()
    {
        var (transform, program, inputs, hook) = (new Part("t"), new Part("p"), new Part("i"), new Part("h"));
        var plan = new TrainingPlan(
        [
            new Phase("one", new PhaseSchedule(2, 0.1), [Pass(transform: transform), Pass(program: program)], hook),
            new Phase("two", new PhaseSchedule(3, 0.1), [Pass(inputs: inputs), Pass(transform: transform, program: program)]),
        ], new Objective("bce", Objectives.Bce));

        Assert.Equal(["t", "p", "h", "i"], plan.StatefulParts.Select(p => p.StateKey));
        Assert.Equal<object>([transform, program, hook, inputs], plan.ReportingParts);
        Assert.Equal(5, plan.TotalEpochs);
    }

    [Fact]
    public void A_plan_of_plain_steps_has_no_parts() =>
        Assert.Empty(new TrainingPlan([new Phase("one", new PhaseSchedule(1, 0.1), [Pass()])], new Objective("bce", Objectives.Bce)).StatefulParts);
}
