using InverseLearning.Training.Methods;
using InverseLearning.Training.Methods.InverseGradient;
using InverseLearning.Training.Models;
using InverseLearning.Training.Optimizers;
using InverseLearning.Training.Plans;
using InverseLearning.Training.Reports;
using InverseLearning.Training.Runtime;
using InverseLearning.Training.Tests.Reports;

namespace InverseLearning.Training.Tests.Methods.InverseGradient;

/// <summary>What IG's meta-step keeps besides parameters: its convergence records (numbered by the run's step), their checkpoint state, its reports, and the objective's inputs.</summary>
public class CandidateStepRecordsTests
{
    private static TrainingEngine Engine() =>
        new(new HostParameterStore(new Gmf(2), userRows: 3, itemRows: 4, stateSlots: 2, seed: 3), new Adam(), new ExecutionDevice("cpu", 1), maxRows: 8);

    // Labeled (1, 1, y = 1) and (2, 3, y = 0); unlabeled (1, 2).
    private static StepRows Rows()
    {
        var rows = new StepRows(8, 4);
        rows.Set([1, 2, 1], [1, 3, 2], [1f, 0f], 2, [1, 2], [0, 1, 0], [1, 3, 2], [0, 1, 2]);
        return rows;
    }

    private sealed class InputsRecorder : IObjectiveInputs
    {
        public List<long> Bound { get; } = [];
        public void Bind(GraphSession step, StepRows rows, long phaseIteration) => Bound.Add(phaseIteration);
    }

    private static CandidateStep SteppedTwice(InputsRecorder? inputs = null)
    {
        using var engine = Engine();
        using var context = new StepContext(engine, freshOptimizer: false) { LearningRate = 0.01f, Epoch = 3, Iteration = 7, PhaseIteration = 2 };
        var program = new CandidateStep(0.05f);
        var objective = new Objective("labeled-bce", Objectives.LabeledBce, inputs);
        program.Step(context, Rows(), objective);
        (context.Epoch, context.Iteration, context.PhaseIteration) = (4, 8, 3);
        program.Step(context, Rows(), objective);
        return program;
    }

    [Fact]
    public void Each_meta_step_is_recorded_under_its_epoch_and_the_runs_step_number_from_one_and_binds_the_phases_step_count()
    {
        var inputs = new InputsRecorder();
        var program = SteppedTwice(inputs);
        Assert.Equal([(3, 8), (4, 9)], program.Convergence.Records.Select(r => (r.Epoch, r.Step)));
        Assert.Equal([2L, 3L], inputs.Bound);
    }

    [Fact]
    public void Its_state_carries_the_convergence_records_into_a_resumed_step()
    {
        var program = SteppedTwice();
        using var buffer = new MemoryStream();
        program.SaveState(new BinaryWriter(buffer));
        buffer.Position = 0;
        var resumed = new CandidateStep(0.05f);
        resumed.LoadState(new BinaryReader(buffer));
        Assert.Equal(program.Convergence.Records, resumed.Convergence.Records);
        Assert.Equal(buffer.Length, buffer.Position);
    }

    [Fact]
    public void Reports_are_the_convergence_csv_and_plot_and_nothing_before_the_first_step()
    {
        using var folder = new TempFolder();
        new CandidateStep(0.05f).WriteReports(folder.Path);
        Assert.Empty(Directory.GetFiles(folder.Path));

        var program = SteppedTwice();
        program.WriteReports(folder.Path);
        Assert.Equal(program.Convergence.Records, ConvergenceCsv.Read(Path.Combine(folder.Path, ConvergenceLog.FileName)));
        Assert.True(new FileInfo(Path.Combine(folder.Path, "convergence.png")).Length > 0);
    }
}
