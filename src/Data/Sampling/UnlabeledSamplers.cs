namespace InverseLearning.Data;

/// <summary>Builds the sampler a run's <see cref="UnlabeledSource"/> asks for, refusing a log that cannot supply it.</summary>
public static class UnlabeledSamplers
{
    public static IReadOnlyList<string> Names { get; } = ["unseen", "impressions", "both"];

    public static UnlabeledSource Parse(string name) => name switch
    {
        "unseen" => UnlabeledSource.Unseen,
        "impressions" => UnlabeledSource.Impressions,
        "both" => UnlabeledSource.Both,
        _ => throw new ArgumentException($"--unlabeled-source: unknown source '{name}', expected one of {string.Join(", ", Names)}"),
    };

    /// <param name="impressionShare">For <see cref="UnlabeledSource.Both"/>: the share of slots drawn from impressions.</param>
    public static UnlabeledSampler Create(UnlabeledSource source, double impressionShare, PreparedDataset data)
    {
        if (source == UnlabeledSource.Unseen) return new UnseenItemSampler(data.Seen, data.Items.Count, data.Users);
        if (data.MiddleBand.PairCount == 0)
            throw new DataException($"--unlabeled-source {Name(source)}: the log has no middle band (the label rule left no impression unlabeled); use --unlabeled-source unseen");
        var impressions = new MiddleBandSampler(data.MiddleBand, data.Items.Count, data.Users);
        if (source == UnlabeledSource.Both) return new MixedSampler(new UnseenItemSampler(data.Seen, data.Items.Count, data.Users), impressions, impressionShare);

        var lacking = UsersWithoutImpressions(data, impressions);
        if (lacking.Count > 0)
            throw new DataException($"--unlabeled-source impressions: {Counted.Of(lacking.Count, "training user")} {(lacking.Count == 1 ? "has" : "have")} no middle-band impressions (first: user id {data.Users.RawIds[lacking[0]]}); use --unlabeled-source both, which gives them never-shown items, or unseen");
        return impressions;
    }

    private static string Name(UnlabeledSource source) => Names[(int)source];

    /// <summary>Training users (held or streamed: a streamed dataset counted them on its first pass) without middle-band impressions, in id order.</summary>
    private static List<int> UsersWithoutImpressions(PreparedDataset data, MiddleBandSampler impressions)
    {
        var rows = data.TrainRowsPerUser();
        var lacking = new List<int>();
        for (var user = 0; user < rows.Length; user++)
            if (rows[user] > 0 && !impressions.HasImpressions(user)) lacking.Add(user);
        return lacking;
    }
}
