using InverseLearning.Training.Models;

namespace InverseLearning.Training.Tests.Models;

/// <summary>The backbone registry: one list, looked up by name, each backbone building the model of its name with its declared options.</summary>
public class ModelRegistryTests
{
    [Fact]
    public void Every_backbone_builds_the_model_of_its_name()
    {
        Assert.Equal(["gmf", "neumf", "mlp", "cdae", "lightgcn"], ModelRegistry.Names);
        foreach (var name in ModelRegistry.Names) Assert.Equal(name, ModelRegistry.Create(name, dim: 4, layers: 2).Name);
    }

    [Fact]
    public void An_unknown_model_is_refused_naming_the_flag_and_the_choices()
    {
        var error = Assert.Throws<ArgumentException>(() => ModelRegistry.Get("gnn"));
        Assert.Equal("--model: unknown model 'gnn', expected one of gmf, neumf, mlp, cdae, lightgcn", error.Message);
    }

    [Fact]
    public void A_backbone_reads_its_own_options()
    {
        var settings = new TrainSettings { Model = "lightgcn", Dim = 4 }.WithOption(LightGcnBackbone.Layers, 5);
        Assert.Equal(5, ((LightGcn)ModelRegistry.Create(new ModelContext(settings, 3, 3))).Layers);
        var tower = (NeuMf)ModelRegistry.Create(new ModelContext(new TrainSettings { Model = "neumf", Dim = 4 }.WithOption(TowerOptions.Layers, 1), 3, 3));
        Assert.Equal(["mlp0.weight", "mlp0.bias", "predict.weight", "predict.bias"], tower.Dense.Select(d => d.Name));
        Assert.Equal(new Dictionary<string, double> { ["layers"] = 1, ["dropout"] = 0 },
            new NeuMfBackbone().Settings(new TrainSettings().WithOption(TowerOptions.Layers, 1)));
    }

    [Fact]
    public void A_tower_too_wide_for_its_layers_is_refused_by_its_backbone()
    {
        var settings = new TrainSettings { Model = "mlp", Dim = 4096 }.WithOption(TowerOptions.Layers, 4);
        Assert.Contains("the width of mlp's MLP tower", Assert.Throws<ArgumentException>(settings.Validate).Message);
        Assert.Null(new GmfBackbone().Check(settings with { Model = "gmf" }));
    }
}
