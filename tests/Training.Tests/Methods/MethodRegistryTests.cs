using InverseLearning.Training.Methods;
using InverseLearning.Training.Methods.InverseGradient;

namespace InverseLearning.Training.Tests.Methods;

public class MethodRegistryTests
{
    [Fact]
    public void Names_every_method_once_in_the_registrys_order()
    {
        Assert.Equal(["none", "ns", "tce", "rce", "dns", "srns", "cw", "idl", "ig"], MethodRegistry.Names);
        foreach (var name in MethodRegistry.Names) Assert.Equal(name, MethodRegistry.Get(name).Name);
        Assert.IsType<InverseGradientMethod>(MethodRegistry.Get("ig"));
        Assert.IsType<Srns>(MethodRegistry.Get("srns"));
    }

    [Fact]
    public void An_unknown_method_is_refused_listing_the_known_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => MethodRegistry.Get("IG"));
        Assert.Equal("--method: unknown method 'IG', expected one of none, ns, tce, rce, dns, srns, cw, idl, ig; did you mean ig?", error.Message);
    }

    [Fact]
    public void Options_are_every_methods_declared_options_with_unique_flags()
    {
        var declared = MethodRegistry.All.SelectMany(m => m.Options).ToList();
        Assert.Equal(declared, MethodRegistry.Options);
        Assert.Equal(declared.Count, declared.Select(o => o.Flag).Distinct().Count());
        Assert.Contains(Srns.MemorySize, MethodRegistry.Options);
        Assert.Contains(InverseGradientMethod.SampleLearningRate, MethodRegistry.Options);
        Assert.Contains(TruncatedLoss.Warmup, MethodRegistry.Options);
    }

    [Fact]
    public void A_methods_settings_are_its_options_values_defaults_filled_in()
    {
        var settings = new TrainSettings().WithOption(TruncatedLoss.MaxDropRate, 0.05);
        Assert.Equal(new Dictionary<string, double> { ["tce-max-drop"] = 0.05, ["tce-warmup"] = 30_000 }, MethodRegistry.Get("tce").Settings(settings));
        Assert.Empty(MethodRegistry.Get("ns").Settings(settings));
    }

    [Fact]
    public void Only_none_and_ig_train_without_sampled_unlabeled_rows_in_their_main_pass() =>
        Assert.Equal(["none", "ig"], MethodRegistry.All.Where(m => !m.UsesUnlabeledRows).Select(m => m.Name));
}
