using System.Buffers;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace InverseLearning.Serving.Transport;

/// <summary>
/// Counts in a message's wire bytes, before it is parsed. Only the top level is read (tag,
/// then the field's value or length skipped). Bytes the scan cannot walk as protobuf are refused
/// (<see cref="MalformedMessageException"/>), never left to the parser: a count that stopped there
/// would be lower than what the parser builds from the rest.
/// </summary>
public static class RequestScan
{
    private const int RequestsField = 1, CandidatesField = 2, TopKField = 3;
    private const int VarintWireType = 0, Fixed64WireType = 1, LengthDelimitedWireType = 2, StartGroupWireType = 3, EndGroupWireType = 4, Fixed32WireType = 5;
    private const int MaxVarintBytes = 10;

    /// <summary>Where a malformed field is: a message's own top level, or (0 and up) one of a batch's requests.</summary>
    private const int TopLevel = -1;

    /// <summary>
    /// A RankBatchRequest's number of requests, counting no further than one past <paramref name="limit"/>. Counted
    /// before the parse: an empty RankRequest is 2 bytes on the wire but an object, a list and a slot once parsed, so a
    /// message of a megabyte could become tens of megabytes before its requests were checked. Only field 1 as a message
    /// counts: the parser keeps field 1 of any other wire type as an unknown field, not a request.
    /// </summary>
    /// <exception cref="MalformedMessageException">The bytes, up to the count's end, are not protobuf the scan can walk.</exception>
    public static int CountRequests(ReadOnlySequence<byte> payload, int limit)
    {
        var reader = new SequenceReader<byte>(payload);
        var count = 0;
        while (!reader.End && count <= limit)
        {
            var (field, wireType) = ReadTag(ref reader, TopLevel, 0);
            if (field == RequestsField && wireType == LengthDelimitedWireType) count++;
            Skip(ref reader, field, wireType, TopLevel);
        }
        return count;
    }

    /// <summary>
    /// A RankRequest's candidate ids (or a ScoreRequest's item ids, the same field number), packed (each varint ends in a byte
    /// under 0x80) or not (one tag each), so that its parse can refuse a list over the limit, or size it once (<see cref="StrictRankerBinding"/>).
    /// </summary>
    /// <exception cref="MalformedMessageException">The bytes are not protobuf the scan can walk.</exception>
    public static int CountCandidates(ReadOnlySequence<byte> payload) => ScanRequest(payload, TopLevel, out _);

    /// <summary>
    /// A RankBatchRequest's requests in order, each as its candidates (counted as <see cref="CountCandidates"/> counts them) and
    /// its top_k, so that a batch over the candidate limit in all can be refused before its requests become objects
    /// (<see cref="StrictRankerBinding"/>). Bytes the scan cannot walk, in the batch or in a request, throw
    /// <see cref="MalformedMessageException"/> when the enumeration reaches them.
    /// </summary>
    public static BatchRequests ScanBatch(ReadOnlySequence<byte> payload) => new(payload);

    /// <summary>The requests of <see cref="ScanBatch"/>, read one at a time: a struct, so that a call's scan allocates nothing.</summary>
    public struct BatchRequests(ReadOnlySequence<byte> payload)
    {
        private ReadOnlySequence<byte> _rest = payload;
        private long _restAt;
        private int _index;

        /// <summary>The request read last: its candidates and its top_k.</summary>
        public (int Candidates, int TopK) Current { readonly get; private set; }

        public readonly BatchRequests GetEnumerator() => this;

        public bool MoveNext()
        {
            var reader = new SequenceReader<byte>(_rest);
            while (!reader.End)
            {
                var (field, wireType) = ReadTag(ref reader, TopLevel, _restAt);
                if (field != RequestsField || wireType != LengthDelimitedWireType)
                {
                    Skip(ref reader, field, wireType, TopLevel);
                    continue;
                }
                var length = ReadLength(ref reader, field, TopLevel);
                var request = reader.UnreadSequence.Slice(0, length);
                reader.Advance(length);
                _rest = reader.UnreadSequence;
                _restAt += reader.Consumed;
                Current = (ScanRequest(request, _index++, out var topK), topK);
                return true;
            }
            _rest = ReadOnlySequence<byte>.Empty;
            return false;
        }
    }

    /// <summary>A RankRequest's candidates, and its top_k (the last one given, as the parser keeps it; 0 when none is).</summary>
    private static int ScanRequest(ReadOnlySequence<byte> payload, int request, out int topK)
    {
        var reader = new SequenceReader<byte>(payload);
        var count = 0;
        topK = 0;
        while (!reader.End)
        {
            var (field, wireType) = ReadTag(ref reader, request, 0);
            if (field == TopKField && wireType == VarintWireType)
            {
                // An int32 on the wire is a varint of its 64-bit sign extension; the parser keeps its low 32 bits.
                topK = unchecked((int)ReadVarint(ref reader, field, request));
            }
            else if (field == CandidatesField && wireType == VarintWireType)
            {
                ReadVarint(ref reader, field, request);
                count++;
            }
            else if (field == CandidatesField && wireType == LengthDelimitedWireType)
            {
                var length = ReadLength(ref reader, field, request);
                var packed = reader.UnreadSequence.Slice(0, length);
                foreach (var segment in packed) count += VarintEnds(segment.Span);
                // A run cut inside its last varint: what the parser would refuse, refused here in these words.
                if (length > 0 && packed.Slice(length - 1).FirstSpan[0] >= 0x80)
                    throw Malformed(request, $"field {field}'s packed values end inside a varint (the last byte of a varint is under 0x80)");
                reader.Advance(length);
            }
            else
            {
                Skip(ref reader, field, wireType, request);
            }
        }
        return count;
    }

