using InverseLearning.Training.Artifacts;

namespace InverseLearning.Training.Tests.Artifacts;

public class Crc32Tests
{
    /// <summary>The bit-at-a-time definition: the reference the table-driven code must agree with.</summary>
    private static uint Reference(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }

    [Fact]
    public void Matches_the_published_check_value() => Assert.Equal(0xCBF43926u, Crc32.Of("123456789"u8));

    [Fact]
    public void The_empty_input_is_zero() => Assert.Equal(0u, Crc32.Of([]));

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(1000)]
    public void Agrees_with_the_bitwise_definition_in_any_chunking(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        var crc = new Crc32();
        for (var start = 0; start < length; start += 3) crc.Append(bytes.AsSpan(start, Math.Min(3, length - start)));
        Assert.Equal(Reference(bytes), crc.Value);
        Assert.Equal(Reference(bytes), Crc32.Of(bytes));
    }
}
