namespace InverseLearning.Data.Tests;

public class RealPathTests
{
    [Fact]
    public void Links_along_a_path_are_resolved_and_the_part_not_yet_there_is_kept()
    {
        using var folder = new TempFolder();
        var lake = Directory.CreateDirectory(folder.File("lake")).FullName;
        Directory.CreateSymbolicLink(folder.File("absolute"), lake);
        Directory.CreateSymbolicLink(folder.File("relative"), "lake");
        Directory.CreateSymbolicLink(folder.File("chain"), folder.File("relative"));
        File.WriteAllText(Path.Combine(lake, "r.dat"), "1 2 3\n");
        File.CreateSymbolicLink(folder.File("r2.dat"), Path.Combine("lake", "r.dat"));

        foreach (var link in new[] { "absolute", "relative", "chain" })
            Assert.Equal(Path.Combine(lake, "run", "new"), RealPath.Of(Path.Combine(folder.File(link), "run", "new")));
        Assert.Equal(Path.Combine(lake, "r.dat"), RealPath.Of(folder.File("r2.dat")));
        Assert.Equal(Path.Combine(lake, "r.dat"), RealPath.Of(Path.Combine(lake, "..", "lake", ".", "r.dat")));
    }

    [Fact]
    public void A_loop_of_links_ends()
    {
        using var folder = new TempFolder();
        File.CreateSymbolicLink(folder.File("a"), folder.File("b"));
        File.CreateSymbolicLink(folder.File("b"), folder.File("a"));

        Assert.StartsWith(folder.Path, RealPath.Of(folder.File("a")));
    }
}
