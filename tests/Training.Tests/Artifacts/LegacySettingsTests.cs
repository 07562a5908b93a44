using System.Text.Json.Nodes;
using InverseLearning.Training.Artifacts;
using InverseLearning.Training.Models;
using InverseLearning.Training.Strategies;
using InverseLearning.Training.Tests.EndToEnd;

namespace InverseLearning.Training.Tests.Artifacts;

/// <summary>Checkpoints written before backbones and strategies declared their options still resume, evaluate and export as they were trained.</summary>
public class LegacySettingsTests(TinyFeed feed) : IClassFixture<TinyFeed>
{
    [Fact]
    public void Fields_and_method_options_move_into_the_options_under_their_flags()
    {
        var settings = JsonNode.Parse("""
            {"model":"neumf","layers":2,"dropout":0.25,"cdae_corruption":0.1,"warmup_epochs":3,"finetune_epochs":1,
             "colliding_neighbors":7,"colliding_lambda":0.4,"colliding_max_ratio":0.3,"colliding_tune":true,"method_options":{"sample-lr":0.01}}
            """)!.AsObject();
        LegacySettings.Migrate(settings);
        var options = settings["options"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<double>());
        Assert.Equal(new Dictionary<string, double>
        {
            ["layers"] = 2, ["dropout"] = 0.25, ["cdae-corruption"] = 0.1, ["warmup-epochs"] = 3, ["finetune-epochs"] = 1, ["colliding-neighbors"] = 7,
            ["colliding-lambda"] = 0.4, ["colliding-max-ratio"] = 0.3, ["colliding-tune"] = 1, ["sample-lr"] = 0.01,
        }, options);
        Assert.Equal(["model", "options"], settings.Select(p => p.Key).Order());
    }

    [Fact]
    public void A_checkpoint_with_a_legacy_header_is_read_with_its_options()
    {
        var settings = new TrainSettings { Model = "neumf", Method = "ns", Epochs = 1, BatchSize = 256, Dim = 4, Threads = 1, Seed = 2 }
            .WithOption(TowerOptions.Layers, 2).WithOption(Warmup.Epochs, 1).WithOption(Colliding.Neighbors, 3);
        using var trainer = new Trainer(settings, feed.Data);
        var path = Path.Combine(feed.Scratch("legacy-checkpoint"), "checkpoint");
        Checkpoint.Save(path, trainer.Store, trainer.State, trainer.Plan.StatefulParts);
        CheckpointHeaders.Rewrite(path, header =>
        {
            var saved = header["run"]!["settings"]!.AsObject();
            var options = saved["options"]!.AsObject();
            foreach (var (flag, field) in new[] { ("layers", "layers"), ("warmup-epochs", "warmup_epochs"), ("colliding-neighbors", "colliding_neighbors") })
            {
                saved[field] = options[flag]!.GetValue<double>() is var v && flag == "colliding-neighbors" ? (int)v : v;
                options.Remove(flag);
            }
            saved["method_options"] = options.DeepClone();
            saved.Remove("options");
        });
        var read = Checkpoint.ReadHeader(path).Run.Settings;
        Assert.Equal(2, read.Option(TowerOptions.Layers));
        Assert.Equal(1, read.Option(Warmup.Epochs));
        Assert.Equal(3, read.Option(Colliding.Neighbors));
        using var reloaded = new Trainer(read, feed.Data);
        Checkpoint.Load(path, reloaded.Store, reloaded.Plan.StatefulParts);
    }

    /// <summary>An earlier build stored --select-by as given; now that names are lower case, its runs were refused on every re-read.</summary>
    [Theory]
    [InlineData("auc", "AUC")]
    [InlineData("recall@5", "Recall@5")]
    public void A_select_by_an_earlier_build_stored_in_capitals_is_read_in_lower_case(string selectBy, string stored)
    {
        var settings = new TrainSettings { Model = "gmf", Method = "ns", Epochs = 1, BatchSize = 256, Dim = 4, Threads = 1, Seed = 2, SelectBy = selectBy };
        using var trainer = new Trainer(settings, feed.Data);
        var path = Path.Combine(feed.Scratch($"legacy-select-by-{selectBy}"), "checkpoint");
        Checkpoint.Save(path, trainer.Store, trainer.State, trainer.Plan.StatefulParts);
        CheckpointHeaders.Rewrite(path, header => header["run"]!["settings"]!["select_by"] = stored);

        var read = Checkpoint.ReadHeader(path).Run.Settings;

        Assert.Equal(selectBy, read.SelectBy);
        read.Validate();
    }
}
