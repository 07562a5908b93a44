using System.Buffers;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace InverseLearning.Serving.Transport;

/// <summary>
/// Counts in a message's wire bytes, before it is parsed. Only the top level is read (tag,
/// then the field's value or length skipped); bytes that are not protobuf stop the count and
/// are left to the parser to refuse.
/// </summary>
public static class RequestScan
{
    private const int RequestsField = 1, CandidatesField = 2, TopKField = 3;
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
    public static int CountCandidates(ReadOnlySequence<byte> payload) => ScanRequest(payload, out _);

    /// <summary>
    /// A RankBatchRequest's requests in order, each as its candidates (counted as <see cref="CountCandidates"/> counts them) and
    /// its top_k, so that a batch over the candidate limit in all can be refused before its requests become objects
    /// (<see cref="StrictRankerBinding"/>). Bytes that are not protobuf end the requests.
    /// </summary>
    public static BatchRequests ScanBatch(ReadOnlySequence<byte> payload) => new(payload);

    /// <summary>The requests of <see cref="ScanBatch"/>, read one at a time: a struct, so that a call's scan allocates nothing.</summary>
    public struct BatchRequests(ReadOnlySequence<byte> payload)
    {
        private ReadOnlySequence<byte> _rest = payload;

        /// <summary>The request read last: its candidates and its top_k.</summary>
        public (int Candidates, int TopK) Current { readonly get; private set; }

        public readonly BatchRequests GetEnumerator() => this;

        public bool MoveNext()
        {
            var reader = new SequenceReader<byte>(_rest);
            while (!reader.End)
            {
                if (!TryReadVarint(ref reader, out var tag)) break;
                if (tag >> 3 != RequestsField || (tag & 7) != LengthDelimitedWireType)
                {
                    if (!TrySkip(ref reader, (int)(tag & 7))) break;
                    continue;
                }
                if (!TryReadVarint(ref reader, out var length) || length > (ulong)reader.Remaining) break;
                var request = reader.UnreadSequence.Slice(0, (long)length);
                reader.Advance((long)length);
                _rest = reader.UnreadSequence;
                Current = (ScanRequest(request, out var topK), topK);
                return true;
            }
            _rest = ReadOnlySequence<byte>.Empty;
            return false;
        }
    }

    /// <summary>A RankRequest's candidates, and its top_k (the last one given, as the parser keeps it; 0 when none is).</summary>
    private static int ScanRequest(ReadOnlySequence<byte> payload, out int topK)
    {
        var reader = new SequenceReader<byte>(payload);
        var count = 0;
        topK = 0;
        while (!reader.End)
        {
            if (!TryReadVarint(ref reader, out var tag)) break;
            var wireType = (int)(tag & 7);
            if (tag >> 3 == TopKField && wireType == VarintWireType)
            {
                if (!TryReadVarint(ref reader, out var value)) break;
                // An int32 on the wire is a varint of its 64-bit sign extension; the parser keeps its low 32 bits.
                topK = unchecked((int)value);
            }
            else if (tag >> 3 != CandidatesField || wireType is not (VarintWireType or LengthDelimitedWireType))
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
                foreach (var segment in packed) count += VarintEnds(segment.Span);
                reader.Advance((long)length);
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
