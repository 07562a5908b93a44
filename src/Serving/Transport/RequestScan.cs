using System.Buffers;

namespace InverseLearning.Serving.Transport;

/// <summary>
/// Counts in a message's wire bytes, before it is parsed. Only the top level is read (tag,
/// then the field's value or length skipped); bytes that are not protobuf stop the count and
/// are left to the parser to refuse.
/// </summary>
public static class RequestScan
{
    private const int RequestsField = 1, CandidatesField = 2;
    private const int VarintWireType = 0, LengthDelimitedWireType = 2;

    /// <summary>
    /// A RankBatchRequest's number of requests, counting no further than one past <paramref name="limit"/>. Counted
    /// before the parse: an empty RankRequest is 2 bytes on the wire but an object, a list and a slot once parsed, so a
    /// message of a megabyte could become tens of megabytes before its requests were checked.
    /// </summary>
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

    /// <summary>
    /// A RankRequest's candidate ids (or a ScoreRequest's item ids, the same field number), packed (each varint ends in a byte
    /// under 0x80) or not (one tag each), so that its parse can refuse a list over the limit, or size it once (<see cref="StrictRankerBinding"/>).
    /// </summary>
    public static int CountCandidates(ReadOnlySequence<byte> payload)
    {
        var reader = new SequenceReader<byte>(payload);
        var count = 0;
        while (!reader.End)
        {
            if (!TryReadVarint(ref reader, out var tag)) break;
            var wireType = (int)(tag & 7);
            if (tag >> 3 != CandidatesField || wireType is not (VarintWireType or LengthDelimitedWireType))
            {
                if (!TrySkip(ref reader, wireType)) break;
            }
            else if (wireType == VarintWireType)
            {
                if (!TryReadVarint(ref reader, out _)) break;
                count++;
            }
            else
            {
                if (!TryReadVarint(ref reader, out var length) || length > (ulong)reader.Remaining) break;
                var packed = reader.UnreadSequence.Slice(0, (long)length);
                foreach (var segment in packed)
                    foreach (var b in segment.Span)
                        if (b < 0x80) count++;
                reader.Advance((long)length);
            }
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
