using InverseLearning.Data.Import;

namespace InverseLearning.Data.Tests;

/// <summary>A directory given where a file is expected is named as such, not as a missing file.</summary>
public class InputFileTests
{
    [Fact]
    public void Directory_missing_and_empty_paths_are_told_apart()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("a.txt"), "x");
        Assert.Null(InputFile.Problem(folder.File("a.txt")));
        Assert.Equal("is a directory, expected a file", InputFile.Problem(folder.Path));
        Assert.Equal("file not found", InputFile.Problem(folder.File("b.txt")));
        Assert.Equal("an empty path, expected a file", InputFile.Problem(""));
    }

    [Fact]
    public void Readers_of_logs_and_ratings_say_directory()
    {
        using var folder = new TempFolder();
        var expected = $"{folder.Path}: is a directory, expected a file";
        Assert.Equal(expected, Assert.Throws<DataException>(() => InteractionLogParquet.Read(folder.Path)).Message);
        Assert.Equal(expected, Assert.Throws<DataException>(() => InteractionLogParquet.CountRows(folder.Path)).Message);
        Assert.Equal(expected, Assert.Throws<DataException>(() => RatingsImporter.Read([new RatingsInput(folder.Path)])).Message);
    }
}
