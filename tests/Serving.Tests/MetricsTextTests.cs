using System.Text;
using Grpc.Core;

namespace InverseLearning.Serving.Tests;

public sealed class MetricsTextTests
{
    [Theory]
    [InlineData(StatusCode.OK, "OK")]
    [InlineData(StatusCode.InvalidArgument, "INVALID_ARGUMENT")]
    [InlineData(StatusCode.DeadlineExceeded, "DEADLINE_EXCEEDED")]
    [InlineData(StatusCode.FailedPrecondition, "FAILED_PRECONDITION")]
    public void Status_codes_are_named_as_grpc_spells_them(StatusCode code, string name) =>
        Assert.Equal(name, ServingMetrics.CodeName(code));

    [Fact]
    public void Histogram_writes_cumulative_buckets_sum_and_count()
    {
        var histogram = new Histogram([1, 5, 10]);
        foreach (var value in new[] { 0.5, 1, 3, 7, 7, 20 }) histogram.Observe(value);
        var text = new StringBuilder();

        histogram.Write(text, "h", "m=\"x\",");

        // ≤1: 0.5 and 1 (bounds are inclusive); ≤5: +3; ≤10: +7, 7; +Inf: +20. Sum 38.5.
        Assert.Equal(
            "h_bucket{m=\"x\",le=\"1\"} 2\nh_bucket{m=\"x\",le=\"5\"} 3\nh_bucket{m=\"x\",le=\"10\"} 5\nh_bucket{m=\"x\",le=\"+Inf\"} 6\n" +
            "h_sum{m=\"x\"} 38.5\nh_count{m=\"x\"} 6\n",
            text.ToString());
    }

    [Fact]
    public void Histogram_sum_is_exact_under_concurrent_observations()
    {
        var histogram = new Histogram([1]);
        Parallel.For(0, 10_000, _ => histogram.Observe(0.5));
        var text = new StringBuilder();

        histogram.Write(text, "h", "");

        Assert.Contains("h_sum 5000\n", text.ToString());
        Assert.Contains("h_count 10000\n", text.ToString());
    }
}
