using System.Buffers;
using Google.Protobuf;
using Grpc.Core;
using InverseLearning.Serving.Transport;
using InverseLearning.V1;

namespace InverseLearning.Serving.Tests;

public sealed class RequestScanTests
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
    public void Counts_the_requests_of_a_batch(int requests) => Assert.Equal(requests, RequestScan.CountRequests(Bytes(Batch(requests)), 1_000));

    [Fact]
    public void Stops_one_past_the_limit() => Assert.Equal(11, RequestScan.CountRequests(Bytes(Batch(500)), 10));

    [Fact]
    public void Counts_across_the_segments_of_a_sequence()
    {
        var bytes = Batch(9).ToByteArray();
        var first = new Segment(bytes.AsMemory(0, 7), 0);
        var last = first.Append(bytes.AsMemory(7));
        Assert.Equal(9, RequestScan.CountRequests(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length), 100));
    }

    [Fact]
    public void Skips_other_fields()
    {
        // Field 2 (varint), field 3 (fixed64), field 4 (bytes), then a request.
        byte[] bytes = [0x10, 0x96, 0x01, 0x19, 1, 2, 3, 4, 5, 6, 7, 8, 0x22, 0x02, 0x0A, 0x00, 0x0A, 0x00];
        Assert.Single(RankBatchRequest.Parser.ParseFrom(bytes).Requests);
        Assert.Equal(1, RequestScan.CountRequests(new ReadOnlySequence<byte>(bytes), 100));
    }

    [Fact]
    public void Counts_field_1_only_as_a_message_as_the_parser_does()
    {
        // Field 1 as a varint (08 00) is an unknown field to the parser, not a request: 21 of them are an empty batch, not too many.
        var bytes = Enumerable.Repeat<byte[]>([0x08, 0x00], 21).SelectMany(b => b).Concat<byte>([0x0A, 0x00]).ToArray();
        Assert.Single(RankBatchRequest.Parser.ParseFrom(bytes).Requests);
        Assert.Equal(1, RequestScan.CountRequests(new ReadOnlySequence<byte>(bytes), 20));
    }

    /// <summary>Bytes the scan cannot walk as protobuf, each with what the refusal says about them.</summary>
    public static TheoryData<string, string> Unwalkable => new()
    {
        { "0F 0A 00", "field 1 has wire type 7; protobuf's wire types are 0, 1, 2 and 5" },
        { "0E 0A 00", "field 1 has wire type 6; protobuf's wire types are 0, 1, 2 and 5" },
        { "0A 7F 00", "field 1's length (127 bytes) is more than the 1 left in the message" },
        { "0A 00 19 01 02", "the message ends inside field 3's 8-byte value" },
        { "0A 00 10", "field 2's varint is cut off by the message's end" },
        { "10 FF FF FF FF FF FF FF FF FF FF 01", "field 2's varint is more than 10 bytes long; a varint ends at its first byte under 0x80, by its 10th" },
        { "0A 00 8A", "the tag at byte 2 is cut off by the message's end" },
        // Past two requests: the place is counted from the message's start, not from the request before.
        { "0A 00 0A 02 08 01 8A", "the tag at byte 6 is cut off by the message's end" },
        { "02 00", "the tag at byte 0 names field 0; field numbers start at 1" },
        // A tag's varint over 32 bits: the parser keeps the low 32 (field 1, a message), where the whole reads as field 2^29 + 1.
        { "8A 80 80 80 10 00", "the tag at byte 0 is over 32 bits (a field number and a wire type)" },
        { "7B 7C 0A 00", "field 15 is a group (wire type 3); groups are not accepted, send the field as a message (wire type 2)" },
        { "0A 00 7C", "field 15 is a group (wire type 4); groups are not accepted, send the field as a message (wire type 2)" },
    };

    [Theory]
    [MemberData(nameof(Unwalkable))]
    public void Refuses_bytes_it_cannot_walk_in_our_words(string hex, string problem)
    {
        var bytes = Convert.FromHexString(hex.Replace(" ", ""));

        Assert.Equal(problem, Assert.Throws<MalformedMessageException>(() => RequestScan.CountRequests(new ReadOnlySequence<byte>(bytes), 100)).Message);
        Assert.Equal(problem, Assert.Throws<MalformedMessageException>(() => RequestScan.CountCandidates(new ReadOnlySequence<byte>(bytes))).Message);
        Assert.Equal(problem, Assert.Throws<MalformedMessageException>(() => Drain(RequestScan.ScanBatch(new ReadOnlySequence<byte>(bytes)))).Message);
    }

    [Fact]
    public void A_tag_over_32_bits_is_the_field_of_its_low_32_bits_to_the_parser()
    {
        // Why the scan refuses it: counted as field 2^29 + 1, it would be a request uncounted.
        byte[] bytes = [0x8A, 0x80, 0x80, 0x80, 0x10, 0x00];
        Assert.Single(RankBatchRequest.Parser.ParseFrom(bytes).Requests);
    }

    /// <summary>
    /// The probe's body, small: an empty group (field 15), then empty requests. The parser keeps the group as an unknown field and
    /// reads every request after it; a scan that stopped at the group counted none of them.
    /// </summary>
    private static byte[] GroupThenRequests(int requests) => [0x7B, 0x7C, .. Enumerable.Repeat<byte[]>([0x0A, 0x00], requests).SelectMany(b => b)];

    [Fact]
    public void A_group_before_a_batch_s_requests_is_refused_not_left_uncounted()
    {
        var bytes = GroupThenRequests(21);
        Assert.Equal(21, RankBatchRequest.Parser.ParseFrom(bytes).Requests.Count);

        var counted = Assert.Throws<MalformedMessageException>(() => RequestScan.CountRequests(new ReadOnlySequence<byte>(bytes), 20));
        var bound = Assert.Throws<RpcException>(() => Bound<RankBatchRequest>(bytes));

        Assert.Equal("field 15 is a group (wire type 3); groups are not accepted, send the field as a message (wire type 2)", counted.Message);
        Assert.Equal(StatusCode.InvalidArgument, bound.StatusCode);
        Assert.Equal($"the request body is not a valid RankBatchRequest message ({counted.Message})", bound.Status.Detail);
    }

    [Fact]
    public void A_group_mid_batch_or_inside_a_request_is_refused_naming_where()
    {
        byte[] request = [0x12, 0x01, 0x05, 0x18, 0x01];  // one candidate, top_k 1
        byte[] midBatch = [0x0A, 0x05, .. request, 0x7B, 0x7C, 0x0A, 0x05, .. request];
        byte[] inRequest = [0x0A, 0x05, .. request, 0x0A, 0x07, .. request, 0x7B, 0x7C];
        Assert.Equal(2, RankBatchRequest.Parser.ParseFrom(midBatch).Requests.Count);
        Assert.Equal(2, RankBatchRequest.Parser.ParseFrom(inRequest).Requests.Count);

        Assert.Equal("the request body is not a valid RankBatchRequest message (field 15 is a group (wire type 3); groups are not accepted, send the field as a message (wire type 2))",
            Assert.Throws<RpcException>(() => Bound<RankBatchRequest>(midBatch)).Status.Detail);
        Assert.Equal("the request body is not a valid RankBatchRequest message (requests[1]: field 15 is a group (wire type 3); groups are not accepted, send the field as a message (wire type 2))",
            Assert.Throws<RpcException>(() => Bound<RankBatchRequest>(inRequest)).Status.Detail);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_group_in_a_rank_or_score_request_is_refused_not_left_uncounted(bool midMessage)
    {
        // Unpacked candidates (10 00: field 2, id 0), 21 of them, after the group or around it: 8 bytes each once parsed, 2 on the wire.
        var ids = Enumerable.Repeat<byte[]>([0x10, 0x00], 21).SelectMany(b => b).ToArray();
        byte[] bytes = midMessage ? [.. ids[..10], 0x7B, 0x7C, .. ids[10..]] : [0x7B, 0x7C, .. ids];
        Assert.Equal(21, RankRequest.Parser.ParseFrom(bytes).CandidateItemIds.Count);
        Assert.Equal(21, ScoreRequest.Parser.ParseFrom(bytes).ItemIds.Count);
        const string Problem = "field 15 is a group (wire type 3); groups are not accepted, send the field as a message (wire type 2)";

        Assert.Equal($"the request body is not a valid RankRequest message ({Problem})", Assert.Throws<RpcException>(() => Bound<RankRequest>(bytes)).Status.Detail);
        Assert.Equal($"the request body is not a valid ScoreRequest message ({Problem})", Assert.Throws<RpcException>(() => Bound<ScoreRequest>(bytes)).Status.Detail);
    }

    [Theory]
    [InlineData("12 02 05 96")]
    [InlineData("12 01 80")] // the least byte that still goes on
    public void A_packed_run_cut_inside_its_last_varint_is_refused_in_our_words(string hex)
    {
        var bytes = Convert.FromHexString(hex.Replace(" ", ""));
        Assert.Throws<InvalidProtocolBufferException>(() => RankRequest.Parser.ParseFrom(bytes));

        Assert.Equal("the request body is not a valid RankRequest message (field 2's packed values end inside a varint (the last byte of a varint is under 0x80))",
            Assert.Throws<RpcException>(() => Bound<RankRequest>(bytes)).Status.Detail);
    }

    [Fact]
    public void A_batch_of_more_requests_than_candidates_allowed_is_refused_from_its_bytes_as_the_parsed_batch_is()
    {
        // A compressed batch is not counted by the admission: 21 requests, the third empty, 20 candidates in all. Parsed, they
        // were all made before the validator refused the empty one.
        var bytes = Serialized([.. Enumerable.Range(0, 21).Select(r => Request(r == 2 ? 0 : 1, 1))]);
        var validator = new RequestValidator(Microsoft.Extensions.Options.Options.Create(new RankingOptions { MaxCandidates = 20 }));
        var parsed = Assert.Throws<RpcException>(() => validator.CheckBatch(RankBatchRequest.Parser.ParseFrom(bytes)));

        var fromBytes = Assert.Throws<RpcException>(() => StrictRankerBinding.ParseRankBatchRequest(new ReadOnlySequence<byte>(bytes), 20));

        Assert.Equal("requests[2].candidate_item_ids is empty; give at least one item", parsed.Status.Detail);
        Assert.Equal(parsed.Status, fromBytes.Status);
    }

    /// <summary>Fields at the edges of what the wire format allows, which the parser reads: the scan walks them, counting as it does.</summary>
    public static TheoryData<string> WalkableEdges => new()
    {
        "0A 00 15 01 02 03 04",                   // a fixed32 value that ends the message
        "0A 00 19 01 02 03 04 05 06 07 08",       // a fixed64 value that ends the message
        "F8 FF FF FF 0F 00 0A 00",                // field 536,870,911, the highest there is (its tag over 31 bits), then a request
        "12 00 0A 00",                            // an empty length-delimited field 2 (an empty packed run, to a RankRequest)
    };

    [Theory]
    [MemberData(nameof(WalkableEdges))]
    public void Walks_the_edges_of_the_wire_format_as_the_parser_reads_them(string hex)
    {
        var bytes = Convert.FromHexString(hex.Replace(" ", ""));

        Assert.Equal(RankBatchRequest.Parser.ParseFrom(bytes).Requests.Count, RequestScan.CountRequests(new ReadOnlySequence<byte>(bytes), 100));
        Assert.Equal(RankRequest.Parser.ParseFrom(bytes).CandidateItemIds.Count, RequestScan.CountCandidates(new ReadOnlySequence<byte>(bytes)));
        Drain(RequestScan.ScanBatch(new ReadOnlySequence<byte>(bytes)));
    }

    [Fact]
    public void Skips_a_fixed32_field_by_its_four_bytes()
    {
        // Field 2 as fixed32 (wire type 5, four bytes), then two empty requests: the generated parser reads the same two.
        byte[] bytes = [0x15, 1, 2, 3, 4, 0x0A, 0x00, 0x0A, 0x00];
        Assert.Equal(2, RankBatchRequest.Parser.ParseFrom(bytes).Requests.Count);
        Assert.Equal(2, RequestScan.CountRequests(new ReadOnlySequence<byte>(bytes), 100));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(31)]
    [InlineData(100)]
    [InlineData(257)]
    public void Counts_the_candidates_of_a_rank_request(int candidates)
    {
        // Ids of every varint length: 1 byte (0), 10 bytes (negatives), and between.
        var request = new RankRequest { UserId = 7, CandidateItemIds = { Enumerable.Range(0, candidates).Select(c => c % 3 == 0 ? -c : (long)c << (c % 60)) }, TopK = 5 };
        var bytes = request.ToByteArray();
        Assert.Equal(candidates, RequestScan.CountCandidates(new ReadOnlySequence<byte>(bytes)));
        var first = new Segment(bytes.AsMemory(0, bytes.Length / 2), 0);
        var last = first.Append(bytes.AsMemory(bytes.Length / 2));
        Assert.Equal(candidates, RequestScan.CountCandidates(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length)));
    }

    [Fact]
    public void Counts_unpacked_candidates()
    {
        // user_id 5, candidates 5 and 150 unpacked (a tag each), a packed run of two, top_k 1.
        byte[] bytes = [0x08, 0x05, 0x10, 0x05, 0x10, 0x96, 0x01, 0x12, 0x03, 0x01, 0x96, 0x01, 0x18, 0x01];
        Assert.Equal(4, RequestScan.CountCandidates(new ReadOnlySequence<byte>(bytes)));
        Assert.Equal([5L, 150, 1, 150], RankRequest.Parser.ParseFrom(bytes).CandidateItemIds);
    }

    [Fact]
    public void Counts_a_packed_run_that_ends_the_message()
    {
        // top_k 0 is not written, so the packed candidates are the last bytes: their length reaches exactly to the end.
        var request = new RankRequest { UserId = 4, CandidateItemIds = { 1, 300, -2 } };
        var bytes = request.ToByteArray();
        Assert.Equal(0x12, bytes[2]);  // the candidates' tag, after user_id's two bytes
        Assert.Equal(bytes.Length - 4, bytes[3]);  // and their length: the rest of the message
        Assert.Equal(3, RequestScan.CountCandidates(new ReadOnlySequence<byte>(bytes)));
        Assert.Equal(3, StrictRankerBinding.ParseRankRequest(new ReadOnlySequence<byte>(bytes), 1_000).CandidateItemIds.Capacity);
    }

    [Fact]
    public void A_rank_request_parses_as_the_generated_parser_does_into_a_list_sized_once()
    {
        var request = new RankRequest { UserId = -3, CandidateItemIds = { Enumerable.Range(1, 100).Select(c => c * 1_000_003L) }, TopK = 10 };
        var parsed = StrictRankerBinding.ParseRankRequest(new ReadOnlySequence<byte>(request.ToByteArray()), 1_000);
        Assert.Equal(request, parsed);
        Assert.Equal(100, parsed.CandidateItemIds.Capacity);
        Assert.Throws<InvalidProtocolBufferException>(() => StrictRankerBinding.ParseRankRequest(new ReadOnlySequence<byte>(OneOverlongId), 1_000));
    }

    /// <summary>
    /// A packed run of one id 11 bytes long: the parser refuses it, the scan counts it (its last byte ends a varint). What follows
    /// a count over the limit in these tests, to show that the count refused the message before the parse could.
    /// </summary>
    private static readonly byte[] OneOverlongId = [0x12, 0x0B, .. Enumerable.Repeat<byte>(0x80, 10), 0x01];

    [Fact]
    public void A_rank_request_over_the_candidate_limit_is_refused_from_its_bytes_before_its_list_is_made()
    {
        // 20 candidates, then one the parse would fail on (InvalidProtocolBufferException), so a refusal for the
        // candidates shows that the message was counted, and refused, before any of it was parsed.
        var bytes = new RankRequest { UserId = 4, CandidateItemIds = { Enumerable.Range(0, 20).Select(c => (long)c) }, TopK = 3 }.ToByteArray();
        var payload = new ReadOnlySequence<byte>([.. bytes, .. OneOverlongId]);

        var error = Assert.Throws<RpcException>(() => StrictRankerBinding.ParseRankRequest(payload, 20));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("candidate_item_ids has 21 items, more than the limit of 20 per request", error.Status.Detail);
        // At the limit, the same bytes are parsed (and fail as not protobuf).
        Assert.Throws<InvalidProtocolBufferException>(() => StrictRankerBinding.ParseRankRequest(payload, 21));
    }

    [Fact]
    public void A_score_request_over_the_item_limit_is_refused_from_its_bytes_and_one_at_it_parses_into_a_list_sized_once()
    {
        var over = new ScoreRequest { UserId = 4, ItemIds = { Enumerable.Range(0, 21).Select(c => (long)c) } }.ToByteArray();

        // One more, which the parse would refuse: refused for the count first.
        var error = Assert.Throws<RpcException>(() => StrictRankerBinding.ParseScoreRequest(new ReadOnlySequence<byte>([.. over, .. OneOverlongId]), 21));
        var parsed = StrictRankerBinding.ParseScoreRequest(new ReadOnlySequence<byte>(over), 21);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("item_ids has 22 items, more than the limit of 21 per request", error.Status.Detail);
        Assert.Equal(ScoreRequest.Parser.ParseFrom(over), parsed);
        Assert.Equal(21, parsed.ItemIds.Capacity);
    }

    private static RankRequest Request(int candidates, int topK) => new() { UserId = 1, CandidateItemIds = { Enumerable.Range(0, candidates).Select(c => (long)c) }, TopK = topK };

    [Fact]
    public void A_rank_batch_over_the_candidate_limit_in_all_is_refused_from_its_bytes_before_it_is_parsed()
    {
        // 12 and 9 candidates, then a request of one the parse would fail on, so a refusal for the candidates shows that the
        // message was counted, and refused, before any of it was parsed.
        var bytes = new RankBatchRequest { Requests = { Request(12, 3), Request(9, 3) } }.ToByteArray();
        var payload = new ReadOnlySequence<byte>([.. bytes, 0x0A, (byte)OneOverlongId.Length, .. OneOverlongId]);

        var error = Assert.Throws<RpcException>(() => StrictRankerBinding.ParseRankBatchRequest(payload, 20));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("requests hold more than the limit of 20 candidates in all (passed at requests[1]); split the batch", error.Status.Detail);
        // At the limit (22 with the third request's one), the same bytes are parsed (and fail as not protobuf).
        Assert.Throws<InvalidProtocolBufferException>(() => StrictRankerBinding.ParseRankBatchRequest(payload, 22));
    }

    public static TheoryData<string> BatchesOverTheLimit => ["no-candidates", "top-k", "negative-top-k", "too-many-in-one", "too-many-in-all", "fault-after-the-pass", "merged-request", "at-the-limit-then-past-it"];

    [Theory]
    [MemberData(nameof(BatchesOverTheLimit))]
    public void A_rank_batch_over_the_limit_in_all_is_refused_from_its_bytes_as_the_parsed_batch_is(string batch)
    {
        // Two RankRequests' bytes one after the other are one request, merged: candidates of both, the last top_k.
        var merged = new RankRequest[] { Request(3, 5), Request(4, -2) }.SelectMany(r => r.ToByteArray()).ToArray();
        byte[] bytes = batch switch
        {
            "no-candidates" => Serialized(Request(8, 3), Request(0, 3), Request(8, 3), Request(8, 3)),
            "top-k" => Serialized(Request(8, 3), Request(2, 0), Request(8, 3), Request(8, 3)),
            "negative-top-k" => Serialized(Request(8, 3), Request(2, -1), Request(15, 3)),
            "too-many-in-one" => Serialized(Request(8, 3), Request(21, 3)),
            "too-many-in-all" => Serialized(Request(8, 3), Request(8, 3), Request(8, 3)),
            "fault-after-the-pass" => Serialized(Request(8, 3), Request(8, 3), Request(8, 3), Request(0, 0)),
            "merged-request" => [.. Serialized(Request(8, 3)), 0x0A, (byte)merged.Length, .. merged, .. Serialized(Request(12, 3))],
            // Exactly at the limit after its second request, and past it only with its third.
            "at-the-limit-then-past-it" => Serialized(Request(12, 3), Request(8, 3), Request(1, 3)),
            _ => throw new ArgumentOutOfRangeException(nameof(batch)),
        };
        var validator = new RequestValidator(Microsoft.Extensions.Options.Options.Create(new RankingOptions { MaxCandidates = 20 }));

        var parsed = Assert.Throws<RpcException>(() => validator.CheckBatch(RankBatchRequest.Parser.ParseFrom(bytes)));
        var fromBytes = Assert.Throws<RpcException>(() => StrictRankerBinding.ParseRankBatchRequest(new ReadOnlySequence<byte>(bytes), 20));

        Assert.Equal(parsed.Status, fromBytes.Status);
    }

    [Fact]
    public void A_rank_batch_within_the_limit_parses_as_the_generated_parser_does()
    {
        var bytes = Serialized(Request(12, 3), Request(0, 0), Request(8, -4));

        Assert.Equal(RankBatchRequest.Parser.ParseFrom(bytes), StrictRankerBinding.ParseRankBatchRequest(new ReadOnlySequence<byte>(bytes), 20));
        var scanned = new List<(int, int)>();
        foreach (var request in RequestScan.ScanBatch(new ReadOnlySequence<byte>(bytes))) scanned.Add(request);
        Assert.Equal(new (int, int)[] { (12, 3), (0, 0), (8, -4) }, scanned);
    }

    [Fact]
    public void Unknown_fields_are_skipped_not_kept()
    {
        // Kept, each is an object no count covers (a bytes field 29 times its size once parsed); a newer client's fields are
        // still accepted. 22 01 00: field 4, one byte; 28 05: field 5, a varint; 7A 00: field 15, empty bytes.
        byte[] unknown = [0x22, 0x01, 0x00, 0x28, 0x05, 0x7A, 0x00];
        var rank = new RankRequest { UserId = 3, CandidateItemIds = { 1, 2 }, TopK = 1 };
        var batch = new RankBatchRequest { Requests = { rank, rank } };
        byte[] batchBytes = [.. unknown, 0x0A, (byte)(rank.CalculateSize() + unknown.Length), .. rank.ToByteArray(), .. unknown, 0x0A, (byte)rank.CalculateSize(), .. rank.ToByteArray()];
        Assert.NotEqual(batch, RankBatchRequest.Parser.ParseFrom(batchBytes));

        Assert.Equal(rank, Bound<RankRequest>([.. rank.ToByteArray(), .. unknown]));
        Assert.Equal(new ScoreRequest { UserId = 3, ItemIds = { 1, 2 } }, Bound<ScoreRequest>([.. new ScoreRequest { UserId = 3, ItemIds = { 1, 2 } }.ToByteArray(), .. unknown]));
        Assert.Equal(batch, Bound<RankBatchRequest>(batchBytes));
        Assert.Equal(new RecommendRequest { UserId = 3, TopK = 2 }, Bound<RecommendRequest>([.. unknown, .. new RecommendRequest { UserId = 3, TopK = 2 }.ToByteArray()]));
        Assert.Equal(new GetModelInfoRequest(), Bound<GetModelInfoRequest>(unknown));
    }

    /// <summary>The message parsed as the server's binding parses a call's (no candidate limit), its refusals as the call's status.</summary>
    private static T Bound<T>(byte[] bytes) where T : class
    {
        var binder = new FirstMarshallerOf<T>();
        StrictRankerBinding.BindService(binder, null);
        return binder.Marshaller!.ContextualDeserializer(new Payload(bytes));
    }

    /// <summary>Keeps the request marshaller of the first method bound whose request is a <typeparamref name="T"/>.</summary>
    private sealed class FirstMarshallerOf<T> : ServiceBinderBase where T : class
    {
        public Marshaller<T>? Marshaller { get; private set; }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) => Keep(method);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) => Keep(method);

        private void Keep<TRequest, TResponse>(Method<TRequest, TResponse> method) where TRequest : class where TResponse : class =>
            Marshaller ??= method.RequestMarshaller as Marshaller<T>;
    }

    private sealed class Payload(byte[] bytes) : DeserializationContext
    {
        public override int PayloadLength => bytes.Length;

        public override ReadOnlySequence<byte> PayloadAsReadOnlySequence() => new(bytes);
    }

    private static void Drain(RequestScan.BatchRequests requests)
    {
        foreach (var _ in requests) { }
    }

    private static byte[] Serialized(params RankRequest[] requests) => new RankBatchRequest { Requests = { requests } }.ToByteArray();

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
