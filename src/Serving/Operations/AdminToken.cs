using System.Security.Cryptography;
using System.Text;
using InverseLearning.Serving.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InverseLearning.Serving.Operations;

/// <summary>
/// The bearer token of `--admin-token-file`, followed as the file changes: a Kubernetes Secret is rotated in place (its `..data`
/// link swapped), and a token read once at start kept the old one working and refused the new. The file's identity
/// (<see cref="FileStamp"/>: the file its links lead to, its length and write time) is looked at, at most once per
/// <see cref="RecheckInterval"/>, and the file is read again only when that changed. A file gone missing or holding no usable
/// token refuses every token (fail closed), with one warning naming it, until it holds one again.
/// </summary>
public sealed class AdminToken
{
    /// <summary>How often a request may look at the file's identity: a rotation is taken within this, and a burst of requests costs one look.</summary>
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(1);

    private readonly string _path;
    private readonly ILogger<AdminToken> _logger;
    private readonly Lock _gate = new();
    private long _nextCheck;
    private FileStamp? _stamp;
    private byte[]? _token;
    private string? _problem;

    public AdminToken(IOptions<RankingOptions> options, ILogger<AdminToken> logger)
    {
        _path = options.Value.AdminTokenFile;
        _logger = logger;
        // Read at start, where the options' check has just found it usable: a rotation is then what changes it.
        if (IsSet) Read(StampOf(_path));
        _nextCheck = Environment.TickCount64 + (long)RecheckInterval.TotalMilliseconds;
    }

    /// <summary>Whether a token is set at all: without one, the admin port is on loopback and any caller on it may reload.</summary>
    public bool IsSet => _path.Length > 0;

    /// <summary>Whether <paramref name="given"/> is the file's token now (in constant time); false while the file holds none.</summary>
    public bool Matches(string given)
    {
        var token = Current();
        return token is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), token);
    }

    private byte[]? Current()
    {
        if (Environment.TickCount64 < Volatile.Read(ref _nextCheck)) return Volatile.Read(ref _token);
        lock (_gate)
        {
            if (Environment.TickCount64 < _nextCheck) return _token;
            var stamp = StampOf(_path);
            // Read again only when the file is another one than the last read (or none was): a look costs a few stat calls.
            if (stamp is null || stamp != _stamp) Read(stamp);
            Volatile.Write(ref _nextCheck, Environment.TickCount64 + (long)RecheckInterval.TotalMilliseconds);
            return _token;
        }
    }

    private void Read(FileStamp? stamp)
    {
        // A file gone missing or unreadable is read too: its error names the file and says why.
        var (token, problem) = AdminAuthenticationHandler.ReadToken(_path);
        var rotated = _stamp is not null || _problem is not null;
        _stamp = stamp;
        Volatile.Write(ref _token, token is null ? null : Encoding.UTF8.GetBytes(token));
        // One line when the file stops holding a token (or its problem changes), not one per refused request.
        if (problem is not null && problem != _problem)
            _logger.LogWarning("Admin reloads refused until the token file holds a usable token again: {Problem}", problem);
        else if (problem is null && rotated)
            _logger.LogInformation("Admin token re-read from {TokenFile}: the file changed", _path);
        _problem = problem;
    }

    private static FileStamp? StampOf(string path)
    {
        try
        {
            return FileStamp.Of(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
