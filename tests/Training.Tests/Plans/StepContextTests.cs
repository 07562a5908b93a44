using InverseLearning.Training.Methods;
using InverseLearning.Training.Models;
using InverseLearning.Training.Optimizers;
using InverseLearning.Training.Plans;
using InverseLearning.Training.Runtime;

namespace InverseLearning.Training.Tests.Plans;

/// <summary>The step context builds each graph once per key, and forgets its graphs when disposed.</summary>
public class StepContextTests
{
    private static TrainingEngine Engine() =>
        new(new HostParameterStore(new Gmf(2), userRows: 3, itemRows: 4, stateSlots: 2, seed: 3), new Adam(), new ExecutionDevice("cpu", 1), maxRows: 8);

    [Fact]
    public void A_graph_is_built_once_per_key_and_objectives_share_theirs_by_key()
    {
        using var engine = Engine();
        using var context = new StepContext(engine, freshOptimizer: true);
        var builds = 0;
        byte[] Build() { builds++; return StepGraphs.TrainStep(engine.Store.Model, Objectives.Bce, engine.Optimizer); }

        var first = context.Session("k", Build);
        Assert.Same(first, context.Session("k", Build));
        Assert.Equal(1, builds);
        Assert.NotSame(first, context.Session("other", Build));
        Assert.Equal(2, builds);

        var bce = context.Compile(new Objective("bce", Objectives.Bce));
        Assert.Same(bce, context.Compile(new Objective("bce", Objectives.LabeledBce)));
        Assert.NotSame(bce, context.Compile(new Objective("labeled-bce", Objectives.LabeledBce)));
        Assert.True(context.FreshOptimizer);
    }

    [Fact]
    public void Disposing_forgets_every_graph_so_the_next_request_builds_anew()
    {
        using var engine = Engine();
        var context = new StepContext(engine, freshOptimizer: false);
        var builds = 0;
        byte[] Build() { builds++; return StepGraphs.TrainStep(engine.Store.Model, Objectives.Bce, engine.Optimizer); }
        var before = context.Session("k", Build);
        context.Dispose();
        var after = context.Session("k", Build);
        Assert.NotSame(before, after);
        Assert.Equal(2, builds);
        Assert.False(context.FreshOptimizer);
        context.Dispose();
    }
}
