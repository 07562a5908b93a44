using InverseLearning.Data.Simulation;

namespace InverseLearning.Data.Tests.Simulation;

/// <summary>
/// The true logit's terms are drawn in float32: a positive scale below the smallest float draws only zeros, so it is refused
/// naming its flag rather than passing the all-zero check and simulating a constant logit.
/// </summary>
public class FloatScaleTests
{
    private static readonly SimulatorOptions Tiny = SimulatorPresets.Get("tiny");

    [Theory]
    [InlineData("--preference-scale")]
    [InlineData("--user-bias-scale")]
    [InlineData("--item-bias-scale")]
    public void A_positive_scale_that_is_0_in_float32_is_refused_naming_its_flag(string flag)
    {
        const double belowFloat = 1e-46;
        Assert.Equal(0f, (float)(belowFloat * 4));   // what the simulation's draws make of it, even four deviations out
        var o = flag switch
        {
            "--preference-scale" => Tiny with { PreferenceScale = belowFloat },
            "--user-bias-scale" => Tiny with { UserBiasScale = belowFloat },
            _ => Tiny with { ItemBiasScale = belowFloat },
        };

        var e = Assert.Throws<ArgumentException>(() => o.Validate());

        Assert.Equal($"{flag} must be 0 or more than 2^-150 (about 7.0E-46), below which a scale is 0 in float32, where the simulation draws, got 1E-46.", e.Message);
    }

    [Fact]
    public void The_probe_leaving_one_scale_below_float_is_refused_naming_it_not_simulated_with_no_liked_row()
    {
        var o = Tiny with { PreferenceScale = 0, UserBiasScale = 1e-46, ItemBiasScale = 0 };
        Assert.StartsWith("--user-bias-scale must be ", Assert.Throws<ArgumentException>(() => o.Validate()).Message);
    }

    [Fact]
    public void The_threshold_the_message_states_is_the_one_applied()
    {
        // 9.99E-46 was kept while the message said "at least 1E-45": the rule is "more than 2^-150", which rounds to 0 (ties to even).
        var half = Math.ScaleB(1, -150);
        Assert.Contains("more than 2^-150 (about 7.0E-46)", Assert.Throws<ArgumentException>(() => (Tiny with { PreferenceScale = half }).Validate()).Message);
        (Tiny with { PreferenceScale = Math.BitIncrement(half) }).Validate();
        (Tiny with { PreferenceScale = 9.99e-46 }).Validate();
    }

    [Fact]
    public void The_smallest_float_as_the_message_writes_it_and_0_are_kept()
    {
        (Tiny with { UserBiasScale = 1e-45 }).Validate();   // below float.Epsilon as a double, but float32 rounds it up to it
        (Tiny with { UserBiasScale = float.Epsilon }).Validate();
        (Tiny with { PreferenceScale = 0, ItemBiasScale = 0 }).Validate();
    }

    /// <summary>Each flag within its bound, the product past .NET's longest array: the world's allocation overflowed, a stack trace.</summary>
    [Theory]
    [InlineData(10_000_000, 1, 215, "--users × --factors must be at most 2,147,483,591 (the user factors are one array of that product), got 10,000,000 × 215 = 2,150,000,000; lower --users or --factors.")]
    [InlineData(1, 50_000_000, 43, "--items × --factors must be at most 2,147,483,591 (the video factors are one array of that product), got 50,000,000 × 43 = 2,150,000,000; lower --items or --factors.")]
    public void A_factor_table_past_the_longest_array_is_refused_naming_both_flags(int users, int items, int factors, string expected)
    {
        var options = Tiny with { Users = users, Items = items, Impressions = users, Factors = factors };

        Assert.Equal(expected, Assert.Throws<ArgumentException>(() => options.Validate()).Message);
        (options with { Factors = factors - 1 }).Validate(); // one factor fewer fits
    }
}
