using System.Globalization;
using System.Text.Json.Nodes;
using InverseLearning.Data;
using InverseLearning.Training.Artifacts;

namespace InverseLearning.Training.Reports;

/// <summary>
/// The flags that chose and labeled an experiment's log, as given: the --data path (and in full), --where, --labels and its
/// thresholds, the rating range and --on-bad-row (they decide which rows are read), --extra-feedback and --test-positives.
/// </summary>
public sealed record DataSource(string Data, string? Where, string Labels, double FinishPositiveAbove, double FinishNegativeBelow,
    float RatingPositiveAtLeast, float RatingNegativeAtMost, float RatingMin, float RatingMax, string OnBadRow, string ExtraFeedback, string TestPositives);

/// <summary>
/// What a run was trained on, as results.json's and each run's metrics.json's <c>data</c> hold it: the <see cref="DataSource"/>
/// when the command line gave one, whether a ground truth was beside the log, and the prepared data's <see cref="DataFingerprint"/>
/// (its labeled rows, labels and split hashed, and its extra feedback and unlabeled rows). Two experiments on other logs or labels are told apart by it, and an experiment
/// run again reuses a finished run only when its record is this one.
/// </summary>
public sealed record DataRecord(DataSource? Source, bool GroundTruth, DataFingerprint Fingerprint)
{
    public const string Field = "data";

    /// <summary>
    /// The fields that hold a flag as typed, which a finished run's reuse compares through another: the --data path by its full
    /// path, so that ./log.parquet and log.parquet are the same log. (--where is recorded in its normal form, so `day >= 3 and hour &lt; 5`
    /// and `hour&lt;5,day>=3` are one filter.)
    /// </summary>
    public static IReadOnlyList<string> AsGiven { get; } = ["path"];

    /// <summary>This record as a run of <paramref name="settings"/> is trained on it: its fingerprint as the run depends on it (<see cref="DataFingerprint.ForRun"/>).</summary>
    public DataRecord ForRun(TrainSettings settings) => this with { Fingerprint = Fingerprint.ForRun(settings) };

    public JsonObject ToJson()
    {
        var node = new JsonObject();
        if (Source is { } source)
        {
            node["path"] = source.Data;
            node["full_path"] = Path.GetFullPath(source.Data);
            node["where"] = source.Where is null ? null : PartitionFilter.Parse(source.Where).Normal;
            node["labels"] = source.Labels;
            node["finish_positive_above"] = source.FinishPositiveAbove;
            node["finish_negative_below"] = source.FinishNegativeBelow;
            node["rating_positive_at_least"] = source.RatingPositiveAtLeast;
            node["rating_negative_at_most"] = source.RatingNegativeAtMost;
            node["rating_min"] = source.RatingMin;
            node["rating_max"] = source.RatingMax;
            node["on_bad_row"] = source.OnBadRow;
            node["extra_feedback"] = source.ExtraFeedback;
            node["test_positives"] = source.TestPositives;
        }
        node["ground_truth"] = GroundTruth;
        var fingerprint = new JsonObject
        {
            ["users"] = Fingerprint.Users,
            ["items"] = Fingerprint.Items,
            ["train_rows"] = Fingerprint.TrainRows,
            ["valid_rows"] = Fingerprint.ValidRows,
            ["test_rows"] = Fingerprint.TestRows,
            // As hex: a 64-bit hash is past the integers JSON readers hold exactly.
            ["hash"] = Hex(Fingerprint.Hash),
        };
        if (Fingerprint.ExtraFeedback is { } extra) fingerprint[ExtraFeedbackField] = Hex(extra);
        if (Fingerprint.Unlabeled is { } unlabeled) fingerprint[UnlabeledField] = Hex(unlabeled);
        node[FingerprintField] = fingerprint;
        return node;
    }

    private const string FingerprintField = "fingerprint", ExtraFeedbackField = "extra_feedback", UnlabeledField = "unlabeled";

    /// <summary>The fields a finished run's reuse compares otherwise than as written: the path as given (<see cref="AsGiven"/>), and the fingerprint (<see cref="FingerprintDifference"/>).</summary>
    public static IReadOnlyList<string> ComparedOtherwise { get; } = [.. AsGiven, FingerprintField];

    /// <summary>
    /// How the fingerprint differs from the one <paramref name="recorded"/> (a run's <c>data</c> record) holds, in words after
    /// "other data: "; null where it does not. A hash the record lacks (an earlier build's) is not compared, as in a checkpoint.
    /// </summary>
    public string? FingerprintDifference(JsonObject recorded) =>
        ReadFingerprint(recorded[FingerprintField]) is not { } fingerprint ? $"{FingerprintField} (none readable recorded)"
        : fingerprint.Difference(Fingerprint) is { } words ? $"{FingerprintField} (this log has {words})"
        : null;

    // The fingerprint as ToJson writes it; null where a field it has always held is missing or not of its type.
    private static DataFingerprint? ReadFingerprint(JsonNode? node)
    {
        if (node is not JsonObject fields) return null;
        int? Count(string name) => fields[name] is JsonValue value && value.TryGetValue<int>(out var count) ? count : null;
        ulong? HexField(string name) => fields[name] is JsonValue value && value.TryGetValue<string>(out var text)
            && ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hash) ? hash : null;
        if (Count("users") is not { } users || Count("items") is not { } items || Count("train_rows") is not { } train || Count("valid_rows") is not { } valid
            || Count("test_rows") is not { } test || HexField("hash") is not { } rows) return null;
        return new DataFingerprint(users, items, train, valid, test, rows, ExtraFeedback: HexField(ExtraFeedbackField), Unlabeled: HexField(UnlabeledField));
    }

    private static string Hex(ulong hash) => hash.ToString("x16", CultureInfo.InvariantCulture);

    private string Hash => Hex(Fingerprint.Hash);

    /// <summary>table.md's line under its title: the log and flags, then what the fingerprint counts.</summary>
    public string Line()
    {
        var source = Source is { } s
            ? $"--data {s.Data}{(s.Where is null ? "" : $" --where '{s.Where}'")}, --labels {s.Labels}, --extra-feedback {s.ExtraFeedback}, --test-positives {s.TestPositives}; "
            : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"Data: {source}{Fingerprint.Users:N0} users, {Fingerprint.Items:N0} items, train/valid/test {Fingerprint.TrainRows:N0}/{Fingerprint.ValidRows:N0}/{Fingerprint.TestRows:N0} " +
            $"labeled rows, fingerprint {Hash}{(GroundTruth ? ", with its ground truth" : "")} (results.json's data holds every flag).");
    }
}
