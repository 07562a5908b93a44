namespace InverseLearning.Data;

/// <summary>What a split by time did: the days of each part and, for valid and test, the users and items no training row holds.</summary>
public sealed record TimeSplitReport(DaySplit Days, ColdStart Valid, ColdStart Test)
{
    /// <summary>"by time, days from …: train …, valid …, test …".</summary>
    public string DaysLine => $"by time, days from {Days.Source}: train {Days.Train}, valid {Days.Valid}, test {Days.Test}" +
        (Days.ReplacedSplitColumn ? "; the log's split column is not used" : "");

    /// <summary>The lines a run prints: the days, then the cold ids of valid and test (their rows are kept).</summary>
    public IEnumerable<string> Describe() =>
    [
        $"split {DaysLine}",
        $"  cold in valid: {Valid}",
        $"  cold in test:  {Test}",
        "  (rows of cold users and items are kept and evaluated; no training row taught their embeddings)",
    ];

    /// <summary>metrics.json's "time_split".</summary>
    public IReadOnlyDictionary<string, object> ToDictionary() => new Dictionary<string, object>
    {
        ["days_from"] = Days.Source,
        ["train_days"] = Span(Days.Train),
        ["valid_days"] = Span(Days.Valid),
        ["test_days"] = Span(Days.Test),
        ["cold_valid"] = Valid.ToDictionary(),
        ["cold_test"] = Test.ToDictionary(),
    };

    private static IReadOnlyDictionary<string, object> Span(DaySpan span) => new Dictionary<string, object>
    {
        ["first"] = UtcDay.Name(span.First), ["last"] = UtcDay.Name(span.Last), ["days"] = span.Days,
    };
}
