namespace InverseLearning.Data.Tests;

/// <summary>
/// FinalFile is what every "empty, or not a regular file" check (model loader, admin token, input file, checkpoint) reads its
/// length from: a link is followed to its final target, and a link that leads nowhere is its own entry, whose opening then fails.
/// </summary>
public class FinalFileTests
{
    [Fact]
    public void A_path_that_is_no_link_is_its_own_entry()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("plain"), "12345");

        var file = FinalFile.At(folder.File("plain"));

        Assert.Equal(folder.File("plain"), file.FullName);
        Assert.Equal(5, file.Length);
    }

    [Fact]
    public void A_chain_of_links_is_followed_to_its_final_target_not_to_the_next_link()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("target"), "12345");
        File.CreateSymbolicLink(folder.File("middle"), "target");
        File.CreateSymbolicLink(folder.File("first-of-a-much-longer-name"), "middle");

        foreach (var link in new[] { "middle", "first-of-a-much-longer-name" })
        {
            var file = FinalFile.At(folder.File(link));
            Assert.Equal(folder.File("target"), file.FullName);
            Assert.Equal(5, file.Length);   // the link's own length is its target's name's
        }
    }

    [Fact]
    public void A_link_to_a_device_has_the_devices_length_not_its_names()
    {
        using var folder = new TempFolder();
        File.CreateSymbolicLink(folder.File("zero"), "/dev/zero");

        Assert.Equal(0, FinalFile.At(folder.File("zero")).Length);
    }

    [Theory]
    [InlineData("nowhere")]   // a link to nothing
    [InlineData("loop")]      // a link to itself: too many levels of links
    [InlineData("folder")]    // a link to a folder
    public void A_link_that_leads_to_no_file_is_its_own_entry(string kind)
    {
        using var folder = new TempFolder();
        var link = folder.File("link");
        switch (kind)
        {
            case "nowhere": File.CreateSymbolicLink(link, "missing"); break;
            case "loop": File.CreateSymbolicLink(link, "link"); break;
            default:
                Directory.CreateDirectory(folder.File("dir"));
                File.CreateSymbolicLink(link, "dir");
                break;
        }

        var entry = FinalFile.At(link);

        Assert.Equal(link, entry.FullName);
        Assert.NotNull(entry.LinkTarget);
    }
}
