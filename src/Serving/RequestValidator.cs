using Google.Protobuf;
using Grpc.Core;

namespace InverseLearning.Serving;

/// <summary>Refuses malformed requests with INVALID_ARGUMENT and a message saying which field and why.</summary>
public sealed class RequestValidator(RankingOptions options)
{
    public void CheckSize(IMessage request)
    {
        var size = request.CalculateSize();
        if (size > options.MaxRequestBytes)
            throw Invalid($"request is {size} bytes, over the limit of {options.MaxRequestBytes} bytes; split it into smaller requests");
    }

    public void CheckItems(int count, string field)
    {
        if (count == 0) throw Invalid($"{field} is empty; give at least one item");
        if (count > options.MaxCandidates)
            throw Invalid($"{field} has {count} items, more than the limit of {options.MaxCandidates} per request");
    }

    public static void CheckTopK(int topK)
    {
        if (topK < 1) throw Invalid($"top_k is {topK}; it must be at least 1");
    }

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));
}
