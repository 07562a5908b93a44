using InverseLearning.Training.Models;
using Colliding = InverseLearning.Training.Strategies.Colliding;

namespace InverseLearning.Training.Tests.Runner;

/// <summary>A best checkpoint of another run is refused naming what differs: by the flags a user types, not by the record's property names.</summary>
public class RunDifferencesTests
{
    [Fact]
    public void Every_setting_that_makes_another_run_is_named_by_its_flag_with_the_value_that_flag_takes()
    {
        var these = new TrainSettings();
        var other = new TrainSettings
        {
            Model = "mlp", Method = "ig", BatchSize = 7, BatchRows = 8, Protocol = "paper", Optimizer = "sgd", LearningRate = 0.003, Dim = 9, Init = "torch", Ng = 3,
            UnlabeledSource = Data.UnlabeledSource.Both, UnlabeledMix = 0.25, Seed = 5, SplitSeed = 6, TimeSplit = new(2, 3), Stream = true, ShuffleBuffer = 10,
            FreshOptimizer = true, SelectBy = "auc", EvalEvery = 11, ValidUsers = 12, ValidPositives = "truth", ExtraFeedback = "rating:4",
            // What a resumed run may change is no other run.
            Epochs = 99, Threads = 3, Device = "cuda", Store = "device", CheckpointEvery = 4, FullRankingTopK = [5],
        }.WithOption(TowerOptions.Layers, 5);

        var differences = these.RunDifferences(other);

        (string, string, string)[] expected =
        [
            ("--model", "mlp", "gmf"), ("--method", "ig", "ns"), ("--batch-size", "7", "1024"), ("--batch-rows", "8", "unset"), ("--protocol", "paper", "none"),
            ("--optimizer", "sgd", "adam"), ("--lr", "0.003", "0.0001"), ("--dim", "9", "32"), ("--init", "torch", "ncf"), ("--ng", "3", "1"),
            ("--unlabeled-source", "both", "unseen"), ("--unlabeled-mix", "0.25", "0.5"), ("--seed", "5", "42"), ("--seed (the split's, an experiment's)", "6", "unset"),
            ("--split", "time --valid-days 2 --test-days 3", "random"), ("--stream", "true", "false"), ("--shuffle-buffer", "10", "unset"),
            ("--fresh-optimizer", "true", "false"), ("--select-by", "auc", "loss"), ("--eval-every", "11", "0"), ("--valid-users", "12", "500"),
            ("--valid-positives", "truth", "labels"), ("--extra-feedback", "rating:4", "unset"), ("--layers", "5", System.Text.Json.JsonSerializer.Serialize(TowerOptions.Layers.Default)),
        ];
        Assert.Equal(expected.Order(), differences.Order());
        Assert.Contains(("--split", "hash", "random"), these.RunDifferences(these with { HashSplit = true }));
        Assert.Empty(these.RunDifferences(these with { Epochs = 3 }));
    }

    [Fact]
    public void An_option_of_another_model_or_method_makes_no_other_run()
    {
        // A checkpoint of an earlier build records every plugin's options; a run's records now hold its own alone.
        var these = new TrainSettings().WithOption(TowerOptions.Layers, 5).WithOption(LightGcnBackbone.Layers, 2);

        Assert.Empty(these.RunDifferences(new TrainSettings()));
        Assert.Equal([("--layers", "5", "3")], new TrainSettings { Model = "mlp" }.RunDifferences(these with { Model = "mlp" }));
    }

    [Fact]
    public void A_strategys_options_make_another_run_while_it_is_on_and_none_while_it_is_off()
    {
        // Colliding inference's switch is --colliding-neighbors; its λ is read only while it is on.
        var on = new TrainSettings().WithOption(Colliding.Neighbors, 5);
        var off = new TrainSettings();

        Assert.Equal([("--colliding-lambda", "0.25", "0.5")], on.RunDifferences(on.WithOption(Colliding.Lambda, 0.25)));
        Assert.Empty(off.RunDifferences(off.WithOption(Colliding.Lambda, 0.25)));
    }

    [Fact]
    public void Every_recorded_setting_has_a_flag_to_be_named_by()
    {
        // A property added to TrainSettings without its flag in SettingsDifferences would fail every resume's check of its checkpoint.
        var settings = new TrainSettings();

        Assert.Empty(settings.RunDifferences(settings));
    }
}
