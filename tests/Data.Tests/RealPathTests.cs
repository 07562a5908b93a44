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
    public void Dot_dot_after_a_link_leaves_the_folder_the_link_points_to_as_the_kernel_does()
    {
        using var folder = new TempFolder();
        var deep = Directory.CreateDirectory(folder.File(Path.Combine("data", "deep"))).FullName;
        Directory.CreateDirectory(folder.File("other"));
        Directory.CreateSymbolicLink(folder.File(Path.Combine("other", "shortcut")), deep);
        Directory.CreateSymbolicLink(folder.File("through"), Path.Combine("other", "shortcut", ".."));

        Assert.Equal(folder.File(Path.Combine("data", "x")), RealPath.Of(Path.Combine(folder.File("other"), "shortcut", "..", "x")));
        Assert.Equal(folder.File("data"), RealPath.Of(folder.File("through")));
        Assert.Equal(Path.GetPathRoot(folder.Path), RealPath.Of(Path.Combine(folder.Path, string.Concat(Enumerable.Repeat("../", 64)))));
    }

    [Fact]
    public void Links_followed_are_counted_over_the_whole_path_not_per_link()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("end"));
        // Thirty links in a chain, each leading to the next: the second chain in the path is left at its eleventh link, the forty-first.
        for (var n = 0; n < 30; n++) Directory.CreateSymbolicLink(folder.File($"l{n}"), n == 29 ? "end" : $"l{n + 1}");

        Assert.Equal(folder.File("end"), RealPath.Of(folder.File("l0")));
        Assert.Equal(Path.Combine(folder.File("l10"), "end"), RealPath.Of(Path.Combine(folder.File("l0"), "..", "l0", "end")));
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
