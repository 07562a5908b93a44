using InverseLearning.Data;

namespace InverseLearning.Serving;

/// <summary>
/// The settings files the host reads (appsettings.json, then appsettings.ENVIRONMENT.json, both optional), checked before the
/// configuration builder opens them, as the model, manifest and token files are: the builder passed over a folder of that name
/// without a word, read a link to /dev/zero until memory ran out, and waited for ever on a named pipe.
/// </summary>
public static class SettingsFiles
{
    /// <summary>The longest settings file read: settings take a few KB, and the file is read whole.</summary>
    public const long MaxBytes = 1 << 20;

    private const string Expected = "a JSON object, {} for no settings";

    /// <summary>
    /// Why a settings file the host would read from <paramref name="directory"/> cannot be one, naming it; null when each is a
    /// regular file under the cap holding more than blank lines, or absent.
    /// </summary>
    public static string? Problem(string directory)
    {
        foreach (var path in new[] { "appsettings.json", $"appsettings.{EnvironmentName()}.json" }.Select(name => Path.Combine(directory, name)))
        {
            if (!Path.Exists(path)) continue; // true of a link to nothing, which is named
            // Through any link: a named pipe and a device report no length.
            if (InputFile.Problem(path, expected: $"a settings file holding {Expected}") is { } problem) return $"{path}: {problem}";
            var length = FinalFile.At(path).Length;
            if (length > MaxBytes) return $"{path}: the settings file is {length:N0} bytes, over the {MaxBytes:N0}-byte cap; not read";
            // The JSON parser's own word for it ("The input does not contain any JSON tokens ...") names neither the fix nor, at
            // times, the line it gave up on (past the last). Read whole, as the builder reads it: it is under the cap. A byte-order
            // mark alone is no JSON either, and File.ReadAllText drops it.
            if (string.IsNullOrWhiteSpace(File.ReadAllText(path))) return $"{path}: the settings file holds only blank lines; expected {Expected}";
        }
        return null;
    }

    /// <summary>The environment the host takes its second settings file's name from: ASPNETCORE_ENVIRONMENT wins over DOTNET_ENVIRONMENT.</summary>
    private static string EnvironmentName() =>
        new[] { "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT" }.Select(Environment.GetEnvironmentVariable).FirstOrDefault(name => !string.IsNullOrEmpty(name)) ?? "Production";
}
