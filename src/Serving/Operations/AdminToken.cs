using System.Security.Cryptography;
using System.Text;
using InverseLearning.Serving.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InverseLearning.Serving.Operations;

/// <summary>
/// The bearer token of `--admin-token-file`, followed as the file changes: a Kubernetes Secret is rotated in place (its `..data`
/// link swapped), and a token read once at start kept the old one working and refused the new. The file (at most 4,112 bytes,
/// checked before it is read) is read again at most once per <see cref="RecheckInterval"/>, on an admin request: reading it
/// costs no more than looking at its identity would, and no rewrite escapes it (one of the same length whose write time was
/// put back did, when only the identity was compared). A file gone missing or holding no usable token refuses every token
/// (fail closed), with one warning naming it, until it holds one again.
/// </summary>
public sealed class AdminToken
{
    /// <summary>How often a request may read the file again: a rotation is taken within this, and a burst of requests costs one read.</summary>
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(1);

    private readonly string _path;
    private readonly ILogger<AdminToken> _logger;
    private readonly Lock _gate = new();
    private long _nextCheck;
    private byte[]? _token;
    private string? _problem;

    public AdminToken(IOptions<RankingOptions> options, ILogger<AdminToken> logger)
    {
        _path = options.Value.AdminTokenFile;
        _logger = logger;
        // Read at start, where the options' check has just found it usable: a rotation is then what changes it.
        if (IsSet) Read();
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
            Read();
            Volatile.Write(ref _nextCheck, Environment.TickCount64 + (long)RecheckInterval.TotalMilliseconds);
            return _token;
        }
    }

    private void Read()
    {
        // A file gone missing or unreadable is read too: its error names the file and says why.
        var (token, problem) = AdminAuthenticationHandler.ReadToken(_path);
        var bytes = token is null ? null : Encoding.UTF8.GetBytes(token);
        var changed = bytes is not null && _token is not null && !bytes.AsSpan().SequenceEqual(_token);
        var recovered = bytes is not null && _problem is not null;
        Volatile.Write(ref _token, bytes);
        // One line when the token changes or the file stops holding one (or its problem changes), not one per request.
        if (problem is not null && problem != _problem)
            _logger.LogWarning("Admin reloads refused until the token file holds a usable token again: {Problem}", problem);
        else if (changed || recovered)
            _logger.LogInformation("Admin token re-read from {TokenFile}: the file changed", _path);
        _problem = problem;
    }
}
