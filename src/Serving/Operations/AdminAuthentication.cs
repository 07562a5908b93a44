using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using InverseLearning.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InverseLearning.Serving.Operations;

/// <summary>Who may use the admin port: its connection, the bearer token of `--admin-token-file` when one is set.</summary>
public sealed class AdminAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>The `--admin-host` when it is a loopback address, whose callers must then name a loopback host; null when the port is open.</summary>
    public string? LoopbackHost { get; set; }
}

/// <summary>
/// Authenticates the operator of the admin port. A request that arrived on that port is an
/// operator who may read metrics, and may reload when the bearer token matches (or none is
/// set). A browser page is never one: any request with an `Origin` header is refused (403),
/// so that a cross-origin POST cannot reload the model; and on a loopback admin port, so is one
/// naming a host that is not loopback (403): a page whose own name an attacker made resolve to
/// 127.0.0.1 (DNS rebinding) sends no Origin on a GET, but its own name as Host.
/// </summary>
/// <param name="token">The token `POST /admin/reload` needs as `Authorization: Bearer TOKEN`, as its file holds it now.</param>
public sealed class AdminAuthenticationHandler(IOptionsMonitor<AdminAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder, AdminToken token)
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
        // A request on another listener's connection (the gRPC one, whatever its Host header says) is nobody.
        if (!AdminConnections.IsAdmin(Context)) return Task.FromResult(AuthenticateResult.NoResult());
        if (WebPageRefusal() is { } refusal) return Task.FromResult(AuthenticateResult.Fail(refusal));
        var claims = new List<Claim> { new(Permission, ReadMetrics) };
        if (!token.IsSet || HasToken()) claims.Add(new Claim(Permission, Reload));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // An admin path asked on another port's connection (the gRPC one): not a missing token, a wrong port.
        if (!AdminConnections.IsAdmin(Context))
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            await Response.WriteAsync("not found: /metrics, /healthz and /admin/reload are served on the admin port (--metrics-port) only\n");
            return;
        }
        if (WebPageRefusal() is { } refusal)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            await Response.WriteAsync($"refused: {refusal}\n");
            return;
        }
        await Unauthorized();
    }

    /// <summary>Why a request on the admin port is taken for a web page's, whatever its token; null when it is not.</summary>
    private string? WebPageRefusal() =>
        Request.Headers.Origin.Count > 0 ? "requests from web pages (with an Origin header) are not served here"
        : Options.LoopbackHost is { } admin && !NamesLoopback(Request.Host.Host)
            ? $"the admin port is on loopback (--admin-host {admin}), and {Request.Host.Host} is not a loopback name; call it as localhost, 127.0.0.1 or [::1]"
        : null;

    /// <summary>
    /// A loopback address, or `localhost` and names below it (which resolve to loopback only, RFC 6761). No Host at all
    /// (HTTP/1.0) is no web page's: browsers always send one.
    /// </summary>
    private static bool NamesLoopback(string host) =>
        host.Length == 0 || host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    /// <summary>An operator lacking a permission lacks the token: the only one the token grants is reloading.</summary>
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => Unauthorized();

    private async Task Unauthorized()
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Response.WriteAsync("refused: POST /admin/reload needs the bearer token of --admin-token-file\n");
    }

    private bool HasToken()
    {
        var header = Request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        return token.Matches(header.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) ? header[bearer.Length..].Trim() : "");
    }

    /// <summary>
    /// The longest token taken. It travels in a request header, and Kestrel takes 32 KB of headers in all: a longer one could never be sent.
    /// </summary>
    public const int MaxTokenLength = 4096;

    /// <summary>The longest token file read (a file of any length would otherwise be read whole): the longest token, a byte-order mark and a line ending.</summary>
    public const int MaxTokenFileBytes = MaxTokenLength + 16;

    /// <summary>The token in <paramref name="path"/> (its text, trimmed), or why it cannot be used.</summary>
    public static (string? Token, string? Problem) ReadToken(string path)
    {
        string text;
        try
        {
            // A named pipe reports no length, and opening one waits for a writer for ever; a device reports none and may never end.
            if (InputFile.Problem(path, expected: "a file holding the token") is { } problem) return (null, $"--admin-token-file {path}: {problem}");
            var length = FinalFile.At(path).Length;
            if (length > MaxTokenFileBytes)
                return (null, $"--admin-token-file {path} is {length:N0} bytes; a token file holds at most {MaxTokenFileBytes:N0} (a token of at most {MaxTokenLength:N0} characters, sent in a request header)");
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"--admin-token-file {path}: cannot read it ({e.Message})");
        }
        var token = text.Trim();
        if (token.Length < 16) return (null, $"--admin-token-file {path}: the token is {token.Length} characters; use at least 16");
        if (token.Length > MaxTokenLength)
            return (null, $"--admin-token-file {path}: the token is {token.Length:N0} characters; at most {MaxTokenLength:N0} are taken (it is sent in a request header)");
        // A header carries it as one run of visible ASCII: a token with a space, a line break or a control character inside could
        // never be sent as it is written (a client sends a part of it, or the request is refused).
        var unusable = token.AsSpan().IndexOfAnyExceptInRange('!', '~');
        return unusable >= 0
            ? (null, $"--admin-token-file {path}: the token holds {CharacterName(token[unusable])} at character {unusable + 1}; expected one line of visible ASCII characters (a bearer token)")
            : (token, null);
    }

    private static string CharacterName(char c) => c switch
    {
        ' ' => "a space",
        '\t' => "a tab",
        '\n' or '\r' => "a line break",
        _ when char.IsControl(c) => $"the control character U+{(int)c:X4}",
        _ when char.IsWhiteSpace(c) => $"the space U+{(int)c:X4}",
        _ => $"the non-ASCII character U+{(int)c:X4}",
    };
}
