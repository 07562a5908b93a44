using System.Collections;

namespace InverseLearning.Data;

/// <summary>
/// The users and items of a held-out split (valid or test) that no training row holds: under
/// a split by time, those first seen in the held-out days. Their rows stay in the split, as a
/// deployed model meets them too, but their embeddings learned from no labeled row of theirs
/// (an item is still drawn as a sampled unlabeled row, like every item of the vocabulary), so
/// they are counted, to read the split's metrics by.
/// </summary>
public sealed record ColdStart(int Users, int ColdUsers, int Items, int ColdItems, int Rows, int ColdRows)
{
    public static ColdStart Of(LabeledSet heldOut, LabeledSet train, int userCount, int itemCount)
    {
        var (trainedUsers, trainedItems) = (new BitArray(userCount), new BitArray(itemCount));
        for (var r = 0; r < train.Count; r++)
        {
            trainedUsers[train.Users[r]] = true;
            trainedItems[train.Items[r]] = true;
        }
        return Of(heldOut, trainedUsers, trainedItems);
    }

    /// <summary>The cold ids of <paramref name="heldOut"/> given which users and items (dense indices) some training row holds.</summary>
    public static ColdStart Of(LabeledSet heldOut, BitArray trainedUsers, BitArray trainedItems)
    {
        var (users, items) = (new HashSet<int>(), new HashSet<int>());
        var (coldUsers, coldItems) = (new HashSet<int>(), new HashSet<int>());
        var coldRows = 0;
        for (var r = 0; r < heldOut.Count; r++)
        {
            var (user, item) = (heldOut.Users[r], heldOut.Items[r]);
            users.Add(user);
            items.Add(item);
            if (!trainedUsers[user]) coldUsers.Add(user);
            if (!trainedItems[item]) coldItems.Add(item);
            if (!trainedUsers[user] || !trainedItems[item]) coldRows++;
        }
        return new ColdStart(users.Count, coldUsers.Count, items.Count, coldItems.Count, heldOut.Count, coldRows);
    }

    /// <summary>"12 of 340 users and 30 of 900 items have no training row; 45 of 1,000 rows hold one of them".</summary>
    public override string ToString() =>
        $"{ColdUsers:N0} of {Users:N0} users and {ColdItems:N0} of {Items:N0} items have no training row; {ColdRows:N0} of {Rows:N0} rows hold one of them";

    public IReadOnlyDictionary<string, int> ToDictionary() => new Dictionary<string, int>
    {
        ["users"] = Users, ["cold_users"] = ColdUsers, ["items"] = Items, ["cold_items"] = ColdItems, ["rows"] = Rows, ["cold_rows"] = ColdRows,
    };
}
