using InverseLearning.Training.Strategies;

namespace InverseLearning.Training.Tests.Strategies;

/// <summary>The strategy registry: options unique and offered with every plugin's, each strategy turned on by its own options only, and the plan shaped in registry order.</summary>
public class StrategyRegistryTests
{
    private static readonly TrainSettings Plain = new();

    [Fact]
    public void Every_strategy_option_is_declared_once_and_validated_with_the_settings()
    {
        var flags = TrainSettings.DeclaredOptions.Select(o => o.Flag).ToList();
        Assert.Equal(flags.Distinct(), flags);
        Assert.All(StrategyRegistry.Options, o => Assert.Contains(o, TrainSettings.DeclaredOptions));
        var error = Assert.Throws<ArgumentException>(() => Plain.WithOption(Finetune.Epochs, 1.5).Validate());
        Assert.Equal("--finetune-epochs must be a whole number from 0 to 100,000, got 1.5", error.Message);
    }

    [Fact]
    public void A_strategy_is_on_only_when_its_own_options_say_so()
    {
        Assert.Empty(StrategyRegistry.On(Plain));
        var on = Plain.WithOption(Warmup.Epochs, 1).WithOption(Colliding.Neighbors, 2);
        Assert.Equal(["warm-up", "colliding"], StrategyRegistry.On(on).Select(s => s.Name));
        Assert.Equal(["finetune"], StrategyRegistry.On(Plain.WithOption(Finetune.Epochs, 1)).Select(s => s.Name));
    }

    [Fact]
    public void A_switch_option_is_off_by_default_and_accepts_only_on_or_off()
    {
        Assert.True(Colliding.Tune.Switch);
        Assert.Equal(0, Plain.Option(Colliding.Tune));
        Assert.NotNull(Colliding.Tune.Check(0.5));
        Assert.Null(Colliding.Tune.Check(1));
    }

    [Fact]
    public void Colliding_needs_the_warm_up_and_tuning_needs_colliding()
    {
        Assert.Contains("needs --warmup-epochs", new Colliding().Check(Plain.WithOption(Colliding.Neighbors, 3)));
        Assert.Null(new Colliding().Check(Plain.WithOption(Colliding.Neighbors, 3).WithOption(Warmup.Epochs, 1)));
        Assert.Contains("--colliding-tune needs --colliding-neighbors", new Colliding().Check(Plain.WithOption(Colliding.Tune, 1)));
    }
}
