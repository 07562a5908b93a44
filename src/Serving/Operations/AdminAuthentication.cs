using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InverseLearning.Serving.Operations;

/// <summary>Who may use the admin port: its connection, the bearer token of `--admin-token-file` when one is set.</summary>
public sealed class AdminAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>The admin port actually bound: a request on another port (the gRPC one, whatever its Host header says) is nobody.</summary>
    public int Port { get; set; }

    /// <summary>The token `POST /admin/reload` needs as `Authorization: Bearer TOKEN`; null when none is set (the port is then on loopback).</summary>
    public string? Token { get; set; }
}

/// <summary>
/// Authenticates the operator of the admin port. A request that arrived on that port is an
/// operator who may read metrics, and may reload when the bearer token matches (or none is
/// set). A browser page is never one: any request with an `Origin` header is refused (403),
/// so that a cross-origin POST cannot reload the model.
/// </summary>
public sealed class AdminAuthenticationHandler(IOptionsMonitor<AdminAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AdminAuthenticationOptions>(options, logger, encoder)
{
    public const string SchemeName = "Admin";
    public const string MetricsPolicy = "AdminMetrics";
    public const string ReloadPolicy = "AdminReload";
    public const string Permission = "admin";
    public const string ReadMetrics = "metrics";
    public const string Reload = "reload";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Context.Connection.LocalPort != Options.Port) return Task.FromResult(AuthenticateResult.NoResult());
        if (Request.Headers.Origin.Count > 0) return Task.FromResult(AuthenticateResult.Fail("requests from web pages (with an Origin header) are not served here"));
        var claims = new List<Claim> { new(Permission, ReadMetrics) };
        if (Options.Token is null || HasToken(Options.Token)) claims.Add(new Claim(Permission, Reload));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // The admin port's Host named on another port's connection: not a missing token, a wrong port.
        if (Context.Connection.LocalPort != Options.Port)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            await Response.WriteAsync("not found: /metrics and /admin/reload are served on the admin port (--metrics-port) only\n");
            return;
        }
        if (Request.Headers.Origin.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            await Response.WriteAsync("refused: requests from web pages (with an Origin header) are not served here\n");
            return;
        }
        await Unauthorized();
    }

    /// <summary>An operator lacking a permission lacks the token: the only one the token grants is reloading.</summary>
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => Unauthorized();

    private async Task Unauthorized()
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Response.WriteAsync("refused: POST /admin/reload needs the bearer token of --admin-token-file\n");
    }

    private bool HasToken(string token)
    {
        var header = Request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        var given = header.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) ? Encoding.UTF8.GetBytes(header[bearer.Length..].Trim()) : [];
        return CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(token));
    }

    /// <summary>The token in <paramref name="path"/> (its text, trimmed), or why it cannot be used.</summary>
    public static (string? Token, string? Problem) ReadToken(string path)
    {
        string text;
        try
        {
            // A named pipe reports no length, and opening one waits for a writer for ever.
            if (File.Exists(path) && new FileInfo(path).Length == 0) return (null, $"--admin-token-file {path} is empty (or not a regular file); write the token into it");
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, Directory.Exists(path)
                ? $"--admin-token-file {path} is a directory, expected a file holding the token"
                : $"--admin-token-file {path}: cannot read it ({e.Message})");
        }
        var token = text.Trim();
        return token.Length < 16 ? (null, $"--admin-token-file {path}: the token is {token.Length} characters; use at least 16") : (token, null);
    }
}
