namespace InverseLearning.Data.Tests;

public class FileIdentityTests
{
    [Fact]
    public void A_hard_link_is_the_same_file_and_a_copy_is_not()
    {
        using var folder = new TempFolder();
        var ratings = folder.File("r.dat");
        File.WriteAllText(ratings, "1 2 5\n");
        HardLink(ratings, folder.File("linked.dat"));
        File.Copy(ratings, folder.File("copy.dat"));

        Assert.NotNull(FileIdentity.Of(ratings));
        Assert.Equal(FileIdentity.Of(ratings), FileIdentity.Of(folder.File("linked.dat")));
        Assert.True(FileIdentity.Same(ratings, folder.File("linked.dat")));
        Assert.NotEqual(FileIdentity.Of(ratings), FileIdentity.Of(folder.File("copy.dat")));
        Assert.False(FileIdentity.Same(ratings, folder.File("copy.dat")));
    }

    [Fact]
    public void A_path_to_nothing_has_no_identity_and_is_the_same_only_as_itself()
    {
        using var folder = new TempFolder();

        Assert.Null(FileIdentity.Of(folder.File("missing")));
        Assert.True(FileIdentity.Same(folder.File("missing"), Path.Combine(folder.Path, ".", "missing")));
        Assert.False(FileIdentity.Same(folder.File("missing"), folder.File("other")));
    }

    internal static void HardLink(string target, string link)
    {
        using var ln = System.Diagnostics.Process.Start("ln", [target, link]);
        ln.WaitForExit();
        Assert.Equal(0, ln.ExitCode);
    }
}
