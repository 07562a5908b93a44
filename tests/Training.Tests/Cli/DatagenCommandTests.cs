using InverseLearning.Training.Tests.Reports;

namespace InverseLearning.Training.Tests.Cli;

/// <summary>`datagen`'s label-sparsity knob: out-of-range values are one line and write nothing; a valid one shapes the log.</summary>
[Collection("Console")]
public class DatagenCommandTests
{
    [Theory]
    [InlineData("1")]
    [InlineData("-0.1")]
    [InlineData("1.5")]
    public void Label_sparsity_outside_the_unit_interval_is_one_line(string value)
    {
        using var folder = new TempFolder();
        var (code, _, error) = CliRunner.Run("datagen", "--preset", "tiny", "--label-sparsity", value, "--out", folder.File("feed"));
        Assert.Equal(1, code);
        Assert.Contains($"--label-sparsity must be in [0, 1)", error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(Directory.Exists(folder.File("feed")));
    }

    [Theory]
    [InlineData("--preference-scale", "Infinity")]
    [InlineData("--preference-scale", "1e300")]
    [InlineData("--user-bias-scale", "Infinity")]
    [InlineData("--item-bias-scale", "NaN")]
    [InlineData("--liked-share", "NaN")]
    [InlineData("--false-negative-rate", "Infinity")]
    [InlineData("--false-positive-rate", "-Infinity")]
    [InlineData("--label-sparsity", "NaN")]
    [InlineData("--like-rate", "NaN")]
    [InlineData("--hate-rate", "Infinity")]
    public void A_non_finite_or_out_of_range_number_is_one_line_naming_the_flag(string flag, string value)
    {
        using var folder = new TempFolder();
        var (code, _, error) = CliRunner.Run("datagen", "--preset", "tiny", flag, value, "--out", folder.File("feed"));
        Assert.Equal(1, code);
        Assert.Contains(flag, error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(Directory.Exists(folder.File("feed")));
    }

    [Fact]
    public void Scales_that_leave_the_true_logit_constant_are_refused_naming_them()
    {
        using var folder = new TempFolder();
        var (code, _, error) = CliRunner.Run("datagen", "--preset", "tiny", "--out", folder.File("z"), "--preference-scale", "0", "--user-bias-scale", "0", "--item-bias-scale", "0");
        Assert.Equal(1, code);
        Assert.StartsWith("error: --preference-scale, --user-bias-scale and --item-bias-scale are all 0:", error);
        Assert.Contains("--liked-share (0.525) cannot be met", error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(Directory.Exists(folder.File("z")));
        // One spread left is enough for the share to be met (to within the ties of 500 videos' biases).
        var kept = CliRunner.Run("datagen", "--preset", "tiny", "--out", folder.File("y"), "--preference-scale", "0", "--user-bias-scale", "0");
        Assert.True(kept.Code == 0, kept.Error);
        Assert.Matches(@"; 5[12]\.\d% are truly liked", kept.Output);
    }

    [Fact]
    public void A_folder_holding_other_files_is_refused_before_simulating()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("notes.txt"), "mine");

        var (code, _, error) = CliRunner.Run("datagen", "--preset", "tiny", "--out", folder.Path);

        Assert.Equal(1, code);
        Assert.StartsWith($"error: {folder.Path} holds files datagen did not write (notes.txt)", error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Equal([folder.File("notes.txt")], Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void A_folder_import_ratings_wrote_is_refused_and_keeps_the_imported_log()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("mine.csv"), "1,10,4,1700000000\n2,11,2,1700000100\n");
        var dir = folder.File("mydata");
        Assert.Equal(0, CliRunner.Run("import-ratings", "--input", folder.File("mine.csv"), "--out", dir).Code);
        var imported = File.ReadAllBytes(Path.Combine(dir, "interactions.parquet"));

        var (code, _, error) = CliRunner.Run("datagen", "--preset", "tiny", "--out", dir);

        Assert.Equal(1, code);
        Assert.StartsWith($"error: {dir} holds files datagen did not write (interactions.parquet (no simulation stamp", error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Equal(imported, File.ReadAllBytes(Path.Combine(dir, "interactions.parquet")));
    }

    [Theory]
    [InlineData("--label-sparsity", "0.3", "--label-sparsity applies to watch feedback only")]
    // Given at all, as --like-rate 0 is refused: a rating log has no middle band to leave unlabeled.
    [InlineData("--label-sparsity", "0", "--label-sparsity applies to watch feedback only")]
    [InlineData("--like-rate", "0", "--like-rate applies to watch feedback only")]
    // A rating log has no likes or hates: the rates were ignored without a word.
    [InlineData("--like-rate", "0.5", "--like-rate applies to watch feedback only")]
    [InlineData("--hate-rate", "0.3", "--hate-rate applies to watch feedback only")]
    public void Watch_only_flags_with_ratings_are_refused(string flag, string value, string expected)
    {
        using var folder = new TempFolder();
        var (code, _, error) = CliRunner.Run("datagen", "--preset", "tiny", "--feedback", "rating", flag, value, "--out", folder.File("feed"));
        Assert.Equal(1, code);
        Assert.Contains(expected, error);
        Assert.False(Directory.Exists(folder.File("feed")));
    }

    [Fact]
    public void A_like_rate_the_watch_bands_cannot_hold_is_warned_with_the_rate_reached()
    {
        using var folder = new TempFolder();
        var (code, output, error) = CliRunner.Run("datagen", "--preset", "tiny", "--like-rate", "0.9", "--out", folder.File("feed"));
        Assert.True(code == 0, error);
        var warning = Assert.Single(error.Split('\n'), line => line.StartsWith("warning: --like-rate 0.9 cannot be reached", StringComparison.Ordinal));
        var expected = System.Text.RegularExpressions.Regex.Match(warning, @"about (\d+\.\d\d)% of impressions will get a like$");
        var realized = System.Text.RegularExpressions.Regex.Match(output, @"Likes on (\d+\.\d\d)% of impressions");
        Assert.True(expected.Success && realized.Success, warning + "\n" + output);
        Assert.InRange(double.Parse(realized.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
            double.Parse(expected.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) - 2, double.Parse(expected.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + 2);
    }

    [Fact]
    public void Label_sparsity_sets_the_unlabeled_share_the_summary_reports()
    {
        using var folder = new TempFolder();
        var (code, output, error) = CliRunner.Run("datagen", "--preset", "tiny", "--label-sparsity", "0.7", "--out", folder.File("feed"));
        Assert.True(code == 0, error);
        Assert.Matches(@"(69|70|71)\.\d% unlabeled in between", output);
    }
    [Fact]
    public void A_simulation_estimated_past_max_memory_is_refused_before_it_allocates()
    {
        using var folder = new TempFolder();

        var (code, _, error) = CliRunner.Run("datagen", "--preset", "tiny", "--users", "100000", "--items", "1000", "--impressions", "40000000",
            "--max-memory", "500M", "--out", folder.File("feed"));

        Assert.Equal(1, code);
        Assert.StartsWith("error: this simulation needs about 2.5 GiB of memory (40,000,000 impressions, 100,000 users, 1,000 videos), more than --max-memory 500 MiB; " +
            "lower --impressions, write the log in pieces (--partition-by day --chunk-impressions N) or raise --max-memory", error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(Directory.Exists(folder.File("feed")));
        Assert.Contains("in pieces of 10,000,000", CliRunner.Run("datagen", "--preset", "tiny", "--users", "100000", "--items", "1000", "--impressions", "40000000",
            "--partition-by", "day", "--chunk-impressions", "10000000", "--max-memory", "500M", "--out", folder.File("feed")).Error);
    }

    /// <summary>A user with more impressions than --chunk-impressions is a piece alone: the estimate held the chunk, and a run past --max-memory went on.</summary>
    [Fact]
    public void A_piece_of_one_user_past_the_chunk_is_what_the_memory_estimate_holds()
    {
        using var folder = new TempFolder();
        var options = Data.Simulation.SimulatorPresets.Get("tiny") with { Users = 2, Items = 1_000_000, Impressions = 400_000 };
        var largest = Data.Simulation.SimulationMemoryEstimate.LargestPiece(options, seed: 1, rowsPerChunk: 1_000);
        var between = (Data.Simulation.SimulationMemoryEstimate.Bytes(options, 1_000, partitioned: true) + Data.Simulation.SimulationMemoryEstimate.Bytes(options, largest, partitioned: true)) / 2;

        var (code, _, error) = CliRunner.Run("datagen", "--preset", "tiny", "--users", "2", "--items", "1000000", "--impressions", "400000", "--partition-by", "day",
            "--chunk-impressions", "1000", "--max-memory", $"{between / 1024}K", "--out", folder.File("feed"));

        Assert.Equal(1, code);
        Assert.Contains($"(400,000 impressions in pieces of up to {largest:N0}, the most active user's, a piece alone whatever --chunk-impressions, 2 users, 1,000,000 videos)", error);
        Assert.EndsWith("lower --impressions or raise --users or raise --max-memory", error.Trim());
        Assert.False(Directory.Exists(folder.File("feed")));
    }

    [Theory]
    // The bound the parse names too (a whole log's 200,000,000 is told by the hint to partition).
    [InlineData("error: 200 users (--users) need at least as many impressions (--impressions): every user has one or more, but the simulation has 100; " +
        "give --impressions 200 or more, or fewer --users.", "--impressions", "100")]
    [InlineData("error: 200 users (--users) need at least as many impressions (--impressions): every user has one or more, but the simulation has 100; " +
        "give --impressions 200 or more, or fewer --users.", "--impressions", "100", "--partition-by", "day")]
    // --users alone, past the preset's impressions: it named only a setting "Impressions", with its count unseparated.
    [InlineData("error: 10,000,000 users (--users) need at least as many impressions (--impressions): every user has one or more, but the simulation has 10,000; " +
        "give --impressions 10,000,000 or more, or fewer --users.", "--users", "10000000")]
    [InlineData("error: --impressions 300,000,000: more than 200,000,000 impressions are simulated in pieces, which needs --partition-by day",
        "--impressions", "300000000", "--users", "1000000", "--items", "1000")]
    [InlineData("error: --chunk-impressions must be from 1 to 200,000,000 (the most simulated in one piece), got 300,000,000", "--partition-by", "day", "--chunk-impressions", "300000000")]
    public void Impressions_are_bounded_by_what_the_layout_can_simulate(string expected, params string[] args)
    {
        using var folder = new TempFolder();
        var (code, _, error) = CliRunner.Run(["datagen", "--preset", "tiny", "--out", folder.File("feed"), .. args]);
        Assert.Equal(1, code);
        Assert.Equal(expected, error.Trim());
    }

    /// <summary>Each flag within its bound, the product past .NET's longest array: it passed the memory check, allocated, then overflowed with a stack trace.</summary>
    [Fact]
    public void A_factor_table_past_the_longest_array_is_one_line_before_anything_is_allocated()
    {
        using var folder = new TempFolder();
        var run = CliRunner.Run("datagen", "--preset", "tiny", "--out", folder.File("feed"), "--items", "50000000", "--factors", "43");
        CliRunner.AssertOneLineFailure(run, "error: --items × --factors must be at most 2,147,483,591 (the video factors are one array of that product), " +
            "got 50,000,000 × 43 = 2,150,000,000; lower --items or --factors.");
        Assert.False(Directory.Exists(folder.File("feed")));
    }

    [Theory]
    [InlineData("1", "1 impression by 1 user on 1 item; ")]
    // In pieces (a piece is a user's two rows): the summary of RunInChunks, a line of its own.
    [InlineData("2", "2 impressions by 1 user on 2 items; ", "--partition-by", "day", "--chunk-impressions", "1")]
    public void A_count_of_one_is_said_in_the_singular(string items, string expected, params string[] layout)
    {
        using var folder = new TempFolder();
        var (code, output, error) = CliRunner.Run(["datagen", "--preset", "tiny", "--users", "1", "--items", items, "--impressions", items, "--out", folder.File("one"), .. layout]);
        Assert.True(code == 0, error);
        Assert.Contains(expected, output);
    }

    [Fact]
    public void Drawing_the_world_is_reported_as_the_simulation_is()
    {
        using var folder = new TempFolder();
        var (code, _, error) = CliRunner.Run("datagen", "--preset", "tiny", "--out", folder.File("feed"));
        Assert.True(code == 0, error);
        Assert.Contains("drawing the world 100%", error);
    }

    /// <summary>The advice named --impressions and --partition-by day whatever the estimate was made of, and flags already given.</summary>
    [Theory]
    [InlineData("the runtime and its libraries alone take about 144 MiB, whatever the sizes: raise --max-memory", "--max-memory", "100M")]
    [InlineData("lower --impressions, or --chunk-impressions below them to write the log in pieces, or raise --max-memory",
        "--users", "100000", "--items", "1000", "--impressions", "40000000", "--partition-by", "day", "--chunk-impressions", "50000000", "--max-memory", "500M")]
    [InlineData("lower --items or --factors or raise --max-memory", "--users", "1000", "--items", "1000000", "--factors", "512", "--impressions", "100000", "--max-memory", "2G")]
    [InlineData("lower --users or --factors or raise --max-memory", "--users", "1000000", "--items", "1000", "--factors", "512", "--impressions", "1000000", "--max-memory", "2G")]
    public void The_memory_refusal_advises_by_what_the_estimate_is_made_of(string advice, params string[] args)
    {
        using var folder = new TempFolder();
        var (code, _, error) = CliRunner.Run(["datagen", "--preset", "tiny", "--out", folder.File("feed"), .. args]);
        Assert.Equal(1, code);
        Assert.Single(error.Trim().Split('\n'));
        Assert.EndsWith("; " + advice, error.Trim());
        Assert.False(Directory.Exists(folder.File("feed")));
    }

    [Fact]
    public void A_log_with_no_labeled_row_is_warned_naming_the_flag()
    {
        using var folder = new TempFolder();
        var (code, _, error) = CliRunner.Run("datagen", "--preset", "tiny", "--label-sparsity", "0.999999", "--out", folder.File("feed"));
        Assert.True(code == 0, error);
        Assert.Contains("warning: --label-sparsity 0.999999 left no row of the written log labeled by finish rate (every one watched 20–80%), " +
            "so train has nothing to learn from; lower --label-sparsity", error);
    }
}
