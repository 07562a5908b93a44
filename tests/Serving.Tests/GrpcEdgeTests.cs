using System.IO.Compression;
using Google.Protobuf;
using Grpc.Core;
using InverseLearning.Serving.Models.Loading;
using InverseLearning.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace InverseLearning.Serving.Tests;

public sealed class GrpcEdgeTests
{
    private static readonly GmfModelFixture Model = GmfModelFixture.Random(users: 5, items: 20, dim: 4, seed: 14, version: "e1");

    /// <summary>Score, but with the request body given as raw bytes.</summary>
    private static readonly Method<byte[], ScoreResponse> RawScore = new(MethodType.Unary, "inverselearning.v1.Ranker", "Score",
        Marshallers.Create(bytes => bytes, bytes => bytes), Marshallers.Create(r => r.ToByteArray(), ScoreResponse.Parser.ParseFrom));

    [Fact]
    public async Task A_malformed_protobuf_body_is_invalid_argument_and_logs_no_error()
    {
        await using var server = await ServerHarness.StartAsync(Model);
        byte[] truncatedVarint = [0x08, 0xFF, 0xFF, 0xFF];

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await server.Channel.CreateCallInvoker().AsyncUnaryCall(RawScore, null, new CallOptions(), truncatedVarint));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("not a valid ScoreRequest", error.Status.Detail);
        Assert.DoesNotContain(server.Logs.Lines, l => l.Level >= LogLevel.Error);
        // Refused before any handler ran, and counted all the same.
        Assert.Equal(1, PrometheusText.Value(await server.MetricsAsync(), "rpc_server_call_duration_seconds_count{rpc_method=\"Score\",rpc_grpc_status_code=\"3\"}"));
        // The server still answers well-formed calls.
        Assert.Single((await server.Client.ScoreAsync(new ScoreRequest { UserId = 1, ItemIds = { Model.ItemIds[0] } })).Scores);
    }

    [Fact]
    public async Task A_method_the_service_does_not_have_is_unimplemented_and_mints_no_metric_label()
    {
        await using var server = await ServerHarness.StartAsync(Model);
        var invented = new Method<byte[], byte[]>(MethodType.Unary, "inverselearning.v1.Ranker", "Invented1234", Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b));

        // Over the request-size limit too: the admission's refusal would have answered INVALID_ARGUMENT under the invented name.
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await server.Channel.CreateCallInvoker().AsyncUnaryCall(invented, null, new CallOptions(), new byte[new RankingOptions().MaxRequestBytes + 1]));

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
        Assert.DoesNotContain("Invented1234", await server.MetricsAsync());
    }

    [Theory]
    [InlineData("gzip", "FFFFFFFF")] // neither a gzip nor a deflate stream
    [InlineData("deflate", "FFFFFFFF")]
    [InlineData("deflate", "78BB000000010300")] // a zlib stream that asks for a preset dictionary: zlib's own error, UNKNOWN before
    public async Task A_compressed_body_that_does_not_inflate_is_invalid_argument_and_logs_no_error(string encoding, string hex)
    {
        await using var server = await ServerHarness.StartAsync(Model);
        var message = Convert.FromHexString(hex);

        var (status, detail) = await SendCompressedAsync(server, encoding, message);

        Assert.Equal(((int)StatusCode.InvalidArgument).ToString(), status);
        Assert.Equal($"the request body does not decompress as {encoding}: it is damaged, or not {encoding} data", detail);
        Assert.DoesNotContain(server.Logs.Lines, l => l.Level >= LogLevel.Error);
        // A message that is compressed properly inflates as before.
        var compressed = await server.Client.ScoreAsync(new ScoreRequest { UserId = 1, ItemIds = { Model.ItemIds[0] } },
            new Metadata { { "grpc-internal-encoding-request", encoding } });
        Assert.Single(compressed.Scores);
        // An empty message compresses to no bytes at all (.NET's gzip and zlib write none), and has no trailer to check.
        var info = await server.Client.GetModelInfoAsync(new GetModelInfoRequest(), new Metadata { { "grpc-internal-encoding-request", encoding } });
        Assert.Equal("e1", info.Version);
    }

    [Theory]
    [InlineData("gzip", 0, "0")]
    [InlineData("gzip", 1, "3")]
    [InlineData("gzip", 4, "3")]
    [InlineData("gzip", 8, "3")]
    [InlineData("deflate", 0, "0")]
    [InlineData("deflate", 1, "3")]
    [InlineData("deflate", 4, "3")]
    public async Task A_compressed_body_cut_before_its_trailer_ends_is_invalid_argument(string encoding, int cut, string expectedStatus)
    {
        // .NET's inflaters end quietly where the bytes end: without the trailer's check, these were scored.
        await using var server = await ServerHarness.StartAsync(Model);
        var request = new ScoreRequest { UserId = 1, ItemIds = { Model.ItemIds } };
        var compressed = new MemoryStream();
        using (Stream deflating = encoding == "gzip" ? new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true) : new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            request.WriteTo(deflating);

        var (status, detail) = await SendCompressedAsync(server, encoding, compressed.ToArray()[..^cut], "Score");

        Assert.Equal(expectedStatus, status);
        if (cut > 0) Assert.StartsWith($"the request body does not decompress as {encoding}: it ends without its trailer, or the trailer does not match (cut short, or damaged)", detail);
    }

    [Theory]
    [InlineData("Rank", "0000000010 0801", null, "the request body ended 2 bytes into a message it declared 16 bytes long")]
    [InlineData("Rank", "0100000005 68656C6C6F", null, "the message is flagged compressed, but the call's grpc-encoding names no compression it was made with")]
    [InlineData("Rank", "0100000005 68656C6C6F", "identity", "the message is flagged compressed, but the call's grpc-encoding names no compression it was made with")]
    [InlineData("GetModelInfo", "0000000002 0801 0000000002 0802", null, "the request body holds more than one message; a unary call takes one")]
    [InlineData("GetModelInfo", "", null, "the request body ended before a whole message; a unary call takes one, after its 5-byte header")]
    [InlineData("Score", "0000", null, "the request body ended before a whole message; a unary call takes one, after its 5-byte header")]
    public async Task A_unary_body_framed_wrong_is_invalid_argument_not_internal(string method, string hex, string? encoding, string expected)
    {
        // gRPC answered each of these with INTERNAL ("Incomplete message.", "Additional data after the message received."), as a fault of the server's.
        await using var server = await ServerHarness.StartAsync(Model);

        var (status, detail) = await SendRawAsync(server, method, Convert.FromHexString(hex.Replace(" ", "")), encoding);

        Assert.Equal(((int)StatusCode.InvalidArgument).ToString(), status);
        Assert.Equal(expected, detail);
        Assert.Equal(1, PrometheusText.Value(await server.MetricsAsync(), $"rpc_server_call_duration_seconds_count{{rpc_method=\"{method}\",rpc_grpc_status_code=\"3\"}}"));
    }

    [Theory]
    [InlineData("Rank", "candidate_item_ids")]
    [InlineData("Score", "item_ids")]
    public async Task A_message_over_the_candidate_limit_is_refused_from_its_bytes_before_the_rest_of_it_is_parsed(string method, string field)
    {
        // Three one-byte ids, packed, then a fourth 11 bytes long: parsed before its limit is looked at, the message would be refused
        // as bytes that do not parse, its list made first (a megabyte of ids is eight as a list).
        await using var server = await ServerHarness.StartAsync(Model, o => o.MaxCandidates = 3);

        var (status, detail) = await SendRawAsync(server, method, Convert.FromHexString("0000000012 120301020312 0B 80808080808080808080 01".Replace(" ", "")), encoding: null);

        Assert.Equal(((int)StatusCode.InvalidArgument).ToString(), status);
        Assert.Equal($"{field} has 4 items, more than the limit of 3 per request", detail);
    }

    [Theory]
    [InlineData("0n")]
    [InlineData("99n")]
    [InlineData("0u")]
    [InlineData("0S")]
    public async Task A_grpc_timeout_spent_on_arrival_is_deadline_exceeded_and_nothing_is_scored(string timeout)
    {
        // Under one 100-ns tick Grpc.AspNetCore reads a timeout as none at all: a RankBatch was scored in full and answered OK.
        await using var server = await ServerHarness.StartAsync(Model);
        var batch = new RankBatchRequest { Requests = { new RankRequest { UserId = 1, CandidateItemIds = { Model.ItemIds }, TopK = 3 } } }.ToByteArray();
        var body = Framed(batch);
        var runsBefore = PrometheusText.Recorded(await server.MetricsAsync(), "ranking_batch_rows_count");

        var (status, detail) = await SendRawAsync(server, "RankBatch", body, encoding: null, timeout: timeout);

        Assert.Equal(((int)StatusCode.DeadlineExceeded).ToString(), status);
        Assert.Equal($"grpc-timeout {timeout} was spent on arrival (under 100 ns); the call was not served", detail);
        var metrics = await server.MetricsAsync();
        Assert.Equal(runsBefore, PrometheusText.Recorded(metrics, "ranking_batch_rows_count"));
        Assert.Equal(1, PrometheusText.Value(metrics, "rpc_server_call_duration_seconds_count{rpc_method=\"RankBatch\",rpc_grpc_status_code=\"4\"}"));
        // One tick or more is a deadline Grpc.AspNetCore keeps itself; a call without one is served.
        Assert.Equal("0", (await SendRawAsync(server, "RankBatch", body, encoding: null)).Status);
    }

    [Theory]
    [InlineData("Score", "")]
    [InlineData("RankBatch", "0000000010")]
    public async Task A_unary_call_whose_body_stalls_before_its_message_ends_at_its_deadline(string method, string sent)
    {
        // The admission's wait for the message knew only the client going away: headers and no body (or a RankBatch's
        // header alone) held the call, and its slot, until the body closed, long after the deadline, and was then counted 3.
        await using var server = await ServerHarness.StartAsync(Model);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{server.Server.Port}/inverselearning.v1.Ranker/{method}")
        {
            Version = System.Net.HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new StalledContent(Convert.FromHexString(sent)),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");
        request.Headers.Add("grpc-timeout", "300m");
        request.Headers.Add("te", "trailers");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var started = System.Diagnostics.Stopwatch.StartNew();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        await response.Content.ReadAsByteArrayAsync(timeout.Token);

        Assert.InRange(started.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(3));
        var status = response.Headers.TryGetValues("grpc-status", out var inHeaders) ? inHeaders.Single() : response.TrailingHeaders.GetValues("grpc-status").Single();
        Assert.Equal(((int)StatusCode.DeadlineExceeded).ToString(), status);
        var metrics = await server.MetricsAsync();
        Assert.Equal(1, PrometheusText.Value(metrics, $"rpc_server_call_duration_seconds_count{{rpc_method=\"{method}\",rpc_grpc_status_code=\"4\"}}"));
        Assert.Equal(0, PrometheusText.Find(metrics, "ranking_calls_in_flight"));
    }

    [Fact]
    public async Task A_stream_refused_for_want_of_a_call_slot_gives_its_stream_slot_back()
    {
        // Counted in as a stream, then refused by the call limit, a stream is counted out again: otherwise each such refusal
        // takes a stream slot for good, until no stream opens at all.
        await using var server = await ServerHarness.StartAsync(Model, o => { o.MaxConcurrentCalls = 1; o.MaxConcurrentStreams = 1; });
        using var http = new HttpClient();
        using var stalled = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{server.Server.Port}/inverselearning.v1.Ranker/Score")
        {
            Version = System.Net.HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new StalledContent([]),
        };
        stalled.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");
        stalled.Headers.Add("grpc-timeout", "1S");
        stalled.Headers.Add("te", "trailers");
        // A unary call whose body never comes holds the one call slot until its deadline.
        var holding = http.SendAsync(stalled, HttpCompletionOption.ResponseHeadersRead);
        for (var attempt = 0; attempt < 100 && PrometheusText.Find(await server.MetricsAsync(), "ranking_calls_in_flight") != 1; attempt++) await Task.Delay(20);

        using (var refused = server.Client.RankStream(deadline: DateTime.UtcNow.AddSeconds(30)))
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => refused.ResponseStream.MoveNext(CancellationToken.None));
            Assert.True(error.StatusCode == StatusCode.ResourceExhausted, $"expected RESOURCE_EXHAUSTED, got {error.Status}");
            Assert.Contains("concurrent calls", error.Status.Detail);
        }
        using (var response = await holding) await response.Content.ReadAsByteArrayAsync();

        using var stream = server.Client.RankStream(deadline: DateTime.UtcNow.AddSeconds(30));
        await stream.RequestStream.WriteAsync(new RankRequest { UserId = Model.UserIds[0], CandidateItemIds = { Model.ItemIds.Take(3) }, TopK = 2 });
        Assert.True(await stream.ResponseStream.MoveNext(CancellationToken.None), "the stream after the refusal was not answered");
        await stream.RequestStream.CompleteAsync();
    }

    [Fact]
    public async Task A_stop_does_not_wait_for_a_stream_whose_client_read_its_end_and_never_closes_its_side()
    {
        // A client (raw HTTP/2 here: .NET's gRPC client resets its stream once its caller has read the status) that reads its
        // stream to the end, the status included, and never ends its requests nor resets the stream: the stream, nothing left
        // to send it, waited for that client's side until the cut a second before the drain timeout, and every stop took the
        // drain timeout. Kestrel does not wait for the rest of a request body once the handler has returned; the handler
        // waited. The bound (half the drain timeout) is on a hang, no measure of speed.
        await using var server = await ServerHarness.StartAsync(Model, o => o.DrainTimeout = TimeSpan.FromSeconds(30));
        using var http = new HttpClient();
        var message = new RankRequest { UserId = Model.UserIds[0], CandidateItemIds = { Model.ItemIds.Take(4) }, TopK = 2 }.ToByteArray();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{server.Server.Port}/inverselearning.v1.Ranker/RankStream")
        {
            Version = System.Net.HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new StalledContent(Framed(message)),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");
        request.Headers.Add("te", "trailers");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var body = await response.Content.ReadAsStreamAsync();
        var answer = new byte[5];
        await body.ReadExactlyAsync(answer); // the answer's header: it was read, and answered

        var stopping = server.Server.StopAsync();
        await body.CopyToAsync(Stream.Null); // the rest of the answer, and the end: the status, END_STREAM
        await stopping.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(((int)StatusCode.Unavailable).ToString(), response.TrailingHeaders.GetValues("grpc-status").Single());
        Assert.DoesNotContain(server.Logs.Lines, line => line.Message.StartsWith("Drain timeout", StringComparison.Ordinal));
    }

    /// <summary>A body that sends its first bytes and then nothing more, never ending: a client stalled mid-call.</summary>
    private sealed class StalledContent(byte[] first) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
        {
            await stream.WriteAsync(first, cancellationToken);
            await stream.FlushAsync(cancellationToken);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    /// <summary><paramref name="message"/> behind its gRPC header (not compressed, its length).</summary>
    private static byte[] Framed(byte[] message)
    {
        var framed = new byte[5 + message.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(framed.AsSpan(1), message.Length);
        message.CopyTo(framed, 5);
        return framed;
    }

    /// <summary>One message flagged compressed with <paramref name="encoding"/>, sent as raw HTTP/2: the grpc-status and grpc-message it got.</summary>
    private static Task<(string Status, string Detail)> SendCompressedAsync(ServerHarness server, string encoding, byte[] message, string method = "Rank")
    {
        var body = Framed(message);
        body[0] = 1;
        return SendRawAsync(server, method, body, encoding);
    }

    /// <summary><paramref name="body"/> as a gRPC call's whole request body over raw HTTP/2: the grpc-status and grpc-message it got.</summary>
    /// <param name="pauseAt">Sends the body's first bytes up to here, then the rest a moment later, as a slow client would.</param>
    /// <param name="timeout">The call's grpc-timeout header, sent as given.</param>
    private static async Task<(string Status, string Detail)> SendRawAsync(ServerHarness server, string method, byte[] body, string? encoding, int? pauseAt = null, string? timeout = null)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{server.Server.Port}/inverselearning.v1.Ranker/{method}")
        {
            Version = System.Net.HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = pauseAt is { } at ? new PausedContent(body, at) : new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");
        if (encoding is not null) request.Headers.Add("grpc-encoding", encoding);
        if (timeout is not null) request.Headers.Add("grpc-timeout", timeout);
        request.Headers.Add("te", "trailers");

        using var response = await http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        string Header(string name) => response.Headers.TryGetValues(name, out var inHeaders) ? inHeaders.Single()
            : response.TrailingHeaders.TryGetValues(name, out var inTrailers) ? inTrailers.Single() : "";
        return (Header("grpc-status"), Uri.UnescapeDataString(Header("grpc-message")));
    }

    /// <summary>A body sent in two writes, 300 ms apart: the server sees the first before the rest, and before the body's end.</summary>
    private sealed class PausedContent(byte[] body, int pauseAt) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(body.AsMemory(0, pauseAt));
            await stream.FlushAsync();
            await Task.Delay(300);
            await stream.WriteAsync(body.AsMemory(pauseAt));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = body.Length;
            return true;
        }
    }

    [Theory]
    [InlineData("GetModelInfo", "0000000002 0801 0000000002 0802", "the request body holds more than one message; a unary call takes one")]
    [InlineData("Rank", "0000000010 0801", "the request body ended inside a message, short of the length its header declared")]
    public async Task A_unary_body_framed_wrong_after_the_admission_looked_is_invalid_argument_not_internal(string method, string hex, string expected)
    {
        await using var server = await ServerHarness.StartAsync(Model);

        // The admission sees the first 7 bytes, a message's header and its start, before the rest and the body's end arrive.
        var (status, detail) = await SendRawAsync(server, method, Convert.FromHexString(hex.Replace(" ", "")), null, pauseAt: 7);

        Assert.Equal(((int)StatusCode.InvalidArgument).ToString(), status);
        Assert.Equal(expected, detail);
        Assert.Equal(1, PrometheusText.Value(await server.MetricsAsync(), $"rpc_server_call_duration_seconds_count{{rpc_method=\"{method}\",rpc_grpc_status_code=\"3\"}}"));
    }

    [Theory]
    [InlineData(true, "message 1: the request body ended inside a message, short of the length its header declared")]
    [InlineData(false, "message 0: the request body ended inside a message, short of the length its header declared")]
    public async Task A_stream_whose_body_ends_inside_a_message_is_invalid_argument_not_internal(bool answeredFirst, string expected)
    {
        await using var server = await ServerHarness.StartAsync(Model);
        var message = new RankRequest { UserId = 1, CandidateItemIds = { Model.ItemIds[0] }, TopK = 1 }.ToByteArray();
        var whole = Framed(message);
        byte[] cut = [.. whole[..^1]];

        var (status, detail) = await SendRawAsync(server, "RankStream", answeredFirst ? [.. whole, .. cut] : cut, null);

        Assert.Equal(((int)StatusCode.InvalidArgument).ToString(), status);
        Assert.Equal(expected, detail);
        Assert.Equal(1, PrometheusText.Value(await server.MetricsAsync(), "rpc_server_call_duration_seconds_count{rpc_method=\"RankStream\",rpc_grpc_status_code=\"3\"}"));
    }

    [Theory]
    [InlineData("RankBatch", "0A00", "RankBatchRequest")]
    [InlineData("Rank", "1000", "RankRequest")]
    [InlineData("Score", "1000", "ScoreRequest")]
    [InlineData("RankStream", "1000", "RankRequest")]
    public async Task A_group_before_what_the_scan_counts_is_refused_not_left_uncounted(string method, string repeated, string messageType)
    {
        // A probe's body, small: an empty group (field 15), then 21 empty requests (RankBatch) or candidate ids (the others), over
        // the limit of 20. The parser keeps the group as an unknown field and reads on; the scan stopped at it and counted none,
        // so a megabyte of them was parsed into objects several times its size before anything was refused.
        await using var server = await ServerHarness.StartAsync(Model, o => o.MaxCandidates = 20);
        var message = Convert.FromHexString("7B7C" + string.Concat(Enumerable.Repeat(repeated, 21)));
        var body = Framed(message);

        var (status, detail) = await SendRawAsync(server, method, body, encoding: null);

        Assert.Equal(((int)StatusCode.InvalidArgument).ToString(), status);
        Assert.Equal($"{(method == "RankStream" ? "message 0: " : "")}the request body is not a valid {messageType} message " +
            "(field 15 is a group (wire type 3); groups are not accepted, send the field as a message (wire type 2))", detail);
    }

    [Fact]
    public async Task A_batch_the_admission_cannot_walk_is_refused_for_its_bytes_before_its_candidates_are_counted()
    {
        // Three requests of 8 candidates (24, over the limit of 20), then a group: the admission walks the whole batch and refuses
        // the group; the parse's count, left to itself, stops at the third request and would refuse the candidates instead.
        await using var server = await ServerHarness.StartAsync(Model, o => o.MaxCandidates = 20);
        var message = Convert.FromHexString(string.Concat(Enumerable.Repeat("0A0A1208" + string.Concat(Enumerable.Repeat("01", 8)), 3)) + "7B7C");

        var (status, detail) = await SendRawAsync(server, "RankBatch", Framed(message), encoding: null);

        Assert.Equal(((int)StatusCode.InvalidArgument).ToString(), status);
        Assert.Equal("the request body is not a valid RankBatchRequest message " +
            "(field 15 is a group (wire type 3); groups are not accepted, send the field as a message (wire type 2))", detail);
    }

    [Theory]
    [InlineData("Rank", "RankRequest")]
    [InlineData("RankBatch", "RankBatchRequest")]
    public async Task A_varint_over_ten_bytes_is_refused_in_our_words(string method, string message)
    {
        // Field 1 as a varint of 11 bytes: refused in Google.Protobuf's own words before ("CodedInputStream encountered a malformed varint.").
        await using var server = await ServerHarness.StartAsync(Model);

        var (status, detail) = await SendRawAsync(server, method, Convert.FromHexString("000000000C 08 FFFFFFFFFFFFFFFFFFFF 01".Replace(" ", "")), encoding: null);

        Assert.Equal(((int)StatusCode.InvalidArgument).ToString(), status);
        Assert.Equal($"the request body is not a valid {message} message (field 1's varint is more than 10 bytes long; a varint ends at its first byte under 0x80, by its 10th)", detail);
    }

    [Fact]
    public async Task A_rank_batch_over_the_candidate_limit_in_all_is_refused_before_its_message_is_parsed()
    {
        // 12 and 9 candidates, then a request whose length runs past the message's end: parsed first, the call was refused as
        // not protobuf, after its requests and their lists had been made; the candidates are now counted in its bytes first.
        await using var server = await ServerHarness.StartAsync(Model, o => o.MaxCandidates = 20);
        RankRequest Request(int candidates) => new() { UserId = 1, CandidateItemIds = { Model.ItemIds.Take(candidates) }, TopK = 1 };
        // The third request is one id 11 bytes long: the scan walks it, the parse would refuse it.
        byte[] message = [.. new RankBatchRequest { Requests = { Request(12), Request(9) } }.ToByteArray(), 0x0A, 0x0D, 0x12, 0x0B, .. Enumerable.Repeat<byte>(0x80, 10), 0x01];
        var body = Framed(message);

        var (status, detail) = await SendRawAsync(server, "RankBatch", body, null);

        Assert.Equal(((int)StatusCode.InvalidArgument).ToString(), status);
        Assert.Equal("requests hold more than the limit of 20 candidates in all (passed at requests[1]); split the batch", detail);
        Assert.Equal(1, PrometheusText.Value(await server.MetricsAsync(), "rpc_server_call_duration_seconds_count{rpc_method=\"RankBatch\",rpc_grpc_status_code=\"3\"}"));
    }

    [Fact]
    public async Task A_unary_body_that_arrives_in_pieces_is_scored()
    {
        await using var server = await ServerHarness.StartAsync(Model);
        var message = new ScoreRequest { UserId = 1, ItemIds = { Model.ItemIds } }.ToByteArray();
        var framed = Framed(message);

        // Its first bytes seen before the rest and before the body's end: not refused as cut short.
        Assert.Equal("0", (await SendRawAsync(server, "Score", framed, null, pauseAt: 9)).Status);
    }

    [Fact]
    public async Task A_request_of_exactly_the_size_limit_is_served_and_one_byte_more_is_refused()
    {
        // The limit is the largest message taken (kills UnaryMessageCheck's `length > MaxRequestBytes` turned into `>=`).
        var request = new ScoreRequest { UserId = Model.UserIds[0], ItemIds = { Model.ItemIds[0], Model.ItemIds[1] } };
        var size = request.CalculateSize();

        await using (var atLimit = await ServerHarness.StartAsync(Model, o => o.MaxRequestBytes = size))
            Assert.Equal(2, (await atLimit.Client.ScoreAsync(request)).Scores.Count);
        await using var underIt = await ServerHarness.StartAsync(Model, o => o.MaxRequestBytes = size - 1);
        var error = await Assert.ThrowsAsync<RpcException>(async () => await underIt.Client.ScoreAsync(request));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains($"{size} bytes, over the limit of {size - 1} bytes", error.Status.Detail);
    }

    [Fact]
    public async Task A_request_of_several_megabytes_is_invalid_argument_saying_the_limit()
    {
        await using var server = await ServerHarness.StartAsync(Model);
        var request = new ScoreRequest { UserId = 1 };
        request.ItemIds.AddRange(Enumerable.Range(0, 600_000).Select(i => long.MaxValue - i)); // ≈ 5.4 MB

        var error = await Assert.ThrowsAsync<RpcException>(async () => await server.Client.ScoreAsync(request));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains($"{request.CalculateSize()} bytes, over the limit of {new RankingOptions().MaxRequestBytes} bytes", error.Status.Detail);
        // Counted once, with the time its refusal took (the frame header was read first), not as an instant.
        var metrics = await server.MetricsAsync();
        Assert.Equal(1, PrometheusText.Value(metrics, "rpc_server_call_duration_seconds_count{rpc_method=\"Score\",rpc_grpc_status_code=\"3\"}"));
        Assert.True(PrometheusText.Value(metrics, "rpc_server_call_duration_seconds_sum{rpc_method=\"Score\",rpc_grpc_status_code=\"3\"}") > 0);
    }

    [Fact]
    public async Task A_taken_port_beside_an_admin_port_of_0_is_one_clear_io_error()
    {
        // The admin port of 0 is the system's choice as Kestrel binds it; the taken --port beside it is the bind's own error.
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var error = await Assert.ThrowsAsync<IOException>(() => ServerHarness.StartAsync(Model, o => o.Port = port));

        Assert.Equal(typeof(IOException), error.GetType());
        Assert.Contains($"{port}", error.Message);
        Assert.DoesNotContain("\n", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_taken_port_fails_the_start_after_one_load_of_the_model(bool adminPortTaken)
    {
        // A taken port is the start's own error at once, whichever port it is: not more builds of the host and loads of the model.
        var folder = Directory.CreateTempSubdirectory("serving-tests-").FullName;
        try
        {
            Model.WriteModel(folder);
            using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            taken.Start();
            var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
            var logs = new CapturedLogs();

            await Assert.ThrowsAsync<IOException>(() => RankingServer.StartAsync([], builder =>
            {
                builder.Logging.ClearProviders();
                builder.Logging.AddProvider(logs);
                builder.Services.Configure<RankingOptions>(options =>
                {
                    options.ModelPath = Path.Combine(folder, "model.onnx");
                    options.Port = adminPortTaken ? 0 : port;
                    options.MetricsPort = adminPortTaken ? port : 0;
                });
            }));

            Assert.Single(logs.Lines, line => line.Message.StartsWith("Serving model", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task An_address_not_on_this_machine_is_one_clear_io_error_naming_it()
    {
        // Binding is local: no packet is sent to this address.
        var error = await Assert.ThrowsAsync<IOException>(() => ServerHarness.StartAsync(Model, o => o.Host = "10.255.255.1"));

        // The admin address, loopback, was named too, as if either could have failed.
        Assert.StartsWith("cannot bind 10.255.255.1:0: ", error.Message);
        Assert.DoesNotContain("\n", error.Message);
    }

    [Fact]
    public async Task Serve_on_an_address_not_on_this_machine_prints_one_line_and_exits_1()
    {
        var folder = Directory.CreateTempSubdirectory("serving-tests-").FullName;
        var path = Model.WriteModel(folder);
        var stderr = new StringWriter();
        var original = Console.Error;
        Console.SetError(stderr);
        int code;
        try
        {
            code = await InverseLearning.Training.Cli.CliApp.RunAsync(["serve", "--model", path, "--host", "10.255.255.1", "--port", "0", "--metrics-port", "-1", "--no-watch"]);
        }
        finally
        {
            Console.SetError(original);
            Directory.Delete(folder, recursive: true);
        }

        Assert.Equal(1, code);
        var lines = stderr.ToString().TrimEnd().Split('\n');
        Assert.Single(lines);
        Assert.StartsWith("error: cannot bind 10.255.255.1:0: ", lines[0]);
    }

    [Fact]
    public async Task A_folder_given_as_the_model_file_says_so()
    {
        var folder = Directory.CreateTempSubdirectory("serving-tests-").FullName;
        try
        {
            var error = await Assert.ThrowsAsync<ModelLoadException>(() =>
                ServerHarness.StartQuietAsync("--model", folder, "--port", "0", "--metrics-port", "-1", "--no-watch"));
            Assert.Contains("is a folder, expected the model file (model.onnx)", error.Message);
        }
        finally
        {
            Directory.Delete(folder);
        }
    }
}
