using InverseLearning.Training.Plugins;
using InverseLearning.Training.Methods;

namespace InverseLearning.Training.Tests.Plugins;

/// <summary>PluginOption.Check: the bounds, exclusive maxima, integers, NaN, and the one line it returns.</summary>
public class PluginOptionTests
{
    private static readonly PluginOption Rate = new("rate", "a rate", 0.5, 0, 1);
    private static readonly PluginOption Prior = new("prior", "a prior", 0.1, 0, 1, MaxExclusive: true);
    private static readonly PluginOption Count = new("count", "a count", 3, 1, 10, Integer: true);
    private static readonly PluginOption Unbounded = new("size", "a size", 1, 1, double.PositiveInfinity);

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.25)]
    [InlineData(1.0)]
    public void Values_in_a_closed_range_pass_including_both_bounds(double value) => Assert.Null(Rate.Check(value));

    [Theory]
    [InlineData(-0.01, "--rate must be in [0, 1], got -0.01")]
    [InlineData(1.5, "--rate must be in [0, 1], got 1.5")]
    [InlineData(double.NaN, "--rate must be in [0, 1], got NaN")]
    public void Values_outside_are_named_with_the_range(double value, string expected) => Assert.Equal(expected, Rate.Check(value));

    [Fact]
    public void An_exclusive_maximum_refuses_the_maximum_itself()
    {
        Assert.Equal("--prior must be in [0, 1), got 1", Prior.Check(1));
        Assert.Null(Prior.Check(0.999));
        Assert.Null(Prior.Check(0));
    }

    [Fact]
    public void Integer_options_refuse_fractions_and_say_so()
    {
        Assert.Null(Count.Check(1));
        Assert.Null(Count.Check(10));
        Assert.Equal("--count must be a whole number from 1 to 10, got 2.5", Count.Check(2.5));
        Assert.Equal("--count must be a whole number from 1 to 10, got 11", Count.Check(11));
        Assert.Equal("--count must be a whole number from 1 to 10, got 0", Count.Check(0));
        Assert.Equal("--size must be a whole number from 1 to 100,000, got 1,000,000", new PluginOption("size", "a size", 1, 1, 100_000, Integer: true).Check(1e6));
    }

    [Fact]
    public void Integer_options_are_refused_by_the_whole_numbers_their_bounds_allow()
    {
        // A plugin may declare exclusive or fractional bounds, or none above: the range is said in the whole numbers it allows.
        var open = new PluginOption("open", "open bounds", 1, 0, 10, Integer: true, MaxExclusive: true, MinExclusive: true);
        Assert.Null(open.Check(1));
        Assert.Null(open.Check(9));
        Assert.Equal("--open must be a whole number from 1 to 9, got 0", open.Check(0));
        Assert.Equal("--open must be a whole number from 1 to 9, got 10", open.Check(10));
        Assert.Equal("--halves must be a whole number from 1 to 2, got 3", new PluginOption("halves", "fractional bounds", 1, 0.5, 2.5, Integer: true).Check(3));
        Assert.Equal("--steps must be a whole number of at least 1, got 0", new PluginOption("steps", "no maximum", 1, 1, double.PositiveInfinity, Integer: true).Check(0));
    }

    [Fact]
    public void An_unbounded_option_states_its_minimum_only()
    {
        Assert.Null(Unbounded.Check(1e300));
        Assert.Equal("--size must be at least 1, got 0.5", Unbounded.Check(0.5));
    }

    [Fact]
    public void Every_declared_default_is_valid() =>
        Assert.All(MethodRegistry.Options, o => Assert.Null(o.Check(o.Default)));
}
