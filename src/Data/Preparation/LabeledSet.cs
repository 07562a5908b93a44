namespace InverseLearning.Data;

/// <summary>
/// Labeled rows in dense indices, column by column: Users[r], Items[r], Labels[r] (1 or 0, one bit each).
/// Rows may instead be held grouped by user (<see cref="Grouped"/>): user u's rows are
/// [UserOffsets[u], UserOffsets[u + 1]), each user's in their order of arrival, and the user
/// column is implied, 4 bytes a row less. What reads such a set row by row goes through
/// <see cref="UserRuns"/> or <see cref="CopyUsers"/>; <see cref="Users"/> builds the column on first use.
/// </summary>
public sealed class LabeledSet : ITrainingRows
{
    private int[]? _users;

    public LabeledSet() : this([], [], []) { }

    /// <summary>Rows with their labels as floats; each must be 0 or 1.</summary>
    public LabeledSet(int[] users, int[] items, float[] labels) : this(users, items, new PackedLabels(labels)) { }

    public LabeledSet(int[] users, int[] items, PackedLabels labels) : this(users, null, items, labels)
    {
        if (users.Length != items.Length || users.Length != labels.Count)
            throw new ArgumentException($"columns differ in length: {users.Length} users, {items.Length} items, {labels.Count} labels");
    }

    private LabeledSet(int[]? users, int[]? userOffsets, int[] items, PackedLabels labels)
    {
        _users = users;
        UserOffsets = userOffsets;
        Items = items;
        Labels = labels;
        Count = items.Length;
    }

    /// <summary>Rows grouped by user: user u's are items[userOffsets[u]..userOffsets[u + 1]], with their labels at the same rows.</summary>
    public static LabeledSet Grouped(int[] userOffsets, int[] items, PackedLabels labels)
    {
        if (userOffsets.Length == 0 || userOffsets[0] != 0 || userOffsets[^1] != items.Length || items.Length != labels.Count)
            throw new ArgumentException($"user offsets must run from 0 to the {items.Length} items, one label each; got {labels.Count} labels");
        for (var u = 0; u + 1 < userOffsets.Length; u++)
            if (userOffsets[u + 1] < userOffsets[u]) throw new ArgumentException($"user offsets must not decrease (user {u})");
        return new LabeledSet(null, userOffsets, items, labels);
    }

    /// <summary>Where each user's rows start, one more entry at the end; null unless the rows are grouped by user.</summary>
    public int[]? UserOffsets { get; }

    /// <summary>The user of every row; for rows grouped by user built on first use (4 bytes a row) and kept.</summary>
    public int[] Users => _users ??= ExpandUsers();

    /// <summary>Whether the user column is held: always for ungrouped rows, for grouped rows once <see cref="Users"/> was asked for.</summary>
    public bool HoldsUserColumn => _users is not null;

    public int[] Items { get; }
    public PackedLabels Labels { get; }
    public int Count { get; }

    public int PositiveCount => Labels.Count(label => label > 0.5f);

    /// <summary>The rows as runs of one user, in row order: (user, first row, rows); a user's rows form one run when grouped.</summary>
    public IEnumerable<(int User, int Start, int Count)> UserRuns()
    {
        if (UserOffsets is { } offsets)
        {
            for (var u = 0; u + 1 < offsets.Length; u++)
                if (offsets[u + 1] > offsets[u]) yield return (u, offsets[u], offsets[u + 1] - offsets[u]);
            yield break;
        }
        var users = _users!;
        for (var start = 0; start < users.Length;)
        {
            var end = start + 1;
            while (end < users.Length && users[end] == users[start]) end++;
            yield return (users[start], start, end - start);
            start = end;
        }
    }

    /// <summary>The users of rows [<paramref name="start"/>, start + into.Length), without building <see cref="Users"/> for grouped rows.</summary>
    public void CopyUsers(int start, Span<int> into)
    {
        if (UserOffsets is not { } offsets)
        {
            Users.AsSpan(start, into.Length).CopyTo(into);
            return;
        }
        // The last user whose rows start at or before row start.
        var user = offsets.AsSpan().BinarySearch(start);
        user = user >= 0 ? user : ~user - 1;
        for (var k = 0; k < into.Length; k++)
        {
            while (offsets[user + 1] <= start + k) user++;
            into[k] = user;
        }
    }

    private int[] ExpandUsers()
    {
        var users = new int[Count];
        CopyUsers(0, users);
        return users;
    }

    public IBatchSchedule Batches(int batchSize, int ng, UnlabeledSampler? sampler, int seed) => new BatchIterator(this, batchSize, ng, sampler, seed);
}
