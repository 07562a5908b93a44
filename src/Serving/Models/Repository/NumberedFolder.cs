using System.Globalization;

namespace InverseLearning.Serving.Models.Repository;

/// <summary>
/// Publishes a folder as the next numbered version beside the others (the layout Triton, TF Serving and this
/// server's repository read): written whole in a hidden staging folder, it appears in one rename, so a reader never
/// finds a numbered folder half-written; a number another publisher (or a file) took first makes this one try the next.
/// </summary>
public static class NumberedFolder
{
    /// <summary>
    /// The versions in <paramref name="parent"/>, oldest first: its folders named by a positive number as it is written when
    /// published (no sign, no leading zeros: `007` and `+7` are no versions, so that one version has one name). A file is no
    /// version, whatever its name.
    /// </summary>
    public static IReadOnlyList<int> Versions(string parent)
    {
        if (!Directory.Exists(parent)) return [];
        return Directory.EnumerateDirectories(parent)
            .Select(folder => Version(Path.GetFileName(folder)))
            .OfType<int>()
            .Order()
            .ToList();
    }

    /// <summary>
    /// The folders of <paramref name="parent"/> named like a number (a digit or a sign first) that are no version, each with why
    /// (`0`, `007`, `-5`, a number past the largest), by name: <see cref="Versions"/> passes them over, and one meant as a version
    /// is otherwise never told of.
    /// </summary>
    public static IReadOnlyList<(string Name, string Why)> NumberLikeFolders(string parent)
    {
        if (!Directory.Exists(parent)) return [];
        return Directory.EnumerateDirectories(parent)
            .Select(folder => Path.GetFileName(folder))
            .Where(name => name.Length > 0 && (char.IsAsciiDigit(name[0]) || name[0] is '+' or '-') && Version(name) is null)
            .Order(StringComparer.Ordinal)
            .Select(name => (name, WhyNoVersion(name)))
            .ToList();
    }

    /// <summary>
    /// The entries of <paramref name="parent"/> named as a version that hold no folder, each with what they are: a link to nothing
    /// (a volume or network mount gone), a link to a file, or a file. <see cref="Versions"/> passes them over as it passes over
    /// <see cref="NumberLikeFolders"/>, and one meant as a version is otherwise never told of.
    /// </summary>
    public static IReadOnlyList<(string Name, string Why)> VersionNamedNonFolders(string parent)
    {
        if (!Directory.Exists(parent)) return [];
        return new DirectoryInfo(parent).EnumerateFiles()
            .Where(entry => Version(entry.Name) is not null)
            .OrderBy(entry => entry.Name, StringComparer.Ordinal)
            .Select(entry => (entry.Name, entry.LinkTarget is not { } target ? "a file, not a version's folder"
                : InverseLearning.Data.BrokenLink.Of(entry) is { } broken ? broken.ToString() : $"a link to {target}, a file, not a version's folder"))
            .ToList();
    }

    private static string WhyNoVersion(string name)
    {
        var digits = name.TrimStart('+', '-');
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit)) return "not a number";
        if (digits.Length != name.Length) return "a version number has no sign";
        var significant = digits.TrimStart('0');
        if (significant.Length == 0) return "versions are numbered from 1";
        if (significant.Length != digits.Length) return $"a version number has no leading zeros (version {significant} is the folder {significant}/)";
        return PastLargest;
    }

    private static readonly string PastLargest = $"past {int.MaxValue}, the largest version number";

    private static int? Version(string name) =>
        int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0 && name == version.ToString(CultureInfo.InvariantCulture) ? version : null;

    /// <param name="staging">The hidden folder in <paramref name="parent"/> to write in (named by the caller, whose orphan cleanup knows the name); deleted when publishing fails.</param>
    /// <param name="fill">Writes the version's files into the staging folder.</param>
    /// <param name="whenFull">What to do instead, said when no number is left past the largest a version can have.</param>
    /// <param name="seal">Runs before each rename with the number it is for (a manifest that names its version).</param>
    /// <returns>The number the folder was published as: one past the newest version, or past the numbers others took meanwhile.</returns>
    public static int Publish(string parent, string staging, Action<string> fill, string whenFull, Action<string, int>? seal = null)
    {
        // Triton reads a version as an int64: a folder past int.MaxValue would stay its newest version, and the one published here never be served.
        if (NumberLikeFolders(parent).FirstOrDefault(folder => folder.Why == PastLargest) is { Name: { } past })
            throw new IOException($"{Path.Combine(parent, past)} is numbered {PastLargest}: a reader of 64-bit versions (Triton) would serve it " +
                "and never a version published beside it; remove or rename it, or " + whenFull);
        Directory.CreateDirectory(staging);
        try
        {
            fill(staging);
            for (var version = Next(parent, Versions(parent) is [.., var newest] ? newest : 0, whenFull); ; version = Next(parent, version, whenFull))
            {
                seal?.Invoke(staging, version);
                var folder = Path.Combine(parent, version.ToString(CultureInfo.InvariantCulture));
                try
                {
                    Directory.Move(staging, folder);
                    return version;
                }
                catch (IOException) when (Path.Exists(folder))
                {
                    // Another publisher took this number between our look and our rename (or a file holds its name).
                }
            }
        }
        catch
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            throw;
        }
    }

    /// <summary>The number after <paramref name="taken"/>; none is left after the largest a folder name can hold.</summary>
    private static int Next(string parent, int taken, string whenFull)
    {
        if (taken < int.MaxValue) return taken + 1;
        var holder = Path.Combine(parent, taken.ToString(CultureInfo.InvariantCulture));
        throw new IOException(Directory.Exists(holder)
            ? $"{parent} holds version {taken}, the largest number a version can have; {whenFull}"
            : $"{holder} is a file, not a version, and takes {taken}, the largest number a version can have; {whenFull}");
    }
}
