namespace InverseLearning.Training.Tests.EndToEnd;

/// <summary>
/// A run folder of an experiment that cannot be made (it, or a folder above it inside --out, is a file or a link to nothing) is
/// refused before any run trains, named as the experiment's run folder: found as its run began, it failed the experiment after the
/// runs before it had trained.
/// </summary>
public class ExperimentRunFolderTests(TinyFeed feed) : IClassFixture<TinyFeed>
{
    private static readonly TrainSettings Settings = new() { Epochs = 1, BatchSize = 1024, LearningRate = 5e-3, Dim = 4, Threads = 1, Seed = 3 };

    // none trains before ns: a refusal found only at ns's start came after none had trained.
    private ArgumentException Refusal(string folder, List<string> log) => Assert.Throws<ArgumentException>(() =>
        Experiment.Run(new Experiment.Plan(Settings, ["none", "ns"], ["gmf"], Repeats: 1, LearningRateRatios: []),
            feed.Data, feed.Truth, folder, observer: null, log: log.Add));

    [Theory]
    [InlineData("gmf/ns")]
    [InlineData("gmf/ns/seed3")]
    public void A_file_where_a_run_folder_goes_is_refused_before_any_run_trains(string file)
    {
        var folder = feed.Scratch($"run-folder-file-{file.Replace('/', '-')}");
        var inPlace = Path.Combine(folder, file);
        Directory.CreateDirectory(Path.GetDirectoryName(inPlace)!);
        File.WriteAllText(inPlace, "x");
        var log = new List<string>();

        var refusal = Refusal(folder, log);

        Assert.Equal($"--out {folder}: the experiment's run folder {folder}/gmf/ns/seed3 cannot be made: {inPlace} is a file; remove it or choose another --out",
            refusal.Message);
        Assert.Empty(log);
        Assert.False(Directory.Exists(Path.Combine(folder, "gmf", "none")));
    }

    [Fact]
    public void A_link_to_nothing_where_a_run_folder_goes_is_refused_before_any_run_trains()
    {
        var folder = feed.Scratch("run-folder-broken-link");
        var link = Path.Combine(Directory.CreateDirectory(Path.Combine(folder, "gmf", "ns")).FullName, "seed3");
        var nowhere = Path.Combine(folder, "gone");
        File.CreateSymbolicLink(link, nowhere);
        var log = new List<string>();

        var refusal = Refusal(folder, log);

        Assert.Equal($"--out {folder}: the experiment's run folder {link} cannot be made: {link} is a link to {nowhere}, which does not exist; remove it or choose another --out",
            refusal.Message);
        Assert.Empty(log);
    }
}
