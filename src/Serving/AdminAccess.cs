using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace InverseLearning.Serving;

/// <summary>
/// Who may use the admin/metrics port: never a browser page (any request with an `Origin`
/// header is refused, so a cross-origin POST cannot reload the model), and for
/// `/admin/reload` the bearer token of `--admin-token-file` when one is set — which it must
/// be when the port is not on loopback.
/// </summary>
public sealed class AdminAccess
{
    private readonly byte[]? _token;

    public AdminAccess(IOptions<RankingOptions> settings)
    {
        var options = settings.Value;
        if (options.AdminTokenFile.Length > 0) _token = Encoding.UTF8.GetBytes(ReadToken(options.AdminTokenFile));
        else if (!IPAddress.IsLoopback(RankingOptionsValidation.ParseAddress(options.AdminHost)!))
            throw new ArgumentException($"--admin-host {options.AdminHost} is not loopback: give --admin-token-file so that POST /admin/reload needs a bearer token");
    }

    /// <summary>403 for browser requests, else null.</summary>
    public static IResult? RefuseBrowser(HttpContext context) =>
        context.Request.Headers.Origin.Count > 0
            ? Results.Text("refused: requests from web pages (with an Origin header) are not served here\n", statusCode: StatusCodes.Status403Forbidden)
            : null;

    /// <summary>401 when a token is set and the request does not carry it as `Authorization: Bearer TOKEN`, else null.</summary>
    public IResult? RefuseUnauthorized(HttpContext context)
    {
        if (_token is null) return null;
        var header = context.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        var given = header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()) : [];
        if (CryptographicOperations.FixedTimeEquals(given, _token)) return null;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Results.Text("refused: POST /admin/reload needs the bearer token of --admin-token-file\n", statusCode: StatusCodes.Status401Unauthorized);
    }

    private static string ReadToken(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException(Directory.Exists(path)
                ? $"--admin-token-file {path} is a directory, expected a file holding the token"
                : $"--admin-token-file {path}: cannot read it ({e.Message})");
        }
        var token = text.Trim();
        if (token.Length < 16) throw new ArgumentException($"--admin-token-file {path}: the token is {token.Length} characters; use at least 16");
        return token;
    }
}
