using Grpc.Core;
using InverseLearning.V1;
using Microsoft.Extensions.Options;

namespace InverseLearning.Serving.Transport;

/// <summary>Refuses malformed requests with INVALID_ARGUMENT and a message saying which field and why.</summary>
public sealed class RequestValidator(IOptions<RankingOptions> settings)
{
    private readonly RankingOptions _options = settings.Value;

    public void CheckItems(int count, string field) => CheckItems(count, field, _options.MaxCandidates);

    private static void CheckItems(int count, string field, int limit)
    {
        if (count == 0) throw Invalid($"{field} is empty; give at least one item");
        if (count > limit) throw TooManyItems(field, count, limit);
    }

    /// <summary>The refusal of <paramref name="count"/> items in <paramref name="field"/>, over <paramref name="limit"/>: here, or before the parse (<see cref="StrictRankerBinding"/>).</summary>
    public static RpcException TooManyItems(string field, int count, int limit) => Invalid($"{field} has {count} items, more than the limit of {limit} per request");

    public static void CheckTopK(int topK, string field = "top_k")
    {
        if (topK < 1) throw Invalid($"{field} is {topK}; it must be at least 1");
    }

    /// <summary>
    /// A RankBatch: at least one request, each one a valid Rank (named by its index), and at
    /// most <see cref="RankingOptions.MaxCandidates"/> candidates in all, so one call holds no
    /// more rows than one Rank may. Returns the candidates in all.
    /// </summary>
    public int CheckBatch(RankBatchRequest batch)
    {
        if (batch.Requests.Count == 0) throw Invalid("requests is empty; give at least one RankRequest");
        var total = 0;
        for (var r = 0; r < batch.Requests.Count; r++)
        {
            var request = batch.Requests[r];
            var count = request.CandidateItemIds.Count;
            CheckBatchRequest(r, count, request.TopK, _options.MaxCandidates);
            total += count;
            if (total > _options.MaxCandidates) throw TooManyInAll(r, _options.MaxCandidates);
        }
        return total;
    }

    /// <summary>
    /// A batch's request <paramref name="r"/> by itself, as <see cref="CheckBatch"/> checks it: here, or from the message's
    /// bytes before the parse (<see cref="StrictRankerBinding"/>).
    /// </summary>
    public static void CheckBatchRequest(int r, int count, int topK, int limit)
    {
        // The field names are built only on a failure: this runs for every request of every call.
        if (count == 0 || count > limit) CheckItems(count, $"requests[{r}].candidate_item_ids", limit);
        if (topK < 1) CheckTopK(topK, $"requests[{r}].top_k");
    }

    /// <summary>The refusal of a batch whose candidates in all pass <paramref name="limit"/> at request <paramref name="r"/>.</summary>
    public static RpcException TooManyInAll(int r, int limit) =>
        Invalid($"requests hold more than the limit of {limit} candidates in all (passed at requests[{r}]); split the batch");

    /// <summary>Recommend's answer is as long as top_k, so top_k is capped: the response size is bounded.</summary>
    public void CheckRecommendTopK(int topK)
    {
        CheckTopK(topK);
        if (topK > _options.MaxTopK) throw Invalid($"top_k is {topK}, more than the limit of {_options.MaxTopK} per Recommend call");
    }

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));
}
