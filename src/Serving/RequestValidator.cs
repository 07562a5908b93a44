using Grpc.Core;

namespace InverseLearning.Serving;

/// <summary>Refuses malformed requests with INVALID_ARGUMENT and a message saying which field and why.</summary>
public sealed class RequestValidator(RankingOptions options)
{
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

    /// <summary>Recommend's answer is as long as top_k, so top_k is capped: the response size is bounded.</summary>
    public void CheckRecommendTopK(int topK)
    {
        CheckTopK(topK);
        if (topK > options.MaxTopK) throw Invalid($"top_k is {topK}, more than the limit of {options.MaxTopK} per Recommend call");
    }

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));
}
