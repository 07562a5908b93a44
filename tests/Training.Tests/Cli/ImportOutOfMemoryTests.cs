using InverseLearning.Training.Tests.Cluster;
using InverseLearning.Training.Tests.Reports;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>An import that runs out of memory says where, and what to do, not the runtime's "Exception of type 'System.OutOfMemoryException'".</summary>
public class ImportOutOfMemoryTests
{
    [Fact]
    public async Task An_import_past_the_memory_it_is_given_says_where_and_what_to_do()
    {
        using var folder = new TempFolder();
        var ratings = folder.File("ratings.tsv");
        // About 30 MB of ratings, read in a process whose heap is held to 32 MiB: it fails while its columns grow, past half a million lines.
        using (var writer = new StreamWriter(ratings))
            for (var i = 0; i < 1_300_000; i++) writer.Write($"{i % 70_000}\t{i % 9_000}\t{i % 5 + 1}\t{978_300_760 + i}\n");
        using var child = new CliChild(new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "0x2000000" },
            "import-ratings", "--input", ratings, "--out", folder.File("imported"));

        await child.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(1, child.Process.ExitCode);
        var error = Assert.Single(child.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), line => line.StartsWith("error:", StringComparison.Ordinal));
        Assert.Matches($"^error: {System.Text.RegularExpressions.Regex.Escape(ratings)}, line [0-9]+: out of memory: the import holds every rating in memory", error);
        Assert.EndsWith("split the input and import each piece into a folder of its own under one parent folder, which train reads as one log (--data PARENT)", error);
        Assert.False(File.Exists(Path.Combine(folder.File("imported"), "interactions.parquet")));
    }
}
