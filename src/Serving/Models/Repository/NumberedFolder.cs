using System.Globalization;

namespace InverseLearning.Serving.Repository;

/// <summary>
/// Publishes a folder as the next numbered version beside the others (the layout Triton, TF Serving and this
/// server's repository read): written whole in a hidden staging folder, it appears in one rename, so a reader never
/// finds a numbered folder half-written; a number another publisher took first makes this one try the next.
/// </summary>
public static class NumberedFolder
{
    /// <summary>
    /// The version a folder's name gives: a positive number as it is written when published (no sign, no leading zeros: `007`
    /// and `+7` are no versions, so that one version has one name); null for any other name.
    /// </summary>
    public static int? Version(string name) =>
        int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0 && name == version.ToString(CultureInfo.InvariantCulture) ? version : null;

    /// <param name="staging">The hidden folder in <paramref name="parent"/> to write in (named by the caller, whose orphan cleanup knows the name); deleted when publishing fails.</param>
    /// <param name="fill">Writes the version's files into the staging folder.</param>
    /// <param name="next">The number to try: given null first, then the number another publisher just took.</param>
    /// <param name="seal">Runs before each rename with the number it is for (a manifest that names its version).</param>
    /// <returns>The number the folder was published as.</returns>
    public static int Publish(string parent, string staging, Action<string> fill, Func<int?, int> next, Action<string, int>? seal = null)
    {
        Directory.CreateDirectory(staging);
        try
        {
            fill(staging);
            for (var version = next(null); ; version = next(version))
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
}
