using InverseLearning.Training.Cluster;

namespace InverseLearning.Training.Tests.Cluster;

public class ClusterRunRecordTests : IDisposable
{
    private readonly string _out = Directory.CreateTempSubdirectory("il-run-record-").FullName;

    [Theory]
    // A count past --shards' range would have the takeover ask for every one of them, growing without bound.
    [InlineData("""{"Run":"abc","Shards":100000000}""", "Shards 100,000,000, expected a whole number from 1 to 4,096")]
    // No shard to drop: the takeover would leave the orphaned run's snapshots in --state without a word.
    [InlineData("""{"Run":"abc","Shards":0}""", "Shards 0, expected a whole number from 1 to 4,096 (a --shards)")]
    [InlineData("""{"Run":"../abc","Shards":8}""", "Run '../abc', expected a string of 1 to 64 letters, digits, '-' or '_'")]
    // A missing field is named as missing, not as the default the serializer left (Shards 0, out of range).
    [InlineData("""{"Shards":8}""", "the field Run is missing (or null); expected {\"Run\": NAME, \"Shards\": COUNT}")]
    [InlineData("""{"Run":"abc"}""", "the field Shards is missing (or null); expected {\"Run\": NAME, \"Shards\": COUNT}")]
    [InlineData("""{"Run":"abc","Shards":null}""", "the field Shards is missing (or null)")]
    // A repeated key escaped as the serializer's ArgumentException, and a value of the wrong type got a message naming no field.
    [InlineData("""{"Run":"a","Run":"b","Shards":2}""", "the field Run is given more than once; expected {\"Run\": NAME, \"Shards\": COUNT}")]
    [InlineData("""{"Run":"abc","Shards":"2"}""", "Shards \"2\", expected a whole number from 1 to 4,096 (a --shards)")]
    [InlineData("""{"Run":"abc","Shards":2.5}""", "Shards 2.5, expected a whole number from 1 to 4,096 (a --shards)")]
    [InlineData("""{"Run":5,"Shards":2}""", "Run 5, expected a string of 1 to 64 letters, digits, '-' or '_' (a --run)")]
    public void A_record_out_of_the_flags_ranges_is_refused_naming_the_file_and_field(string json, string expected)
    {
        var path = Path.Combine(_out, ClusterRunRecord.FileName);
        File.WriteAllText(path, json);
        var refused = Assert.Throws<InvalidDataException>(() => ClusterRunRecord.Read(_out));
        Assert.StartsWith($"{path}: ", refused.Message);
        Assert.Contains(expected, refused.Message);
    }

    [Fact]
    public void A_record_as_a_run_writes_it_comes_back()
    {
        new ClusterRunRecord("0123abcd", ClusterSettings.MaxShards).Save(_out);
        Assert.Equal(new ClusterRunRecord("0123abcd", ClusterSettings.MaxShards), ClusterRunRecord.Read(_out));
    }

    public void Dispose() => Directory.Delete(_out, recursive: true);
}
