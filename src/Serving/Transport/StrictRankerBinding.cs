using System.Buffers;
using Google.Protobuf;
using Grpc.Core;
using InverseLearning.V1;

namespace InverseLearning.Serving.Transport;

/// <summary>
/// Binds the Ranker's generated methods with request parsers that turn a malformed protobuf
/// body into INVALID_ARGUMENT (the client sent bad bytes) rather than the framework's UNKNOWN
/// and a logged stack trace. Grpc.AspNetCore finds this through the service's
/// [BindServiceMethod]; everything else (routes, reflection, handlers) is the generated binding.
/// </summary>
public static class StrictRankerBinding
{
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
        var deserialize = typeof(T) == typeof(RankRequest)
            ? (Func<DeserializationContext, T>)(object)(Func<DeserializationContext, RankRequest>)(context => ParseRankRequest(context.PayloadAsReadOnlySequence()))
            : marshaller.ContextualDeserializer;
        return new(marshaller.ContextualSerializer, context => Refusing<T>(deserialize, context));
    }

    /// <summary>
    /// A RankRequest whose candidate list is allocated once, at its final size: the generated parser
    /// cannot tell how many ids a packed field holds and regrows the list from 8 (about 2 KB of
    /// garbage for every 100-candidate Rank).
    /// </summary>
    public static RankRequest ParseRankRequest(ReadOnlySequence<byte> payload)
    {
        var request = new RankRequest();
        request.CandidateItemIds.Capacity = RequestScan.CountCandidates(payload);
        request.MergeFrom(payload);
        return request;
    }

    private static T Refusing<T>(Func<DeserializationContext, T> deserialize, DeserializationContext context)
    {
        try
        {
            return deserialize(context);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"the request body is not a valid {typeof(T).Name} message ({e.Message})"));
        }
    }
}
