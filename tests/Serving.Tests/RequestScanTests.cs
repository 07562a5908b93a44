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
    public void Skips_other_fields_and_stops_at_bytes_that_are_not_protobuf()
    {
        // Field 2 (varint), field 3 (fixed64), field 4 (bytes), then a request, then an invalid wire type 7.
        byte[] bytes = [0x10, 0x96, 0x01, 0x19, 1, 2, 3, 4, 5, 6, 7, 8, 0x22, 0x02, 0x0A, 0x00, 0x0A, 0x00, 0x0F, 0x0A, 0x00];
        Assert.Equal(1, RequestScan.CountRequests(new ReadOnlySequence<byte>(bytes), 100));
        // A length past the end stops the count too.
        Assert.Equal(0, RequestScan.CountRequests(new ReadOnlySequence<byte>([0x0A, 0x7F, 0x00]), 100));
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
    public void Counts_unpacked_candidates_and_stops_at_a_length_past_the_end()
    {
        // user_id 5, candidates 5 and 150 unpacked (a tag each), a packed run of two, top_k 1.
        byte[] bytes = [0x08, 0x05, 0x10, 0x05, 0x10, 0x96, 0x01, 0x12, 0x03, 0x01, 0x96, 0x01, 0x18, 0x01];
        Assert.Equal(4, RequestScan.CountCandidates(new ReadOnlySequence<byte>(bytes)));
        Assert.Equal([5L, 150, 1, 150], RankRequest.Parser.ParseFrom(bytes).CandidateItemIds);
        Assert.Equal(0, RequestScan.CountCandidates(new ReadOnlySequence<byte>([0x12, 0x05, 0x01])));
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
        Assert.Throws<InvalidProtocolBufferException>(() => StrictRankerBinding.ParseRankRequest(new ReadOnlySequence<byte>([0x12, 0x05, 0x01]), 1_000));
    }

    [Fact]
    public void A_rank_request_over_the_candidate_limit_is_refused_from_its_bytes_before_its_list_is_made()
    {
        // 21 candidates, then a field whose length runs past the end: the parse would fail on it (InvalidProtocolBufferException),
        // so a refusal for the candidates shows that the message was counted, and refused, before any of it was parsed.
        var bytes = new RankRequest { UserId = 4, CandidateItemIds = { Enumerable.Range(0, 21).Select(c => (long)c) }, TopK = 3 }.ToByteArray();
        var payload = new ReadOnlySequence<byte>([.. bytes, 0x12, 0x05, 0x01]);

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

        var error = Assert.Throws<RpcException>(() => StrictRankerBinding.ParseScoreRequest(new ReadOnlySequence<byte>([.. over, 0x12, 0x05, 0x01]), 20));
        var parsed = StrictRankerBinding.ParseScoreRequest(new ReadOnlySequence<byte>(over), 21);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("item_ids has 21 items, more than the limit of 20 per request", error.Status.Detail);
        Assert.Equal(ScoreRequest.Parser.ParseFrom(over), parsed);
        Assert.Equal(21, parsed.ItemIds.Capacity);
    }

    private static RankRequest Request(int candidates, int topK) => new() { UserId = 1, CandidateItemIds = { Enumerable.Range(0, candidates).Select(c => (long)c) }, TopK = topK };

    [Fact]
    public void A_rank_batch_over_the_candidate_limit_in_all_is_refused_from_its_bytes_before_it_is_parsed()
    {
        // 12 and 9 candidates, then a request whose length runs past the end: the parse would fail on it, so a refusal for the
        // candidates shows that the message was counted, and refused, before any of it was parsed.
        var bytes = new RankBatchRequest { Requests = { Request(12, 3), Request(9, 3) } }.ToByteArray();
        var payload = new ReadOnlySequence<byte>([.. bytes, 0x0A, 0x05, 0x01]);

        var error = Assert.Throws<RpcException>(() => StrictRankerBinding.ParseRankBatchRequest(payload, 20));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("requests hold more than the limit of 20 candidates in all (passed at requests[1]); split the batch", error.Status.Detail);
        // At the limit, the same bytes are parsed (and fail as not protobuf).
        Assert.Throws<InvalidProtocolBufferException>(() => StrictRankerBinding.ParseRankBatchRequest(payload, 21));
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
