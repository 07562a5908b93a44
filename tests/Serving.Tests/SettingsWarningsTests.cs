using InverseLearning.V1;

namespace InverseLearning.Serving.Tests;

/// <summary>The start's warnings of settings that work against each other, judged from the settings alone.</summary>
public sealed class SettingsWarningsTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(130)]
    [InlineData(16_387)]
    [InlineData(100_000)]
    [InlineData(1 << 20)]
    public void The_most_candidates_a_request_can_hold_is_what_the_smallest_message_of_them_fits_in(int bytes)
    {
        // A Score request of ids a byte each, its user 0 (not written): no request of more ids is that short, a Rank one (top_k) longer.
        var most = SettingsWarnings.MostCandidates(bytes);

        Assert.True(SmallestScoreRequest(most) <= bytes, $"{most} ids take {SmallestScoreRequest(most)} bytes, over {bytes}");
        Assert.True(SmallestScoreRequest(most + 1) > bytes, $"{most + 1} ids take {SmallestScoreRequest(most + 1)} bytes, within {bytes}");
    }

    private static int SmallestScoreRequest(int ids)
    {
        var request = new ScoreRequest();
        request.ItemIds.AddRange(new long[ids]);
        return request.CalculateSize();
    }

    [Fact]
    public void A_candidate_limit_no_request_within_the_byte_limit_can_reach_is_one_warning()
    {
        var warning = Assert.Single(SettingsWarnings.Of(new RankingOptions { MaxCandidates = 1_000_000, MaxRequestBytes = 100_000 }));

        Assert.Equal("--max-candidates 1000000 is more than the 99,996 candidate ids a request of --max-request-bytes 100000 can hold "
            + "(each id takes a byte at least): no request reaches it, as a longer one is refused for its size", warning);
    }

    [Theory]
    [InlineData(10_000, 1 << 20)]
    // The default 1 MiB holds 1,048,572 ids of a byte each (ids 0 to 127, repeated): the largest limit is reached.
    [InlineData(1_000_000, 1 << 20)]
    [InlineData(99_996, 100_000)]
    public void A_candidate_limit_a_request_can_reach_warns_nothing(int candidates, int bytes)
    {
        Assert.Empty(SettingsWarnings.Of(new RankingOptions { MaxCandidates = candidates, MaxRequestBytes = bytes }));
    }
}
