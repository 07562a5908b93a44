namespace InverseLearning.Data.Tests.Sampling;

/// <summary>The feed's own unlabeled impressions as a source of unlabeled rows, alone or mixed with never-shown items.</summary>
public class MiddleBandSamplerTests
{
    /// <summary>
    /// Users 1 and 2, each with 30 skipped, 30 finished and (user 1 only) 10 middle-band impressions
    /// (finish rate 0.5) on items 200…; users 2 and 3 have none unless <paramref name="everyoneHasMiddle"/>.
    /// Items 1000–1099 are shown to user 3 only, so users 1 and 2 have never-shown items to draw.
    /// </summary>
    private static (PreparedDataset Data, HashSet<long> Middle) Log(bool everyoneHasMiddle = false)
    {
        var (users, items, play) = (new List<long>(), new List<long>(), new List<long>());
        var middle = new HashSet<long>();
        void Add(long user, long item, long playMs) { users.Add(user); items.Add(item); play.Add(playMs); }
        foreach (var user in new long[] { 1, 2 })
            for (var k = 0; k < 60; k++) Add(user, 100 + k, k % 2 == 0 ? 100 : 9_900);
        for (var k = 0; k < 10; k++) { Add(1, 200 + k, 5_000); middle.Add(200 + k); }
        if (everyoneHasMiddle) { Add(2, 300, 5_000); Add(3, 301, 5_000); }
        for (var k = 0; k < 100; k++) Add(3, 1000 + k, k % 2 == 0 ? 100 : 9_900);
        var log = SampleLogs.Watch([.. users], [.. items], [.. play], Enumerable.Repeat(10_000L, users.Count).ToArray());
        return (PreparedDataset.Prepare(log, new LabelingOptions(LabelRule.FinishRate), new SplitOptions()), middle);
    }

    [Fact]
    public void Prepared_dataset_keeps_each_users_unlabeled_impressions()
    {
        var (data, middle) = Log();
        var user1 = data.Users.IndexOf(1);
        Assert.Equal(middle.Order(), data.MiddleBand.ItemsOf(user1).ToArray().Select(i => data.Items.RawIds[i]).Order());
        Assert.Empty(data.MiddleBand.ItemsOf(data.Users.IndexOf(2)).ToArray());
        Assert.Equal(10, data.MiddleBand.PairCount);
        Assert.Equal(10, data.UnlabeledRowCount);
    }

    [Fact]
    public void A_user_without_impressions_is_named_by_the_logs_id()
    {
        var (data, _) = Log();
        var sampler = new MiddleBandSampler(data.MiddleBand, data.Items.Count, data.Users);

        var error = Assert.Throws<DataException>(() => sampler.Sample([data.Users.IndexOf(3)], 1, new int[1], new Random(1)));

        Assert.StartsWith("user id 3 has no middle-band impressions", error.Message);
    }

    [Fact]
    public void Impressions_come_only_from_the_users_own_middle_band_and_cover_it()
    {
        var (data, middle) = Log(everyoneHasMiddle: true);
        var sampler = UnlabeledSamplers.Create(UnlabeledSource.Impressions, 0.5, data);
        Assert.IsType<MiddleBandSampler>(sampler);
        var user1 = data.Users.IndexOf(1);
        var drawn = new int[2000];
        sampler.Sample(Enumerable.Repeat(user1, 1000).ToArray(), 2, drawn, new Random(3));
        var raw = drawn.Select(i => data.Items.RawIds[i]).ToHashSet();
        Assert.Equal(middle, raw);
    }

    [Fact]
    public void Both_mixes_impressions_and_unseen_items_at_the_given_share()
    {
        var (data, middle) = Log();
        var user1 = data.Users.IndexOf(1);
        foreach (var share in new[] { 0.0, 0.3, 1.0 })
        {
            var sampler = UnlabeledSamplers.Create(UnlabeledSource.Both, share, data);
            var drawn = new int[10_000];
            sampler.Sample(Enumerable.Repeat(user1, 5000).ToArray(), 2, drawn, new Random(5));
            var fromMiddle = drawn.Count(i => middle.Contains(data.Items.RawIds[i]));
            Assert.InRange(fromMiddle / 10_000.0, share - 0.02, share + 0.02);
            // The rest are never-shown items, never a labeled impression of the user.
            Assert.All(drawn.Where(i => !middle.Contains(data.Items.RawIds[i])), i => Assert.False(data.Seen.Contains(user1, i)));
        }
        // A user without a middle band gets never-shown items only.
        var user2 = data.Users.IndexOf(2);
        var forUser2 = new int[500];
        UnlabeledSamplers.Create(UnlabeledSource.Both, 1.0, data).Sample(Enumerable.Repeat(user2, 500).ToArray(), 1, forUser2, new Random(1));
        Assert.All(forUser2, i => Assert.False(data.Seen.Contains(user2, i)));
    }

    [Fact]
    public void Unseen_is_the_default_and_draws_never_shown_items()
    {
        var (data, _) = Log();
        Assert.IsType<UnseenItemSampler>(UnlabeledSamplers.Create(UnlabeledSource.Unseen, 0.5, data));
    }

    [Fact]
    public void Impressions_for_a_user_without_any_is_one_clear_error()
    {
        var (data, _) = Log();
        var e = Assert.Throws<DataException>(() => UnlabeledSamplers.Create(UnlabeledSource.Impressions, 0.5, data));
        Assert.Contains("2 training users have no middle-band impressions (first: user id 2)", e.Message);
    }

    [Fact]
    public void Impressions_on_a_log_without_a_middle_band_is_one_clear_error()
    {
        var data = PreparedDataset.Prepare(SampleLogs.RandomRatings(500, 20, 30, seed: 2), new LabelingOptions(LabelRule.Rating), new SplitOptions());
        foreach (var source in new[] { UnlabeledSource.Impressions, UnlabeledSource.Both })
            Assert.Contains("the log has no middle band", Assert.Throws<DataException>(() => UnlabeledSamplers.Create(source, 0.5, data)).Message);
        Assert.Contains("unknown source 'feed'", Assert.Throws<ArgumentException>(() => UnlabeledSamplers.Parse("feed")).Message);
    }
}
