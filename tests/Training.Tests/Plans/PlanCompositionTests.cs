using InverseLearning.Data;
using InverseLearning.Training.Methods;
using InverseLearning.Training.Methods.InverseGradient;
using InverseLearning.Training.Plans;
using InverseLearning.Training.Strategies;
using InverseLearning.Training.Tests.EndToEnd;

namespace InverseLearning.Training.Tests.Plans;

/// <summary>What the methods and RunPlan build, without training: phases, schedules, passes, data, parts.</summary>
public class PlanCompositionTests : IClassFixture<TinyFeed>
{
    private readonly TinyFeed _feed;

    public PlanCompositionTests(TinyFeed feed) => _feed = feed;

    private static TrainSettings Settings(string method, int ng = 3) => new()
    {
        Model = "gmf", Method = method, Epochs = 4, LearningRate = 0.03, Ng = ng, Dim = 8, Threads = 1, Seed = 5,
    };

    private PlanContext Context(TrainSettings settings) => new(settings, _feed.Data, new UnseenItemSampler(_feed.Data.Seen, _feed.Data.Items.Count));

    private TrainingPlan Build(TrainSettings settings) => RunPlan.Build(Context(settings));

    [Theory]
    [InlineData("ns", 3)]
    [InlineData("none", 0)]
    [InlineData("cw", 3)]
    public void One_pass_methods_train_every_training_row_with_ng_sampled_rows_when_they_use_them(string method, int unlabeledPerRow)
    {
        var plan = Build(Settings(method));
        var phase = Assert.Single(plan.Phases);
        Assert.Equal(method, phase.Name);
        Assert.Equal(new PhaseSchedule(4, 0.03), phase.Schedule);
        Assert.Null(phase.OnCompleted);
        var pass = Assert.Single(phase.Passes);
        Assert.Same(_feed.Data.Train, pass.Data.Rows(_feed.Data));
        Assert.Equal((unlabeledPerRow, 0), (pass.Data.UnlabeledPerRow, pass.Data.Stream));
        Assert.Same(PlainStep.Instance, pass.Program);
        Assert.Null(pass.Transform);
        Assert.Same(pass.Objective, plan.Primary);
        Assert.Equal(4, plan.TotalEpochs);
        Assert.Empty(plan.StatefulParts);
    }

    [Fact]
    public void Ig_trains_training_train_plainly_then_meta_steps_on_training_test_with_sampled_rows()
    {
        var settings = Settings("ig").WithOption(InverseGradientMethod.SampleLearningRate, 0.125);
        var plan = Build(settings);
        var phase = Assert.Single(plan.Phases);
        Assert.Equal(["ig: training-train", "ig: training-test"], phase.Passes.Select(p => p.Name));
        var (plain, meta) = (phase.Passes[0], phase.Passes[1]);
        Assert.Same(_feed.Data.TrainTrain, plain.Data.Rows(_feed.Data));
        Assert.Same(_feed.Data.TrainTest, meta.Data.Rows(_feed.Data));
        Assert.Equal([(0, 0), (3, 1)], phase.Passes.Select(p => (p.Data.UnlabeledPerRow, p.Data.Stream)));
        Assert.Same(PlainStep.Instance, plain.Program);
        var step = Assert.IsType<CandidateStep>(meta.Program);
        Assert.Equal(["bce", "labeled-bce"], phase.Passes.Select(p => p.Objective.Key));
        Assert.Same(plain.Objective, plan.Primary);
        Assert.Equal([step], plan.StatefulParts);
        Assert.Equal([step], plan.ReportingParts);
    }

    [Fact]
    public void Batch_transforms_and_objective_inputs_come_from_the_methods_options()
    {
        var dns = Assert.Single(Build(Settings("dns")).Phases).Passes.Single();
        Assert.IsType<DynamicNegativeSampling.HardestOfCandidates>(dns.Transform);
        var srnsPlan = Build(Settings("srns"));
        var srns = srnsPlan.Phases.Single().Passes.Single();
        Assert.Same(srns.Transform, Assert.Single(srnsPlan.StatefulParts));
        Assert.IsType<Srns.Memory>(srns.Transform);

        var tce = Build(Settings("tce").WithOption(TruncatedLoss.MaxDropRate, 0.5).WithOption(TruncatedLoss.Warmup, 10)).Phases.Single().Passes.Single();
        var schedule = Assert.IsType<TruncatedLoss.DropSchedule>(tce.Objective.Inputs);
        Assert.Equal(0.25, schedule.DropRate(5), 12);
        Assert.Equal(0.5, schedule.DropRate(11), 12);
        Assert.Equal(["tce", "rce", "idl", "cw"], new[] { "tce", "rce", "idl", "cw" }.Select(m => Build(Settings(m)).Primary.Key));
    }

