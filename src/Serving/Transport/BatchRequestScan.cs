using System.Buffers;

namespace InverseLearning.Serving.Transport;

/// <summary>
/// Counts a RankBatchRequest's requests in its wire bytes, before they are parsed: an empty
/// RankRequest is 2 bytes on the wire but an object, a list and a slot once parsed, so a
/// message of a megabyte could become tens of megabytes before its requests were checked.
/// Only the top level is read (tag, then the field's length skipped); bytes that are not
/// protobuf stop the count and are left to the parser to refuse.
/// </summary>
public static class BatchRequestScan
{
    private const int RequestsField = 1;

    /// <summary>The number of requests, counting no further than one past <paramref name="limit"/>.</summary>
    public static int CountRequests(ReadOnlySequence<byte> payload, int limit)
    {
        var reader = new SequenceReader<byte>(payload);
        var count = 0;
        while (!reader.End && count <= limit)
        {
            if (!TryReadVarint(ref reader, out var tag) || !TrySkip(ref reader, (int)(tag & 7))) break;
            if (tag >> 3 == RequestsField) count++;
        }
        return count;
    }

    private static bool TrySkip(ref SequenceReader<byte> reader, int wireType)
    {
        switch (wireType)
        {
            case 0: return TryReadVarint(ref reader, out _);
            case 1: return TryAdvance(ref reader, 8);
            case 5: return TryAdvance(ref reader, 4);
            case 2: return TryReadVarint(ref reader, out var length) && length <= long.MaxValue && TryAdvance(ref reader, (long)length);
            default: return false;
        }
    }

    private static bool TryAdvance(ref SequenceReader<byte> reader, long count)
    {
        if (reader.Remaining < count) return false;
        reader.Advance(count);
        return true;
    }

    private static bool TryReadVarint(ref SequenceReader<byte> reader, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (!reader.TryRead(out var b)) return false;
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return true;
        }
        return false;
    }
}
