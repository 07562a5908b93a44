using DuckDB.NET.Data;

namespace InverseLearning.Data.Tests.Lake;

/// <summary>
/// The reader against an independent writer: DuckDB's `COPY ... (FORMAT parquet,
/// PARTITION_BY ...)`, as a lake export produces it (its own row groups, nullable
/// columns, `day=.../data_0.parquet` directories, partition column left out of the files).
/// DuckDB also answers the queries the read log is checked against.
/// </summary>
public class DuckDbLakeTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly DuckDBConnection _db = new("DataSource=:memory:");

    public DuckDbLakeTests()
    {
        _db.Open();
        Execute("""
            CREATE TABLE log AS
            SELECT (i % 97)::BIGINT AS user_id,
                   (i * 7919 % 1003)::BIGINT AS item_id,
                   (1704067200000 + i * 3600000)::BIGINT AS timestamp,
                   CASE WHEN i % 11 = 0 THEN NULL ELSE (i * 37 % 10000)::BIGINT END AS play_time_ms,
                   10000::BIGINT AS duration_ms,
                   CASE WHEN i % 13 = 0 THEN NULL ELSE (i % 2 = 0) END AS "like",
                   strftime(to_timestamp((1704067200000 + i * 3600000) / 1000), '%Y-%m-%d') AS day
            FROM range(0, 5000) t(i)
            """);
        Execute($"COPY log TO '{Lake}' (FORMAT parquet, PARTITION_BY (day), ROW_GROUP_SIZE 300)");
    }

    private string Lake => _folder.At("lake");

    public void Dispose()
    {
        _db.Dispose();
        _folder.Dispose();
    }

    private void Execute(string sql)
    {
        using var command = _db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private long Scalar(string sql)
    {
        using var command = _db.CreateCommand();
        command.CommandText = sql;
        // Sums come back as HUGEINT (BigInteger): go through text, exactly.
        return long.Parse(command.ExecuteScalar()!.ToString()!, System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void ReadsEveryRowWithItsValuesAndItsDayPartition()
    {
        var read = LogDataset.Open(Lake).Read();
        var log = read.Log;

        Assert.Equal(Scalar("SELECT count(*) FROM log"), log.Count);
        Assert.Equal(Scalar("SELECT count(DISTINCT day) FROM log"), read.Partitions.Parts);
        Assert.Equal(["day"], read.Partitions.Keys);
        Assert.Equal(Scalar("SELECT count(*) FROM log WHERE play_time_ms IS NULL"), log.PlayTimeMs!.HasValue.Count(h => !h));
        Assert.Equal(Scalar("SELECT count(*) FROM log WHERE \"like\""), Enumerable.Range(0, log.Count).Count(r => log.Like![r] == true));
        // Each row's values agree with DuckDB's row of the same timestamp (timestamps are unique), and its partition with its day.
        var expectedPlay = Scalar("SELECT sum(coalesce(play_time_ms, 0) * (timestamp % 1000003)) FROM log");
        var actualPlay = 0L;
        for (var r = 0; r < log.Count; r++)
        {
            var ts = log.TimestampMs![r];
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(ts).UtcDateTime.ToString("yyyy-MM-dd"), read.Partitions.ValueAt("day", r));
            Assert.Equal((ts - 1704067200000) / 3600000 % 97, log.UserId[r]);
            actualPlay += (log.PlayTimeMs.HasValue[r] ? log.PlayTimeMs.Values[r] : 0) * (ts % 1000003);
        }
        Assert.Equal(expectedPlay, actualPlay);
    }

    [Fact]
    public void WhereKeepsTheRowsDuckDbSelectsForTheSameCondition()
    {
        var read = LogDataset.Open(Lake, "day>=2024-03-01,day<2024-03-15").Read();

        Assert.Equal(Scalar("SELECT count(*) FROM log WHERE day >= '2024-03-01' AND day < '2024-03-15'"), read.Log.Count);
        Assert.Equal(14, read.Partitions.Parts);
        Assert.Equal(Scalar("SELECT sum(item_id) FROM log WHERE day >= '2024-03-01' AND day < '2024-03-15'"), read.Log.ItemId.Sum());
    }

    [Fact]
    public void GlobOverDuckDbsPartFilesReadsTheSame()
    {
        var all = LogDataset.Open(Lake).Read().Log;
        var globbed = LogDataset.Open(Path.Combine(Lake, "day=*", "*.parquet")).Read().Log;

        Assert.Equal(all.UserId, globbed.UserId);
        Assert.Equal(all.TimestampMs, globbed.TimestampMs);
    }
}