    /// <summary>
    /// The bytes under 0x80 (each the last byte of a varint), a vector at a time: a RankBatch's candidates are most of its bytes,
    /// and the scan before its parse would otherwise read them one by one.
    /// </summary>
    private static int VarintEnds(ReadOnlySpan<byte> bytes)
    {
        var (ends, i) = (0, 0);
        if (Vector256.IsHardwareAccelerated)
            for (; i <= bytes.Length - Vector256<byte>.Count; i += Vector256<byte>.Count)
                ends += Vector256<byte>.Count - BitOperations.PopCount(Vector256.Create(bytes.Slice(i, Vector256<byte>.Count)).ExtractMostSignificantBits());
        for (; i < bytes.Length; i++)
            if (bytes[i] < 0x80) ends++;
        return ends;
    }

    /// <summary>
    /// A field's tag, read as the parser reads it (a varint of at most 10 bytes, kept to 32 bits), refused where the parser would
    /// refuse it or would read what the scan cannot follow: a group (proto3 has none, no client of this API sends one, and the
    /// parser keeps one as an unknown field, reading on past it).
    /// </summary>
    /// <param name="readerAt">Where the reader's bytes start in the message: the tag's place is named in the message's bytes.</param>
    private static (int Field, int WireType) ReadTag(ref SequenceReader<byte> reader, int request, long readerAt)
    {
        var at = readerAt + reader.Consumed;
        var tag = ReadVarint(ref reader, out var problem);
        if (problem is not null) throw Malformed(request, $"the tag at byte {at} {problem}");
        // The parser keeps a tag's low 32 bits: a tag above them would be another field to it than to the scan.
        if (tag > uint.MaxValue) throw Malformed(request, $"the tag at byte {at} is over 32 bits (a field number and a wire type)");
        var (field, wireType) = ((int)(tag >> 3), (int)(tag & 7));
        if (field == 0) throw Malformed(request, $"the tag at byte {at} names field 0; field numbers start at 1");
        if (wireType is StartGroupWireType or EndGroupWireType)
            throw Malformed(request, $"field {field} is a group (wire type {wireType}); groups are not accepted, send the field as a message (wire type 2)");
        if (wireType > Fixed32WireType) throw Malformed(request, $"field {field} has wire type {wireType}; protobuf's wire types are 0, 1, 2 and 5");
        return (field, wireType);
    }

    private static void Skip(ref SequenceReader<byte> reader, int field, int wireType, int request)
    {
        switch (wireType)
        {
            case VarintWireType: ReadVarint(ref reader, field, request); break;
            case Fixed64WireType: Advance(ref reader, 8, field, request); break;
            case Fixed32WireType: Advance(ref reader, 4, field, request); break;
            default: reader.Advance(ReadLength(ref reader, field, request)); break;
        }
    }

    private static void Advance(ref SequenceReader<byte> reader, int count, int field, int request)
    {
        if (reader.Remaining < count) throw Malformed(request, $"the message ends inside field {field}'s {count}-byte value");
        reader.Advance(count);
    }

    /// <summary>A length-delimited field's length, which must end within the message.</summary>
    private static long ReadLength(ref SequenceReader<byte> reader, int field, int request)
    {
        var length = ReadVarint(ref reader, field, request);
        if (length > (ulong)reader.Remaining)
            throw Malformed(request, $"field {field}'s length ({length} bytes) is more than the {reader.Remaining} left in the message");
        return (long)length;
    }

    private static ulong ReadVarint(ref SequenceReader<byte> reader, int field, int request)
    {
        var value = ReadVarint(ref reader, out var problem);
        return problem is null ? value : throw Malformed(request, $"field {field}'s varint {problem}");
    }

    /// <summary>A varint of at most 10 bytes (a 64-bit value's), or what is wrong with the bytes there.</summary>
    private static ulong ReadVarint(ref SequenceReader<byte> reader, out string? problem)
    {
        var value = 0UL;
        for (var i = 0; i < MaxVarintBytes; i++)
        {
            if (!reader.TryRead(out var b))
            {
                problem = "is cut off by the message's end";
                return 0;
            }
            value |= (ulong)(b & 0x7F) << (7 * i);
            if (b < 0x80)
            {
                problem = null;
                return value;
            }
        }
        problem = $"is more than {MaxVarintBytes} bytes long; a varint ends at its first byte under 0x80, by its {MaxVarintBytes}th";
        return 0;
    }

    private static MalformedMessageException Malformed(int request, string problem) => new(request == TopLevel ? problem : $"requests[{request}]: {problem}");
}
