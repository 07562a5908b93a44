using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace InverseLearning.Serving;

/// <summary>
/// The settings the host reads, checked as configuration gives them, before they are bound: the binder skips a
/// key it does not know and a value of the wrong shape, so a misspelt setting would silently serve the default,
/// and a log level it cannot read would stop the host with a stack trace.
/// </summary>
public static class ConfigurationCheck
{
    private static readonly HashSet<string> Settings = typeof(RankingOptions).GetProperties()
        .Where(property => property.CanWrite).Select(property => property.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>The first setting that cannot be what it says, named by its key; null when all can.</summary>
    public static string? FirstProblem(IConfiguration configuration) => Ranking(configuration) ?? LogLevels(configuration);

    private static string? Ranking(IConfiguration configuration)
    {
        var section = configuration.GetSection(RankingOptions.Section);
        if (section.Value is { } value) return $"{section.Path} is '{value}', expected a section of settings such as {section.Path}:MaxTopK";
        foreach (var setting in section.GetChildren())
        {
            if (!Settings.Contains(setting.Key))
            {
                var flag = ServeFlags.All.FirstOrDefault(f => string.Equals(f.Name.Replace("-", ""), setting.Key, StringComparison.OrdinalIgnoreCase));
                return $"{setting.Path} is not a setting of the server{(flag is null ? "" : $"; {flag.Name} sets {flag.ConfigurationKey}")} (inverselearning-serve --help lists each flag with its key)";
            }
            if (setting.GetChildren().Any()) return $"{setting.Path} holds a section, expected one value";
        }
        return null;
    }

    /// <summary>Every value .NET reads as a log level: under `Logging:LogLevel` and each provider's `Logging:NAME:LogLevel`, at any depth (keys in any case).</summary>
    private static string? LogLevels(IConfiguration configuration)
    {
        foreach (var child in configuration.GetSection("Logging").GetChildren())
        {
            var levels = string.Equals(child.Key, "LogLevel", StringComparison.OrdinalIgnoreCase) ? child : child.GetSection("LogLevel");
            foreach (var level in levels.AsEnumerable())
                if (level.Value is { Length: > 0 } text && !Enum.TryParse<LogLevel>(text, ignoreCase: true, out _))
                    return $"{level.Key} is '{text}', expected one of {string.Join(", ", Enum.GetNames<LogLevel>())}";
        }
        return null;
    }
}