    [Fact]
    public void Finetune_alone_follows_the_method_which_keeps_its_optimizer()
    {
        var plan = Build(Settings("ns").WithOption(Finetune.Epochs, 2));
        Assert.Equal(["ns", "finetune"], plan.Phases.Select(p => p.Name));
        Assert.False(plan.Phases[0].Schedule.ResetOptimizer);
        var finetune = plan.Phases[1];
        Assert.Equal(new PhaseSchedule(2, 0.03, ResetOptimizer: true, CompetesForBest: true, RestartsSelection: true, EpochsFlag: "--finetune-epochs"), finetune.Schedule);
        var pass = finetune.Passes.Single();
        Assert.Same(_feed.Data.Extra.Train, pass.Data.Rows(_feed.Data));
        // The plan numbers the strategy's source after the method's (ns: stream 0).
        Assert.Equal((3, 1), (pass.Data.UnlabeledPerRow, pass.Data.Stream));
        Assert.Same(PlainStep.Instance, pass.Program);
        Assert.Equal("bce", pass.Objective.Key);
        Assert.Equal("bce", plan.Primary.Key);
        Assert.Equal(6, plan.TotalEpochs);
    }

    [Fact]
    public void Warm_up_precedes_the_method_samples_at_least_one_negative_and_hands_its_end_to_the_embeddings()
    {
        var plan = Build(Settings("ig", ng: 0).WithOption(Warmup.Epochs, 3).WithOption(Colliding.Neighbors, 5));
        Assert.Equal(["warm-up", "ig"], plan.Phases.Select(p => p.Name));
        var warmup = plan.Phases[0];
        Assert.Equal(new PhaseSchedule(3, 0.03, ResetOptimizer: false, CompetesForBest: false, EpochsFlag: "--warmup-epochs"), warmup.Schedule);
        var embeddings = Assert.IsType<WarmupUserEmbeddings>(warmup.OnCompleted);
        var pass = warmup.Passes.Single();
        Assert.Same(_feed.Data.Extra.Train, pass.Data.Rows(_feed.Data));
        Assert.Equal((1, 2), (pass.Data.UnlabeledPerRow, pass.Data.Stream));
        // The method's phase is IG's own but for its fresh optimizer.
        var ig = plan.Phases[1];
        Assert.True(ig.Schedule.ResetOptimizer);
        Assert.Equal(2, ig.Passes.Count);
        Assert.Contains(embeddings, plan.StatefulParts);
        Assert.Equal(2, plan.StatefulParts.Count);
        Assert.Null(Build(Settings("ns").WithOption(Warmup.Epochs, 1)).Phases[0].OnCompleted);
    }

    [Fact]
    public void The_data_sources_name_their_sets_and_the_plan_numbers_their_streams()
    {
        Assert.Same(_feed.Data.Train, DataSource.Train(1).Rows(_feed.Data));
        Assert.Same(_feed.Data.TrainTrain, DataSource.TrainingTrain(1).Rows(_feed.Data));
        Assert.Same(_feed.Data.TrainTest, DataSource.TrainingTest(2).Rows(_feed.Data));
        Assert.Equal([1, 1, 2], new[] { DataSource.Train(1), DataSource.TrainingTrain(1), DataSource.TrainingTest(2) }.Select(d => d.UnlabeledPerRow));
        Assert.All(new[] { DataSource.Train(1), DataSource.TrainingTrain(1), DataSource.TrainingTest(2) }, d => Assert.Null(d.Stream));
    }

    [Fact]
    public void The_plan_numbers_each_unnumbered_source_once_in_plan_order_and_keeps_given_numbers()
    {
        var shared = DataSource.Train(0);
        var bce = new Objective("bce", Objectives.Bce);
        Pass PassOver(DataSource source) => new("pass", source, bce, PlainStep.Instance);
        var plan = new TrainingPlan(
        [
            new Phase("a", new PhaseSchedule(1, 0.1), [PassOver(shared), PassOver(DataSource.TrainingTest(1))]),
            new Phase("b", new PhaseSchedule(1, 0.1), [PassOver(shared), PassOver(DataSource.Train(0) with { Stream = 9 })]),
        ], bce).WithStreams(first: 4);
        Assert.Equal([4, 5, 4, 9], plan.Phases.SelectMany(p => p.Passes).Select(p => p.Data.Stream!.Value));
        Assert.Equal(10, plan.NextStream);
        Assert.Equal([0, 1], Build(Settings("ig")).Phases.Single().Passes.Select(p => p.Data.Stream!.Value));
    }
}
