namespace InverseLearning.Training.Analysis;

/// <summary>Rows drawn among the training rows of some users, found without copying those rows out (4 bytes a training row).</summary>
public static class DrawnCandidates
{
    /// <summary>
    /// The user of each drawn candidate: candidate k is the k-th row of <paramref name="rowUsers"/> whose user passes
    /// <paramref name="users"/> (every row when null). One scan, in the drawn candidates' order.
    /// </summary>
    public static int[] UsersOf(int[] rowUsers, Func<int, bool>? users, int[] drawn)
    {
        var result = new int[drawn.Length];
        if (users is null)
        {
            for (var r = 0; r < drawn.Length; r++) result[r] = rowUsers[drawn[r]];
            return result;
        }
        var byCandidate = Enumerable.Range(0, drawn.Length).OrderBy(r => drawn[r]).ToArray();
        var (candidate, next) = (-1, 0);
        foreach (var user in rowUsers)
        {
            if (!users(user)) continue;
            candidate++;
            for (; next < byCandidate.Length && drawn[byCandidate[next]] == candidate; next++) result[byCandidate[next]] = user;
        }
        return next == drawn.Length ? result : throw new ArgumentOutOfRangeException(nameof(drawn), $"a drawn candidate is beyond the {candidate + 1:N0} candidates");
    }
}
