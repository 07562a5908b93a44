using InverseLearning.Data.Simulation;

namespace InverseLearning.Data.Tests.Simulation;

public class GroundTruthTests
{
    /// <summary>2 users, 3 items, 2 factors, values chosen so every logit is easy to compute by hand.</summary>
    private static GroundTruth HandMade() => new(
        factors: 2, globalBias: -0.5f,
        userIds: [1001, 2002], userBias: [0.25f, -1f], userFactors: [1f, 2f, /* user 2002 */ -1f, 0.5f],
        itemIds: [7, 8, 9], itemBias: [0f, 0.5f, 2f], itemFactors: [1f, 1f, /* 8 */ 0f, -1f, /* 9 */ 2f, 0f],
        impressionLabels: [true, false]);

    [Theory]
    [InlineData(1001, 7, 1 + 2 + 0.25 + 0 - 0.5)]      // 2.75
    [InlineData(1001, 8, -2 + 0.25 + 0.5 - 0.5)]       // -1.75
    [InlineData(1001, 9, 2 + 0.25 + 2 - 0.5)]          // 3.75
    [InlineData(2002, 7, -1 + 0.5 - 1 + 0 - 0.5)]      // -2
    [InlineData(2002, 8, -0.5 - 1 + 0.5 - 0.5)]        // -1.5
    [InlineData(2002, 9, -2 - 1 + 2 - 0.5)]            // -1.5
    public void True_logit_is_factors_dot_plus_biases(long user, long item, double expected)
    {
        var truth = HandMade();
        Assert.Equal(expected, truth.TrueLogit(user, item), 6);
        Assert.Equal(expected > 0, truth.TrueLabel(user, item));
    }

    [Fact]
    public void Unknown_ids_get_a_clear_error()
    {
        var truth = HandMade();
        var e = Assert.Throws<ArgumentException>(() => truth.TrueLabel(3003, 7));
        Assert.Contains("user id 3003", e.Message);
        e = Assert.Throws<ArgumentException>(() => truth.TrueLogit(1001, 10));
        Assert.Contains("item id 10", e.Message);
    }

    [Fact]
    public void True_label_agrees_with_every_impressions_stored_label()
    {
        var r = SimulatedLogs.LargeWatch;
        for (var row = 0; row < r.Log.Count; row++)
            Assert.Equal(r.Truth.ImpressionLabels[row], r.Truth.TrueLabel(r.Log.UserId[row], r.Log.ItemId[row]));
    }

    [Fact]
    public void Pairs_never_shown_have_a_truth_too_and_it_is_not_constant()
    {
        var truth = SimulatedLogs.TinyWatch.Truth;
        var labels = truth.UserIds.Take(20).SelectMany(u => truth.ItemIds.Select(i => truth.TrueLabel(u, i))).ToArray();
        Assert.Equal(20 * truth.ItemIds.Count, labels.Length);
        Assert.InRange(labels.Count(l => l) / (double)labels.Length, 0.1, 0.7);
    }

    [Fact]
    public void Save_and_load_round_trip_every_pair_and_every_impression()
    {
        using var folder = new TempFolder();
        var truth = SimulatedLogs.TinyWatch.Truth;
        Assert.False(GroundTruth.Exists(folder.Path));
        truth.Save(folder.Path);
        Assert.True(GroundTruth.Exists(folder.Path));
        var loaded = GroundTruth.Load(folder.Path);

        Assert.Equal(truth.UserIds, loaded.UserIds);
        Assert.Equal(truth.ItemIds, loaded.ItemIds);
        Assert.Equal(truth.ImpressionLabels, loaded.ImpressionLabels);
        foreach (var u in truth.UserIds)
            foreach (var i in truth.ItemIds)
                Assert.Equal(truth.TrueLogit(u, i), loaded.TrueLogit(u, i));
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp"));
    }

