using InverseLearning.Data.Simulation;

namespace InverseLearning.Data.Tests.Lake;

/// <summary>Every way a dataset can be wrong ends in one DataException line naming what is wrong and where.</summary>
public class LogDatasetBadInputTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static string Fails(string source, string? where = null)
    {
        var error = Assert.Throws<DataException>(() => LogDataset.Open(source, where).Read());
        Assert.DoesNotContain('\n', error.Message);
        return error.Message;
    }

    [Fact]
    public void EmptyDirectory()
    {
        var message = Fails(_folder.Path);
        Assert.Contains(_folder.Path, message);
        Assert.Contains("without Parquet part files", message);
    }

    [Theory]
    [InlineData("interactions.parquet")]
    [InlineData("interactions")]
    public void A_simulations_folder_names_its_log(string log)
    {
        // Read as a lake, its truth.parquet was a part of the log missing user_id.
        LakeFiles.Part(log.EndsWith(".parquet") ? _folder.At(log) : _folder.At(log, "day=2024-01-01", "part-0.parquet"), 1, 1);
        LakeFiles.Part(_folder.At("truth.parquet"), 1, 1);
        Assert.Equal($"{_folder.Path} is a simulation's folder (its log, and the truth beside it): give --data {_folder.At(log)}", Fails(_folder.Path));
    }

    [Theory]
    [InlineData("*.parquet", "truth.parquet")]
    [InlineData("*", "truth-model.bin")]
    [InlineData("truth.parquet", "truth.parquet")]
    public void A_simulations_truth_reached_by_a_glob_or_by_name_names_the_log(string spec, string reached)
    {
        LakeFiles.Part(_folder.At("interactions.parquet"), 1, 1);
        LakeFiles.Part(_folder.At("truth.parquet"), 1, 1);
        File.WriteAllBytes(_folder.At("truth-model.bin"), [1, 2, 3]);
        var given = Path.Combine(_folder.Path, spec);
        Assert.Equal($"{given} reaches {_folder.At(reached)}, a simulation's truth, which is no part of its log: give --data {_folder.At("interactions.parquet")}", Fails(given));
    }

    /// <summary>A glob or a folder over two datagen folders read both logs as one, with neither truth (or, by **, refused naming one).</summary>
    [Theory]
    [InlineData("*/interactions/**/*.parquet")]
    [InlineData("**/*.parquet")]
    [InlineData("")]
    public void Parts_of_two_simulations_folders_are_refused_naming_both_truths(string glob)
    {
        PartitionedSimulationFiles.Write(FeedSimulator.Run(SimulatorPresets.Get("tiny"), seed: 3), _folder.At("x"));
        PartitionedSimulationFiles.Write(FeedSimulator.Run(SimulatorPresets.Get("tiny"), seed: 4), _folder.At("y"));
        var spec = glob.Length == 0 ? _folder.Path : _folder.At(glob);

        var message = Fails(spec);

        Assert.StartsWith($"{spec} spans two simulations' logs, {_folder.At("x")}'s (", message);
        Assert.Contains($"each beside its own truth ({_folder.At("x", "truth.parquet")}, {_folder.At("y", "truth.parquet")})", message);
    }

    /// <summary>Two simulations' lakes copied without their truths: only the stamps in the parts' footers tell them apart.</summary>
    [Fact]
    public void Parts_of_two_simulations_without_their_truths_are_refused_naming_both_stamps()
    {
        var simulations = new[] { FeedSimulator.Run(SimulatorPresets.Get("tiny"), seed: 3), FeedSimulator.Run(SimulatorPresets.Get("tiny"), seed: 4) };
        string[] lakes = [_folder.At("x"), _folder.At("y")];
        for (var s = 0; s < 2; s++)
        {
            PartitionedSimulationFiles.Write(simulations[s], _folder.At("written", $"{s}"));
            Directory.Move(_folder.At("written", $"{s}", PartitionedSimulationFiles.DirectoryName), lakes[s]);
        }
        Directory.Delete(_folder.At("written"), recursive: true);

        var message = Fails(_folder.At("**", "*.parquet"));

        Assert.StartsWith(_folder.At("y"), message);
        Assert.Contains($": a part of another simulation than {_folder.At("x")}", message);
        Assert.Contains($"(stamps {simulations[1].Truth.Stamp} and {simulations[0].Truth.Stamp})", message);
        var streamed = new LakeSource(LogDataset.Open(_folder.At("**", "*.parquet")), new ReadOptions(), new LabelingOptions(LabelRule.FinishRate), new SplitOptions(ByHash: true));
        Assert.Equal(message, Assert.Throws<DataException>(() => PreparedDataset.Stream(streamed, FeedbackOptions.Default, middleBand: true, shuffleBuffer: 100)).Message);
    }

    [Fact]
    public void DirectoryWithOnlyMetadataFiles()
    {
        File.WriteAllText(_folder.At("_SUCCESS"), "");
        LakeFiles.Part(_folder.At("_temporary", "part-0.parquet"), 1, 1);
        Assert.Contains("without Parquet part files", Fails(_folder.Path));
    }

    [Fact]
    public void SplitPartitionWithAnUnknownName()
    {
        LakeFiles.Part(_folder.At("split=train", "part-0.parquet"), 1, 1);
        LakeFiles.Part(_folder.At("split=holdout", "part-0.parquet"), 1, 1);
        Assert.StartsWith(_folder.At("split=holdout", "part-0.parquet") + ": partition split=holdout: expected train, valid or test", Fails(_folder.Path));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void EmptySource(string source) => Assert.Contains("--data is empty", Fails(source));

    [Fact]
    public void MissingPath() => Assert.Contains("file not found", Fails(_folder.At("nowhere")));

    [Fact]
    public void A_file_named_with_a_trailing_slash_is_told_to_drop_it()
    {
        // It said "file not found" of a file that is there.
        var file = _folder.At("log.parquet");
        LakeFiles.Part(file, 1, 1);
        Assert.Equal($"{file}/: ends in '/', which names a folder, and {file} is a file: give --data {file}", Fails(file + "/"));
    }

    [Fact]
    public void GlobMatchingNothing()
    {
        LakeFiles.Part(_folder.At("part-0.parquet"), 1, 1);
        Assert.Contains("the glob matches no files", Fails(_folder.At("*.csv")));
        Assert.Contains("does not exist", Fails(_folder.At("nowhere", "*.parquet")));
    }

    [Fact]
    public void PartMissingAColumnTheFirstHasIsNamedWithTheColumn()
    {
        LakeFiles.Part(_folder.At("part-0.parquet"), 1, 1);
        ParquetFixture.Write(_folder.At("part-1.parquet"), ParquetFixture.Int64("user_id", 1), ParquetFixture.Int64("item_id", 2));

        var message = Fails(_folder.Path);

        Assert.StartsWith(_folder.At("part-1.parquet") + ": column 'rating' is missing, but " + _folder.At("part-0.parquet") + " has it", message);
    }

    [Fact]
    public void PartWithAnExtraColumnIsNamedWithTheColumn()
    {
        ParquetFixture.Write(_folder.At("part-0.parquet"), ParquetFixture.Int64("user_id", 1), ParquetFixture.Int64("item_id", 2));
        ParquetFixture.Write(_folder.At("part-1.parquet"), ParquetFixture.Int64("user_id", 1), ParquetFixture.Int64("item_id", 2), ParquetFixture.Int64("timestamp", 3));

        Assert.StartsWith(_folder.At("part-1.parquet") + ": column 'timestamp' is not in", Fails(_folder.Path));
    }

    [Fact]
    public void PartWithAnotherColumnTypeIsNamedWithTheColumn()
    {
        LakeFiles.Part(_folder.At("part-0.parquet"), 1, 1);
        ParquetFixture.Write(_folder.At("part-1.parquet"), ParquetFixture.Int32("user_id", 1), ParquetFixture.Int64("item_id", 2), ParquetFixture.NullableFloat("rating", 3));

        Assert.StartsWith(_folder.At("part-1.parquet") + ": column 'user_id' has type int32, expected int64", Fails(_folder.Path));
    }

    [Fact]
    public void PartsUnderDifferentPartitionColumns()
    {
        LakeFiles.Part(_folder.At("day=1", "part-0.parquet"), 1, 1);
        LakeFiles.Part(_folder.At("hour=2", "part-0.parquet"), 1, 1);

        var message = Fails(_folder.Path);

        Assert.StartsWith(_folder.At("hour=2", "part-0.parquet") + ": partition directories (hour) differ", message);
    }

    [Fact]
    public void WhereNamingAnUnknownPartitionColumn()
    {
        LakeFiles.Part(_folder.At("day=1", "part-0.parquet"), 1, 1);
        var message = Fails(_folder.Path, "hour>3");
        Assert.Contains("unknown partition column 'hour'", message);
        Assert.Contains("has day", message);
    }

    [Fact]
    public void WhereOnADatasetWithoutPartitions()
    {
        LakeFiles.Part(_folder.At("part-0.parquet"), 1, 1);
        Assert.Contains("has no partition columns", Fails(_folder.Path, "day=1"));
    }

    [Fact]
    public void WhereMatchingNoPartition()
    {
        LakeFiles.Part(_folder.At("day=2024-01-01", "part-0.parquet"), 1, 1);
        LakeFiles.Part(_folder.At("day=2024-01-02", "part-0.parquet"), 1, 1);

        var message = Fails(_folder.Path, "day>=2030-01-01");

        Assert.Contains("matches none of the 2 part file(s)", message);
        Assert.Contains("day from 2024-01-01 to 2024-01-02", message);
    }

    [Fact]
    public void WhereMatchingNoPartitionGivesTheRangeInTheOrderItCompares()
    {
        foreach (var hour in new[] { 9, 10, 2 }) LakeFiles.Part(_folder.At($"hour={hour}", "part-0.parquet"), hour, 1);
        Assert.EndsWith("(hour from 2 to 10)", Fails(_folder.Path, "hour>20"));   // as text, "10" < "2" < "9"
    }

    [Theory]
    [InlineData("day<=2024-1-5", "2024-1-5", "<=", "write 2024-01-05")]
    [InlineData("day > '2024/01/05'", "2024/01/05", ">", "write 2024-01-05")]
    [InlineData("day>=1/5/2024", "1/5/2024", ">=", "write it as YYYY-MM-DD")]
    public void WhereOrderingByADateNotWrittenYyyyMmDdIsRefused(string where, string value, string op, string write)
    {
        // As text 2024-01-31 <= 2024-1-5: the wrong days were read without a word.
        LakeFiles.Part(_folder.At("day=2024-01-31", "part-0.parquet"), 1, 1);
        Assert.Equal($"--where '{where}': '{value}' looks like a date not written YYYY-MM-DD, and {op} compares it as text, where such a date sorts wrongly " +
            $"(2024-1-5 comes after 2024-01-31); {write}", Fails(_folder.Path, where));
        Assert.Contains("matches none", Fails(_folder.Path, "day=2024-1-5"));   // equality is exact, not an order
    }

    [Theory]
    [InlineData("day>=2024-13-45", "2024-13-45")]
    [InlineData("day=2023-02-29", "2023-02-29")]   // not a leap year
    public void WhereAgainstADateNotOnTheCalendarIsRefused(string where, string value)
    {
        // It was told "matches none of the part files", never that the date was wrong.
        LakeFiles.Part(_folder.At("day=2024-01-31", "part-0.parquet"), 1, 1);
        Assert.Equal($"--where '{where}': '{value}' is not a date (YYYY-MM-DD: a month from 01 to 12, a day of that month); write a day of the calendar", Fails(_folder.Path, where));
    }

    [Theory]
    [InlineData("day<2024-01-\uFF110", "2024-01-\uFF110", "\uFF11", "FF11", "<")]
    [InlineData("day<=2024-1-\uFF105", "2024-1-\uFF105", "\uFF10", "FF10", "<=")]   // an int.Parse of it threw a FormatException
    [InlineData("hour>\u0665", "\u0665", "\u0665", "0665", ">")]                       // Arabic-Indic five
    // Not orders alone, nor decimal digits alone (char.IsDigit passes a superscript by): each kept or dropped partitions without a word.
    [InlineData("day!=2024-01-\uFF105", "2024-01-\uFF105", "\uFF10", "FF10", "!=")]
    [InlineData("day=2024-01-\uFF105", "2024-01-\uFF105", "\uFF10", "FF10", "=")]
    [InlineData("day<=2024-01-0\u2075", "2024-01-0\u2075", "\u2075", "2075", "<=")]   // superscript five
    [InlineData("hour==\U0001D7D3", "\U0001D7D3", "\U0001D7D3", "1D7D3", "==")]        // mathematical bold five, outside the BMP
    public void WhereByAValueWithADigitOtherThanAsciiIsRefusedWhateverItsOperator(string where, string value, string digit, string code, string op)
    {
        // As text a full-width digit sorts after every ASCII one and equals none: the condition kept or dropped partitions without a word.
        LakeFiles.Part(_folder.At("day=2024-01-05", "part-0.parquet"), 1, 1);
        Assert.Equal($"--where '{where}': '{value}' holds '{digit}' (U+{code}), a digit other than 0-9; {op} compares numbers and YYYY-MM-DD dates " +
            "written in ASCII digits, so write it with 0-9", Fails(_folder.Path, where));
    }

    [Theory]
    [InlineData("day", "2024-01-01", "bogus", "day>=2024-01-01", "'bogus' is not a date written YYYY-MM-DD as '2024-01-01' is")]
    [InlineData("day", "2024-01-01", "2024-1-9", "day<2024-01-05", "'2024-1-9' is not a date written YYYY-MM-DD as '2024-01-05' is")]
    [InlineData("hour", "3", "x", "hour<5", "'x' is not a number as '5' is")]
    // Not text, yet not the value's kind: a number against a date, a date against a number (kills KindOf(actual) != "text" for == kind).
    [InlineData("day", "2024-01-01", "20240105", "day>=2024-01-01", "'20240105' is not a date written YYYY-MM-DD as '2024-01-01' is")]
    [InlineData("hour", "3", "2024-01-01", "hour<5", "'2024-01-01' is not a number as '5' is")]
    public void WhereOrderingAPartitionOfAnotherKindThanItsValueIsRefusedNamingThePart(string key, string good, string odd, string where, string why)
    {
        // As text "bogus" >= "2024-01-01" and "x" < "5" is false: the odd part was kept, or left out, by its first character.
        LakeFiles.Part(_folder.At($"{key}={good}", "part-0.parquet"), 1, 1);
        var oddPart = _folder.At($"{key}={odd}", "part-0.parquet");
        LakeFiles.Part(oddPart, 2, 1);

        Assert.Equal($"{oddPart}: partition {key}={odd} cannot be ordered by --where '{where}': {why} (compared as text it would be kept or left out by " +
            "the order of its characters); rename its directory, or leave it out of --data", Fails(_folder.Path, where));
        Assert.Equal(_folder.At($"{key}={good}", "part-0.parquet"), Assert.Single(LogDataset.Open(_folder.Path, $"{key}={good}").Parts).Path);   // equality takes any kind
        Assert.Equal(oddPart, Assert.Single(LogDataset.Open(_folder.Path, $"{key}!={good}").Parts).Path);
    }

    [Theory]
    [InlineData("2024-01-\uFF105", "day<2024-01-10", "'\uFF10' (U+FF10)")]   // .NET's \d takes any Unicode digit: this sorted after every ASCII day
    [InlineData("2024-01-\uFF105", "day!=2024-01-01", "'\uFF10' (U+FF10)")]
    [InlineData("2024-01-\uFF105", "day=2024-01-05", "'\uFF10' (U+FF10)")]
    [InlineData("2024-01-0\u2075", "day>=2024-01-01", "'\u2075' (U+2075)")]
    public void A_partition_value_with_a_digit_other_than_ascii_is_refused_naming_the_part_whatever_the_operator(string odd, string where, string digit)
    {
        // Compared as text it equals no ASCII-written day and sorts after them all: kept or left out without a word.
        LakeFiles.Part(_folder.At("day=2024-01-01", "part-0.parquet"), 1, 1);
        var oddPart = _folder.At($"day={odd}", "part-0.parquet");
        LakeFiles.Part(oddPart, 2, 1);

        Assert.Equal($"{oddPart}: partition day={odd} cannot be compared by --where '{where}': it holds {digit}, a digit other than 0-9, and numbers and dates " +
            "are written in ASCII digits (compared as text it would equal no value and be kept or left out by the order of its characters); " +
            "rename its directory, or leave it out of --data", Fails(_folder.Path, where));
    }

    [Theory]
    [InlineData("split", "train")]
    [InlineData("user_id", "5")]
    [InlineData("rating", "3")]
    public void A_partition_directory_naming_a_column_of_its_files_is_refused_naming_both(string key, string value)
    {
        // The files' column would be read while --where filtered on the directory's value: split=test/ holding rows that say train.
        var part = _folder.At($"{key}={value}", "part-0.parquet");
        Directory.CreateDirectory(Path.GetDirectoryName(part)!);
        ParquetFixture.Write(part, ParquetFixture.Int64("user_id", 1), ParquetFixture.Int64("item_id", 2), ParquetFixture.NullableFloat("rating", 4),
            ParquetFixture.Text("split", "test"));
        var expected = $"{part}: partition directory {key}={value} names a column the file also has ('{key}'), and the two could disagree; rename the directory key or leave the column out of the files";
        Assert.Equal(expected, Fails(_folder.Path));
        var streamed = new LakeSource(LogDataset.Open(_folder.Path), new ReadOptions(), new LabelingOptions(LabelRule.Rating), new SplitOptions(ByHash: true));
        Assert.Equal(expected, Assert.Throws<DataException>(() => PreparedDataset.Stream(streamed, FeedbackOptions.Default, middleBand: false, shuffleBuffer: 8)).Message);
    }

    [Theory]
    [InlineData("day")]
    [InlineData(">= 3")]
    [InlineData("day >= ")]
    [InlineData("day ~ 3")]
    [InlineData("day=1,,day=2")]
    [InlineData("day>=2 or day<1")]          // no 'or': read as one value, it selected days by text, silently
    [InlineData("day>=1;day<2")]
    [InlineData("day<2 andday>0")]
    [InlineData("day='1")]
    public void WhereThatIsNotAConditionList(string where)
    {
        LakeFiles.Part(_folder.At("day=1", "part-0.parquet"), 1, 1);
        Assert.Contains("expected COLUMN OP VALUE", Fails(_folder.Path, where));
    }
}
