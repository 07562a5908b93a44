using System.Buffers;
using Google.Protobuf;
using Grpc.Core;
using InverseLearning.V1;

namespace InverseLearning.Serving.Transport;

/// <summary>
/// Binds the Ranker's generated methods with request parsers that turn a malformed protobuf
/// body into INVALID_ARGUMENT (the client sent bad bytes) rather than the framework's UNKNOWN
/// and a logged stack trace, and that refuse a Rank, RankStream or Score message over the candidate limit, or a RankBatch over it in all, before parsing it
/// (<see cref="CallLimits"/>), and that skip the fields they do not know rather than keep them (<see cref="Discarding"/>). Grpc.AspNetCore finds this through the service's
/// [BindServiceMethod]; everything else (routes, reflection, handlers) is the generated binding.
/// </summary>
public static class StrictRankerBinding
{
    /// <summary>RankBatchRequest's parser, skipping unknown fields (<see cref="Discarding"/>), its requests' as well.</summary>
    private static readonly MessageParser<RankBatchRequest> RankBatchRequests = RankBatchRequest.Parser.WithDiscardUnknownFields(true);

    /// <summary>
    /// The size the list of the next RankRequest or ScoreRequest parsed on this thread is made at, set just before the parse. A
    /// parse runs on one thread, start to end, and makes its message first: one parser each, made once, with no parser (and
    /// its closure) made per call on Rank's hot path.
    /// </summary>
    [ThreadStatic] private static int _listCapacity;

    private static readonly MessageParser<RankRequest> RankRequests =
        new MessageParser<RankRequest>(() => new RankRequest { CandidateItemIds = { Capacity = _listCapacity } }).WithDiscardUnknownFields(true);

    private static readonly MessageParser<ScoreRequest> ScoreRequests =
        new MessageParser<ScoreRequest>(() => new ScoreRequest { ItemIds = { Capacity = _listCapacity } }).WithDiscardUnknownFields(true);

    public static void BindService(ServiceBinderBase binder, Ranker.RankerBase? service) => Ranker.BindService(new Binder(binder), service!);

    private sealed class Binder(ServiceBinderBase inner) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(Strict(method), handler);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(Strict(method), handler);
    }

    private static Method<TRequest, TResponse> Strict<TRequest, TResponse>(Method<TRequest, TResponse> method) =>
        new(method.Type, method.ServiceName, method.Name, Strict(method.RequestMarshaller), method.ResponseMarshaller);

    private static Marshaller<T> Strict<T>(Marshaller<T> marshaller)
    {
        var deserialize =
            typeof(T) == typeof(RankRequest) ? (Func<DeserializationContext, T>)(object)(Func<DeserializationContext, RankRequest>)(context => ParseRankRequest(context.PayloadAsReadOnlySequence(), CallLimits.MaxCandidates))
            : typeof(T) == typeof(RankBatchRequest) ? (Func<DeserializationContext, T>)(object)(Func<DeserializationContext, RankBatchRequest>)(context => ParseRankBatchRequest(context.PayloadAsReadOnlySequence(), CallLimits.MaxCandidates))
            : typeof(T) == typeof(ScoreRequest) ? (Func<DeserializationContext, T>)(object)(Func<DeserializationContext, ScoreRequest>)(context => ParseScoreRequest(context.PayloadAsReadOnlySequence(), CallLimits.MaxCandidates))
            : Discarding<T>();
        return new(marshaller.ContextualSerializer, context => Refusing<T>(deserialize, context));
    }

    /// <summary>
    /// The message's own parser, made to skip unknown fields rather than keep them. Kept, each one is an object the server never
    /// reads and no count covers: a message of --max-request-bytes of them was 29 times its size once parsed (a one-byte bytes
    /// field each) and 58 times (a new field number each). Skipped, a newer client's fields are still accepted, as before.
    /// </summary>
    private static Func<DeserializationContext, T> Discarding<T>()
    {
        var parser = ((MessageParser)typeof(T).GetProperty(nameof(RankRequest.Parser))!.GetValue(null)!).WithDiscardUnknownFields(true);
        return context => (T)parser.ParseFrom(context.PayloadAsReadOnlySequence());
    }

    /// <summary>
    /// A RankRequest whose candidate list is allocated once, at its final size: the generated parser
    /// cannot tell how many ids a packed field holds and regrows the list from 8 (about 2 KB of
    /// garbage for every 100-candidate Rank). The ids are counted in the message's bytes first, so a request over
    /// <paramref name="maxCandidates"/> is refused (INVALID_ARGUMENT, as <see cref="RequestValidator"/> words it) before
    /// its list is allocated: a megabyte of one-byte ids is eight once parsed. Unknown fields are skipped (<see cref="Discarding"/>).
    /// </summary>
    public static RankRequest ParseRankRequest(ReadOnlySequence<byte> payload, int maxCandidates)
    {
        _listCapacity = Counted(payload, maxCandidates, "candidate_item_ids");
        return RankRequests.ParseFrom(payload);
    }

    /// <summary>As <see cref="ParseRankRequest"/>, for Score's <c>item_ids</c> (the same field number as Rank's candidates).</summary>
    public static ScoreRequest ParseScoreRequest(ReadOnlySequence<byte> payload, int maxCandidates)
    {
        _listCapacity = Counted(payload, maxCandidates, "item_ids");
        return ScoreRequests.ParseFrom(payload);
    }

    /// <summary>
    /// A RankBatchRequest, refused (INVALID_ARGUMENT, as <see cref="RequestValidator.CheckBatch"/> words it) before it is parsed
    /// when its requests hold more than <paramref name="maxCandidates"/> candidates in all, or are more than that many, counted
    /// in its bytes: its requests and their lists would otherwise be made, up to the whole of a message of --max-request-bytes
    /// (or of what a compressed one inflates to), only to be refused.
    /// </summary>
    public static RankBatchRequest ParseRankBatchRequest(ReadOnlySequence<byte> payload, int maxCandidates)
    {
        long total = 0;
        var passedAt = 0;
        var refused = false;
        foreach (var request in RequestScan.ScanBatch(payload))
        {
            total += request.Candidates;
            // More requests than candidates allowed means an empty one among them. The admission counts an uncompressed
            // batch's requests; a compressed one, counted only here, would otherwise be parsed into all of them first.
            refused = total > maxCandidates || passedAt == maxCandidates;
            if (refused) break;
            passedAt++;
        }
        if (refused)
        {
            // Refused as the parsed batch would be: a request at fault by itself, up to the one that passed the limit, first.
            var r = 0;
            foreach (var (candidates, topK) in RequestScan.ScanBatch(payload))
            {
                if (r > passedAt) break;
                RequestValidator.CheckBatchRequest(r++, candidates, topK, maxCandidates);
            }
            throw RequestValidator.TooManyInAll(passedAt, maxCandidates);
        }
        return RankBatchRequests.ParseFrom(payload);
    }

    private static int Counted(ReadOnlySequence<byte> payload, int maxCandidates, string field)
    {
        var count = RequestScan.CountCandidates(payload);
        if (count > maxCandidates) throw RequestValidator.TooManyItems(field, count, maxCandidates);
        return count;
    }

    private static T Refusing<T>(Func<DeserializationContext, T> deserialize, DeserializationContext context)
    {
        try
        {
            return deserialize(context);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or MalformedMessageException)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, MalformedMessageException.Detail(typeof(T).Name, e.Message)));
        }
    }
}