    [Fact]
    public void Loading_a_truncated_model_file_names_the_file()
    {
        using var folder = new TempFolder();
        SimulatedLogs.TinyWatch.Truth.Save(folder.Path);
        var model = folder.File(GroundTruth.ModelFileName);
        var bytes = File.ReadAllBytes(model);
        File.WriteAllBytes(model, bytes[..(bytes.Length - 10)]);
        var e = Assert.Throws<DataException>(() => GroundTruth.Load(folder.Path));
        Assert.Contains(model, e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void Loading_a_model_file_that_lists_an_id_twice_names_the_file()
    {
        using var folder = new TempFolder();
        SimulatedLogs.TinyWatch.Truth.Save(folder.Path);
        var model = folder.File(GroundTruth.ModelFileName);
        var bytes = File.ReadAllBytes(model);
        const int userIds = 8 + 5 * sizeof(int) + 32; // after the magic, the header's five numbers and the stamp
        bytes.AsSpan(userIds, sizeof(long)).CopyTo(bytes.AsSpan(userIds + sizeof(long)));
        File.WriteAllBytes(model, bytes);

        var e = Assert.Throws<DataException>(() => GroundTruth.Load(folder.Path));

        Assert.StartsWith($"{model}: ground truth lists user id ", e.Message);
    }

    [Fact]
    public void The_latent_model_carries_the_stamp_and_a_model_of_another_simulation_beside_the_impressions_is_refused()
    {
        using var folder = new TempFolder();
        using var other = new TempFolder();
        var truth = SimulatedLogs.TinyWatch.Truth;
        truth.Save(folder.Path);
        Assert.Equal(truth.Stamp, GroundTruth.Load(folder.Path).Stamp);
        FeedSimulator.Run(SimulatorPresets.Get("tiny"), seed: 4).Truth.Save(other.Path);

        // truth-model.bin is what the clean test's labels come from: another simulation's, beside these impressions, is refused.
        File.Copy(other.File(GroundTruth.ModelFileName), folder.File(GroundTruth.ModelFileName), overwrite: true);
        var error = Assert.Throws<DataException>(() => GroundTruth.Load(folder.Path));
        Assert.Contains($"{folder.File(GroundTruth.ModelFileName)} and {folder.File(GroundTruth.ImpressionsFileName)} were written by two simulations", error.Message);
    }

    [Fact]
    public void A_truth_written_before_stamps_is_still_read()
    {
        using var folder = new TempFolder();
        var truth = SimulatedLogs.TinyWatch.Truth;
        truth.Save(folder.Path);
        // Version 1: no stamp between the header and the ids, and truth.parquet without one.
        var model = folder.File(GroundTruth.ModelFileName);
        var bytes = File.ReadAllBytes(model).ToList();
        const int header = 8 + 5 * sizeof(int);
        bytes.RemoveRange(header, 32);
        var v1 = bytes.ToArray();
        BitConverter.GetBytes(1).CopyTo(v1, 8);
        File.WriteAllBytes(model, v1);
        ImpressionTruthFile.Write(folder.File(GroundTruth.ImpressionsFileName), truth.ImpressionLabels, stamp: null);

        var loaded = GroundTruth.Load(folder.Path);

        Assert.Null(loaded.Stamp);
        Assert.Equal(truth.TrueLogit(truth.UserIds[1], truth.ItemIds[2]), loaded.TrueLogit(truth.UserIds[1], truth.ItemIds[2]));
    }

    [Fact]
    public void Loading_a_foreign_or_missing_file_names_the_file()
    {
        using var folder = new TempFolder();
        SimulatedLogs.TinyWatch.Truth.Save(folder.Path);
        var model = folder.File(GroundTruth.ModelFileName);
        File.WriteAllText(model, "this is not a ground truth, just some text");
        Assert.Contains("not a ground-truth model", Assert.Throws<DataException>(() => GroundTruth.Load(folder.Path)).Message);

        File.Delete(model);
        Assert.False(GroundTruth.Exists(folder.Path));
        Assert.Contains(model, Assert.Throws<DataException>(() => GroundTruth.Load(folder.Path)).Message);

        SimulatedLogs.TinyWatch.Truth.Save(folder.Path);
        var impressions = folder.File(GroundTruth.ImpressionsFileName);
        File.WriteAllBytes(impressions, [1, 2, 3]);
        Assert.Contains(impressions, Assert.Throws<DataException>(() => GroundTruth.Load(folder.Path)).Message);
    }

    [Fact]
    public void A_folder_where_the_impressions_file_goes_is_named_as_a_folder_not_as_missing()
    {
        using var folder = new TempFolder();
        SimulatedLogs.TinyWatch.Truth.Save(folder.Path);
        var impressions = folder.File(GroundTruth.ImpressionsFileName);
        File.Delete(impressions);
        Directory.CreateDirectory(impressions);

        var error = Assert.Throws<DataException>(() => GroundTruth.Load(folder.Path));

        Assert.Equal($"{impressions}: is a folder, expected a ground-truth impressions file", error.Message);
    }

    [Fact]
    public void Simulation_files_put_the_log_beside_the_truth()
    {
        using var folder = new TempFolder();
        var r = SimulatedLogs.TinyWatch;
        SimulationFiles.Write(r, folder.Path);

        var log = InteractionLogParquet.Read(folder.File(SimulationFiles.InteractionsFileName));
        Assert.Equal(r.Log.UserId, log.UserId);
        Assert.Equal(r.Log.ItemId, log.ItemId);
        Assert.Equal(r.Log.PlayTimeMs!.Values, log.PlayTimeMs!.Values);
        Assert.Equal(r.Truth.ImpressionLabels, GroundTruth.Load(folder.Path).ImpressionLabels);
    }

    [Fact]
    public void A_loaded_truth_reads_its_impression_labels_on_first_use()
    {
        using var folder = new TempFolder();
        var saved = SimulatedLogs.TinyWatch.Truth;
        saved.Save(folder.Path);

        var loaded = GroundTruth.Load(folder.Path);
        // Replaced after the load: the labels read are the new file's, so the load did not read them.
        var flipped = saved.ImpressionLabels.Select(label => !label).ToArray();
        ImpressionTruthFile.Write(folder.File(GroundTruth.ImpressionsFileName), flipped, saved.Stamp);

        Assert.Equal(flipped, loaded.ImpressionLabels);
    }
}
