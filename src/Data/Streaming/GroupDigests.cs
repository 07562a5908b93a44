namespace InverseLearning.Data;

/// <summary>
/// What the first pass of a streamed run saw of each row group's training rows, which every later pass checks its reads
/// against: the groups as the footers listed them, and per group a digest of its training-train and of its training-test rows
/// (user, item, label). A row's digest is a mix of the three and a group's is their sum, so it does not depend on the rows' order;
/// a relabeled or replaced row changes it though the group's row count stays.
/// </summary>
internal sealed class GroupDigests
{
    private readonly IReadOnlyList<RowGroupRef> _groups;
    private readonly ulong[] _trainTrain, _trainTest;

    public GroupDigests(IReadOnlyList<RowGroupRef> groups) => (_groups, _trainTrain, _trainTest) = (groups, new ulong[groups.Count], new ulong[groups.Count]);

    public IReadOnlyList<RowGroupRef> Groups => _groups;

    public void Add(int group, int user, int item, sbyte label, bool inTrainTest)
    {
        if (inTrainTest) _trainTest[group] += Row(user, item, label);
        else _trainTrain[group] += Row(user, item, label);
    }

    /// <summary>The digest of <paramref name="group"/>'s training rows in the splits a pass keeps.</summary>
    public ulong Of(int group, bool trainTrain, bool trainTest) => (trainTrain ? _trainTrain[group] : 0) + (trainTest ? _trainTest[group] : 0);

    /// <summary>One row's digest, from the dense indices: SplitMix64's finaliser over (user, item), then over that and the label.</summary>
    public static ulong Row(int user, int item, sbyte label) => Mixed(Mixed(((ulong)(uint)user << 32 | (uint)item) + 0x9E3779B97F4A7C15UL) ^ (byte)label);

    /// <summary>
    /// Refuses a pass whose footers list other row groups than the first pass's (a part rewritten with other rows), naming
    /// the first part that differs; the digests are by group, so they compare only over the same groups.
    /// </summary>
    public void CheckSameGroups(IReadOnlyList<RowGroupRef> now, LogDataset dataset)
    {
        if (now.SequenceEqual(_groups)) return;
        var at = 0;
        while (at < now.Count && at < _groups.Count && now[at] == _groups[at]) at++;
        var part = at < now.Count ? now[at].Part : _groups[at].Part;
        var (nowGroups, nowRows) = InPart(now, part);
        var (thenGroups, thenRows) = InPart(_groups, part);
        throw new DataException($"{dataset.Parts[part].Path}: changed since the run's first pass: its row groups are not the ones the first pass read " +
            $"(now {Counted.Of(nowGroups, "row group")} holding {Counted.Of(nowRows, "row")}, then {thenGroups:N0} holding {Counted.Of(thenRows, "row")}); a streamed run reads its lake again at every epoch, so the lake must not change while it trains");
    }

    private static (int Groups, long Rows) InPart(IReadOnlyList<RowGroupRef> list, int part)
    {
        var inPart = list.Where(g => g.Part == part).ToList();
        return (inPart.Count, inPart.Sum(g => (long)g.Rows));
    }

    private static ulong Mixed(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
