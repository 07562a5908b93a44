using InverseLearning.Data.Simulation;

namespace InverseLearning.Data.Tests.Simulation;

public class LatentModelFileTests
{
    [Fact]
    public void A_folder_given_as_the_ground_truth_model_is_named_as_a_folder_not_as_missing()
    {
        using var folder = new TempFolder();

        var error = Assert.Throws<DataException>(() => LatentModelFile.Read(folder.Path));

        Assert.Contains("is a folder, expected a ground-truth model file", error.Message);
    }
}
