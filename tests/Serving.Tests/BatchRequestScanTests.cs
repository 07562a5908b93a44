using System.Buffers;
using Google.Protobuf;
using InverseLearning.Serving.Transport;
using InverseLearning.V1;

namespace InverseLearning.Serving.Tests;

public sealed class BatchRequestScanTests
{
    private static ReadOnlySequence<byte> Bytes(RankBatchRequest batch) => new(batch.ToByteArray());

    private static RankBatchRequest Batch(int requests) => new()
    {
        Requests = { Enumerable.Range(0, requests).Select(r => new RankRequest { UserId = -r, CandidateItemIds = { r, long.MaxValue }, TopK = r + 1 }) },
    };

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(37)]
    public void Counts_the_requests_of_a_batch(int requests) => Assert.Equal(requests, BatchRequestScan.CountRequests(Bytes(Batch(requests)), 1_000));

    [Fact]
    public void Stops_one_past_the_limit() => Assert.Equal(11, BatchRequestScan.CountRequests(Bytes(Batch(500)), 10));

    [Fact]
    public void Counts_across_the_segments_of_a_sequence()
    {
        var bytes = Batch(9).ToByteArray();
        var first = new Segment(bytes.AsMemory(0, 7), 0);
        var last = first.Append(bytes.AsMemory(7));
        Assert.Equal(9, BatchRequestScan.CountRequests(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length), 100));
    }

    [Fact]
    public void Skips_other_fields_and_stops_at_bytes_that_are_not_protobuf()
    {
        // Field 2 (varint), field 3 (fixed64), field 4 (bytes), then a request, then an invalid wire type 7.
        byte[] bytes = [0x10, 0x96, 0x01, 0x19, 1, 2, 3, 4, 5, 6, 7, 8, 0x22, 0x02, 0x0A, 0x00, 0x0A, 0x00, 0x0F, 0x0A, 0x00];
        Assert.Equal(1, BatchRequestScan.CountRequests(new ReadOnlySequence<byte>(bytes), 100));
        // A length past the end stops the count too.
        Assert.Equal(0, BatchRequestScan.CountRequests(new ReadOnlySequence<byte>([0x0A, 0x7F, 0x00]), 100));
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
