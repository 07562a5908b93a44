using System.Net;
using System.Net.Http.Headers;
using Grpc.Core;
using Grpc.Net.Client;
using InverseLearning.Serving.Operations;
using Microsoft.Extensions.Options;

namespace InverseLearning.Serving.Tests;

public sealed class AdminPlaneTests
{
    private static readonly GmfModelFixture Model = GmfModelFixture.Random(users: 5, items: 20, dim: 4, seed: 8, version: "a1");
    private const string Token = "s3cret-token-0123456789";

    [Fact]
    public async Task Admin_and_metrics_bind_loopback_even_when_grpc_listens_on_every_interface()
    {
        await using var server = await ServerHarness.StartAsync(Model, o => o.Host = "0.0.0.0");

        Assert.Equal(IPAddress.Loopback, server.Server.MetricsEndpoint!.Address);
        Assert.True((await server.Http.GetAsync("/metrics")).IsSuccessStatusCode);
    }

    [Fact]
    public async Task Healthz_answers_on_the_admin_port_while_every_grpc_connection_is_taken()
    {
        // Liveness probed the gRPC health on a port whose --max-connections clients had taken (each sent only the HTTP/2
        // preface): no answer, and the kubelet restarted every replica of a saturated service. The admin port is its own.
        await using var server = await ServerHarness.StartAsync(Model, o => { o.MaxConnections = 2; o.WatchModel = false; });
        var held = new List<System.Net.Sockets.TcpClient>();
        try
        {
            await HoldAsync(held, server.Server.Port, 2, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray());
            using var probe = GrpcChannel.ForAddress($"http://127.0.0.1:{server.Server.Port}");
            var grpcHealth = new Grpc.Health.V1.Health.HealthClient(probe);
            await Assert.ThrowsAsync<RpcException>(async () => await grpcHealth.CheckAsync(new Grpc.Health.V1.HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2)));

            using var reply = await server.Http.GetAsync("/healthz");

            Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
            Assert.StartsWith("ok: serving model ", await reply.Content.ReadAsStringAsync());
        }
        finally
        {
            held.ForEach(client => client.Dispose());
        }
    }

    [Fact]
    public async Task Healthz_answers_within_the_idle_timeout_while_idle_connections_hold_every_admin_slot()
    {
        // Connections that sent nothing held the admin port's --max-connections for Kestrel's keep-alive (130 s): /healthz went
        // unanswered, and a liveness probe on it restarts the pod. Each is closed once it carries no request for the idle timeout.
        await using var server = await ServerHarness.StartAsync(Model, o => { o.MaxConnections = 3; o.WatchModel = false; });
        var held = new List<System.Net.Sockets.TcpClient>();
        try
        {
            await HoldAsync(held, server.Server.MetricsPort!.Value, 3, []);
            // The idle timeout README gives (5 s), and time to spare.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            HttpStatusCode? answered = null;
            while (answered is null && DateTime.UtcNow < deadline)
            {
                // A connection of its own each time, as the kubelet's probe opens.
                using var probe = new HttpClient { BaseAddress = server.Http.BaseAddress, Timeout = TimeSpan.FromSeconds(1) };
                try
                {
                    answered = (await probe.GetAsync("/healthz")).StatusCode;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    await Task.Delay(200);
                }
            }

            Assert.Equal(HttpStatusCode.OK, answered);
            // The held ones were closed by the server, not left open beside it: an end of stream, or a reset (the connection aborted).
            try
            {
                Assert.Equal(0, await held[0].GetStream().ReadAsync(new byte[1]).AsTask().WaitAsync(TimeSpan.FromSeconds(5)));
            }
            catch (IOException)
            {
            }
        }
        finally
        {
            held.ForEach(client => client.Dispose());
        }
    }

    [Fact]
    public async Task A_connection_that_asks_again_within_the_idle_timeout_is_kept_and_closed_once_idle()
    {
        // Prometheus keeps its connection between scrapes: each request puts the idle clock back, counted from its end, not from the
        // connection's start. Without a request, the connection is closed within the idle timeout README gives (5 s).
        await using var server = await ServerHarness.StartAsync(Model, o => o.WatchModel = false);
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, server.Server.MetricsPort!.Value);
        var stream = client.GetStream();

        for (var ask = 0; ask < 8; ask++)
        {
            Assert.StartsWith("HTTP/1.1 200", await AskHealthzAsync(stream));
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        var idle = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            Assert.Equal(0, await stream.ReadAsync(new byte[1]).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        }
        catch (IOException)
        {
        }
        Assert.InRange(idle.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
    }

    /// <summary>GET /healthz on a kept connection; its answer's status line once the whole answer is read.</summary>
    private static async Task<string> AskHealthzAsync(System.Net.Sockets.NetworkStream stream)
    {
        await stream.WriteAsync("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n"u8.ToArray());
        var read = new List<byte>();
        var buffer = new byte[4096];
        while (true)
        {
            var text = System.Text.Encoding.ASCII.GetString([.. read]);
            var headersEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (headersEnd >= 0)
            {
                var length = System.Text.RegularExpressions.Regex.Match(text, @"(?im)^content-length: *(\d+)") is { Success: true } match ? int.Parse(match.Groups[1].Value) : 0;
                if (read.Count >= headersEnd + 4 + length) return text[..text.IndexOf('\r')];
            }
            var n = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.True(n > 0, "the server closed a connection that had asked within the idle timeout");
            read.AddRange(buffer.AsSpan(0, n).ToArray());
        }
    }

    /// <summary>Opens <paramref name="count"/> connections to <paramref name="port"/> into <paramref name="held"/>, each sending <paramref name="preface"/> alone.</summary>
    private static async Task HoldAsync(List<System.Net.Sockets.TcpClient> held, int port, int count, byte[] preface)
    {
        for (var i = 0; i < count; i++)
        {
            var client = new System.Net.Sockets.TcpClient();
            held.Add(client);
            await client.ConnectAsync(IPAddress.Loopback, port);
            if (preface.Length > 0) await client.GetStream().WriteAsync(preface);
        }
    }

    [Fact]
    public async Task A_non_loopback_admin_host_without_a_token_file_refuses_to_start()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => ServerHarness.StartAsync(Model, o => o.AdminHost = "0.0.0.0"));

        Assert.Contains("--admin-token-file", error.Message);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("wrong-token-0123456789", HttpStatusCode.Unauthorized)]
    [InlineData(Token, HttpStatusCode.OK)]
    public async Task Reload_on_an_open_admin_host_needs_the_bearer_token(string? bearer, HttpStatusCode expected)
    {
        var tokenFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(tokenFile, Token + "\n");
        try
        {
            await using var server = await ServerHarness.StartAsync(Model, o => { o.AdminHost = "0.0.0.0"; o.AdminTokenFile = tokenFile; });
            Assert.Equal(IPAddress.Any, server.Server.MetricsEndpoint!.Address);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/reload");
            if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);

            var reply = await server.Http.SendAsync(request);

            Assert.Equal(expected, reply.StatusCode);
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }

    [Theory]
    [InlineData("/metrics")]
    [InlineData("/healthz")] // the kubelet's liveness and startup probes carry no token
    public async Task A_scrape_and_a_probe_need_no_token_where_a_reload_does(string path)
    {
        var tokenFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(tokenFile, Token + "\n");
        try
        {
            await using var server = await ServerHarness.StartAsync(Model, o => { o.AdminHost = "0.0.0.0"; o.AdminTokenFile = tokenFile; });

            var reply = await server.Http.GetAsync(path);

            Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }

    [Theory]
    [InlineData("GET", "/metrics", "evil.example", HttpStatusCode.Forbidden)]
    [InlineData("POST", "/admin/reload", "evil.example", HttpStatusCode.Forbidden)]
    [InlineData("GET", "/metrics", "localhost", HttpStatusCode.OK)]
    [InlineData("GET", "/metrics", "127.0.0.1", HttpStatusCode.OK)]
    [InlineData("GET", "/metrics", "[::1]", HttpStatusCode.OK)]
    public async Task A_loopback_admin_port_answers_only_requests_that_name_a_loopback_host(string method, string path, string host, HttpStatusCode expected)
    {
        // A web page whose name was made to resolve to 127.0.0.1 (DNS rebinding) sends its own name, and no Origin on a GET.
        await using var server = await ServerHarness.StartAsync(Model, o => o.WatchModel = false);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Host = $"{host}:{server.Server.MetricsPort}";

        var reply = await server.Http.SendAsync(request);

        Assert.Equal(expected, reply.StatusCode);
        if (expected == HttpStatusCode.Forbidden)
            Assert.Equal($"refused: the admin port is on loopback (--admin-host 127.0.0.1), and {host} is not a loopback name; call it as localhost, 127.0.0.1 or [::1]\n",
                await reply.Content.ReadAsStringAsync());
        Assert.Equal(0, PrometheusText.Value(await server.MetricsAsync(), "ranking_model_reloads_total"));
    }

    [Theory]
    [InlineData("localhost:19464", HttpStatusCode.OK)] // kubectl port-forward 19464:9464, docker -p 19464:9464
    [InlineData("localhost", HttpStatusCode.OK)]
    [InlineData("evil.example", HttpStatusCode.Forbidden)] // a rebinding page served on port 80
    public async Task The_admin_port_is_known_by_the_connection_whatever_port_its_host_header_names(string host, HttpStatusCode expected)
    {
        await using var server = await ServerHarness.StartAsync(Model, o => o.WatchModel = false);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Host = host;

        var reply = await server.Http.SendAsync(request);

        Assert.Equal(expected, reply.StatusCode);
    }

    [Fact]
    public async Task An_open_admin_port_answers_whatever_name_it_was_reached_by()
    {
        var tokenFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(tokenFile, Token);
        try
        {
            // A scraper may know the replica by any of its names (a Kubernetes service, a pod's DNS name): the token guards reloads.
            await using var server = await ServerHarness.StartAsync(Model, o => { o.AdminHost = "0.0.0.0"; o.AdminTokenFile = tokenFile; });
            using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
            request.Headers.Host = $"ranker-0.ranker.serving.svc:{server.Server.MetricsPort}";

            var reply = await server.Http.SendAsync(request);

            Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }

    [Fact]
    public async Task A_token_file_rotated_in_place_is_read_again_and_one_gone_missing_refuses_every_token()
    {
        // A Kubernetes Secret's volume: token -> ..data/token, ..data -> the current version's folder, swapped on rotation.
        // The token was read once at start: the old one kept working and the new one got 401.
        var folder = Directory.CreateTempSubdirectory("admin-token-").FullName;
        try
        {
            const string rotated = "r0tate-token-0123456789"; // as long as Token
            var first = WriteVersion(folder, "..v1", Token);
            File.CreateSymbolicLink(Path.Combine(folder, "..data"), "..v1");
            var tokenFile = Path.Combine(folder, "token");
            File.CreateSymbolicLink(tokenFile, Path.Combine("..data", "token"));
            await using var server = await ServerHarness.StartAsync(Model, o => { o.AdminHost = "0.0.0.0"; o.AdminTokenFile = tokenFile; o.WatchModel = false; });
            Assert.NotEqual(HttpStatusCode.Unauthorized, await ReloadAsync(server, Token));

            // Of the same length and write time: only the file the links lead to tells it from the last.
            var second = WriteVersion(folder, "..v2", rotated);
            File.SetLastWriteTimeUtc(second, File.GetLastWriteTimeUtc(first));
            File.Delete(Path.Combine(folder, "..data"));
            File.CreateSymbolicLink(Path.Combine(folder, "..data"), "..v2");

            await WaitForAsync(async () => await ReloadAsync(server, rotated) != HttpStatusCode.Unauthorized, "the rotated token was never taken");
            Assert.Equal(HttpStatusCode.Unauthorized, await ReloadAsync(server, Token));

            File.Delete(Path.Combine(folder, "..data"));
            await WaitForAsync(async () => await ReloadAsync(server, rotated) == HttpStatusCode.Unauthorized, "a missing token file still let the token through");
            for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.Unauthorized, await ReloadAsync(server, rotated));
            Assert.Single(server.Logs.Lines, line => line.Level == Microsoft.Extensions.Logging.LogLevel.Warning && line.Message.Contains(tokenFile, StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_token_file_rewritten_with_the_same_length_and_its_write_time_put_back_is_read_again()
    {
        // Compared by its identity (the file its links lead to, length, write time), such a rewrite kept the old token working.
        var tokenFile = Path.GetTempFileName();
        try
        {
            const string rewritten = "r3writ-token-0123456789"; // as long as Token
            await File.WriteAllTextAsync(tokenFile, Token + "\n");
            var written = File.GetLastWriteTimeUtc(tokenFile);
            await using var server = await ServerHarness.StartAsync(Model, o => { o.AdminHost = "0.0.0.0"; o.AdminTokenFile = tokenFile; o.WatchModel = false; });
            Assert.NotEqual(HttpStatusCode.Unauthorized, await ReloadAsync(server, Token));

            await File.WriteAllTextAsync(tokenFile, rewritten + "\n");
            File.SetLastWriteTimeUtc(tokenFile, written);

            await WaitForAsync(async () => await ReloadAsync(server, rewritten) != HttpStatusCode.Unauthorized, "the rewritten token was never taken");
            Assert.Equal(HttpStatusCode.Unauthorized, await ReloadAsync(server, Token));
            Assert.Single(server.Logs.Lines, line => line.Message.Contains("Admin token re-read", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }

    [Fact]
    public async Task A_token_file_rewritten_with_another_token_is_read_again_and_said_once()
    {
        var folder = Directory.CreateTempSubdirectory("admin-token-").FullName;
        try
        {
            const string rewritten = "r3write-token-012345678"; // as long as Token
            var tokenFile = Path.Combine(folder, "token");
            File.WriteAllText(tokenFile, Token + "\n");
            await using var server = await ServerHarness.StartAsync(Model, o => { o.AdminHost = "0.0.0.0"; o.AdminTokenFile = tokenFile; o.WatchModel = false; });
            Assert.NotEqual(HttpStatusCode.Unauthorized, await ReloadAsync(server, Token));

            // A file that held a token and holds another: the operator is told the rotation was read, as after a file that held none.
            File.WriteAllText(tokenFile, rewritten + "\n");
            File.SetLastWriteTimeUtc(tokenFile, DateTime.UtcNow.AddMinutes(1));
            await WaitForAsync(async () => await ReloadAsync(server, rewritten) != HttpStatusCode.Unauthorized, "the rewritten token was never taken");
            Assert.Equal(HttpStatusCode.Unauthorized, await ReloadAsync(server, Token));
            Assert.Single(server.Logs.Lines, line => line.Level == Microsoft.Extensions.Logging.LogLevel.Information && line.Message == $"Admin token re-read from {tokenFile}: the file changed");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_token_file_gone_missing_is_warned_of_once_however_long_it_stays_gone()
    {
        var folder = Directory.CreateTempSubdirectory("admin-token-").FullName;
        try
        {
            var tokenFile = Path.Combine(folder, "token");
            File.WriteAllText(tokenFile, Token + "\n");
            await using var server = await ServerHarness.StartAsync(Model, o => { o.AdminHost = "0.0.0.0"; o.AdminTokenFile = tokenFile; o.WatchModel = false; });
            Assert.NotEqual(HttpStatusCode.Unauthorized, await ReloadAsync(server, Token));

            // Gone, the file is read again at every recheck, and each read finds the same problem: no news, where a line per
            // read wrote one a second for as long as it stayed gone.
            File.Delete(tokenFile);
            await WaitForAsync(async () => await ReloadAsync(server, Token) == HttpStatusCode.Unauthorized, "a missing token file still let the token through");
            var gone = System.Diagnostics.Stopwatch.StartNew();
            while (gone.Elapsed < 3 * AdminToken.RecheckInterval)
            {
                Assert.Equal(HttpStatusCode.Unauthorized, await ReloadAsync(server, Token));
                await Task.Delay(100);
            }
            Assert.Single(server.Logs.Lines, line => line.Level == Microsoft.Extensions.Logging.LogLevel.Warning && line.Message.Contains(tokenFile, StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_token_file_back_after_it_went_missing_is_said_once_to_be_read_again()
    {
        var folder = Directory.CreateTempSubdirectory("admin-token-").FullName;
        try
        {
            var tokenFile = Path.Combine(folder, "token");
            File.WriteAllText(tokenFile, Token + "\n");
            await using var server = await ServerHarness.StartAsync(Model, o => { o.AdminHost = "0.0.0.0"; o.AdminTokenFile = tokenFile; o.WatchModel = false; });
            File.Delete(tokenFile);
            await WaitForAsync(async () => await ReloadAsync(server, Token) == HttpStatusCode.Unauthorized, "a missing token file still let the token through");

            // Put back with the token it held: the warning said reloads are refused until then, and the end of that is news too.
            File.WriteAllText(tokenFile, Token + "\n");
            await WaitForAsync(async () => await ReloadAsync(server, Token) != HttpStatusCode.Unauthorized, "the token put back was never taken");

            Assert.Single(server.Logs.Lines, line => line.Level == Microsoft.Extensions.Logging.LogLevel.Information && line.Message == $"Admin token re-read from {tokenFile}: the file changed");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string WriteVersion(string folder, string version, string token)
    {
        var path = Path.Combine(Directory.CreateDirectory(Path.Combine(folder, version)).FullName, "token");
        File.WriteAllText(path, token + "\n");
        return path;
    }

    /// <summary>A reload asked with <paramref name="bearer"/>: 401 when the token is refused (200, 422 or 429 when it is taken).</summary>
    private static async Task<HttpStatusCode> ReloadAsync(ServerHarness server, string bearer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/reload");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return (await server.Http.SendAsync(request)).StatusCode;
    }

    /// <summary>Polls <paramref name="condition"/> past the token's recheck interval; a bound on a hang, no measure of speed.</summary>
    private static async Task WaitForAsync(Func<Task<bool>> condition, string failure)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), failure);
            await Task.Delay(100);
        }
    }

    [Theory]
    [InlineData("named-pipe")]      // opened, it would wait for a writer for ever
    [InlineData("link-to-device")]  // /dev/zero: read, it never ends; the link's own length is its target's name's
    public async Task A_token_file_that_is_no_regular_file_is_refused_without_reading_it(string kind)
    {
        var folder = Directory.CreateTempSubdirectory("admin-token-").FullName;
        try
        {
            var path = Path.Combine(folder, "token");
            if (kind == "named-pipe") NamedPipe.Create(path);
            else File.CreateSymbolicLink(path, "/dev/zero");

            // On a thread of its own with a limit: opening the pipe would block the test for ever, not fail it.
            var (_, problem) = await Task.Run(() => AdminAuthenticationHandler.ReadToken(path)).WaitAsync(TimeSpan.FromSeconds(60));

            Assert.Equal($"--admin-token-file {path}: is empty, or not a regular file (a named pipe or a device); expected a file holding the token", problem);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("s3cret-token\n0123456789\n", "a line break at character 13")]
    [InlineData("s3cret token 0123456789", "a space at character 7")]
    [InlineData("s3cret-token-\u00070123456789", "the control character U+0007 at character 14")]
    [InlineData("s3cret-token-\u00e90123456789", "the non-ASCII character U+00E9 at character 14")]
    public void A_token_no_header_could_carry_is_refused_naming_the_file_and_the_character(string content, string said)
    {
        // Accepted, it was a token that no request could send: every reload refused with 401.
        var (token, problem, tokenFile) = ReadTokenWritten(content);

        Assert.Null(token);
        Assert.Equal($"--admin-token-file {tokenFile}: the token holds {said}; expected one line of visible ASCII characters (a bearer token)", problem);
    }

    [Fact]
    public void A_token_file_over_the_cap_is_refused_by_its_length()
    {
        // A 50 MB token was read whole and accepted, though Kestrel takes 32 KB of headers in all.
        var (token, problem, tokenFile) = ReadTokenWritten(new string('t', 4113));

        Assert.Null(token);
        Assert.Equal($"--admin-token-file {tokenFile} is 4,113 bytes; a token file holds at most 4,112 (a token of at most 4,096 characters, sent in a request header)", problem);
    }

    [Fact]
    public void The_longest_token_is_taken_with_its_line_ending_and_one_longer_is_refused()
    {
        // `echo` writes the token's line ending: a 4,096-character token made a 4,097-byte file, refused by the file's length.
        var longest = new string('t', 4096);
        Assert.Equal(longest, ReadTokenWritten(longest + "\r\n").Token);

        var (token, problem, tokenFile) = ReadTokenWritten(longest + "t\n");
        Assert.Null(token);
        Assert.Equal($"--admin-token-file {tokenFile}: the token is 4,097 characters; at most 4,096 are taken (it is sent in a request header)", problem);
    }

    /// <summary>What <see cref="AdminAuthenticationHandler.ReadToken"/> makes of a token file holding <paramref name="content"/> (deleted again).</summary>
    private static (string? Token, string? Problem, string TokenFile) ReadTokenWritten(string content)
    {
        var tokenFile = Path.GetTempFileName();
        try
        {
            File.WriteAllText(tokenFile, content);
            var (token, problem) = AdminAuthenticationHandler.ReadToken(tokenFile);
            return (token, problem, tokenFile);
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }

    [Fact]
    public async Task A_too_short_token_is_refused_at_start()
    {
        var tokenFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(tokenFile, "short");
        try
        {
            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => ServerHarness.StartAsync(Model, o => o.AdminTokenFile = tokenFile));
            Assert.Contains("at least 16", error.Message);
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }

    [Theory]
    [InlineData("GET", "/admin/reload", "POST")]
    [InlineData("PUT", "/admin/reload", "POST")]
    [InlineData("POST", "/metrics", "GET, HEAD")]
    [InlineData("DELETE", "/metrics", "GET, HEAD")]
    [InlineData("POST", "/healthz", "GET")]
    public async Task An_admin_path_asked_with_another_method_is_405_naming_the_methods_it_takes(string method, string path, string allowed)
    {
        await using var server = await ServerHarness.StartAsync(Model, o => o.WatchModel = false);

        var reply = await server.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, reply.StatusCode);
        Assert.Equal(allowed, string.Join(", ", reply.Content.Headers.Allow));
        Assert.Equal($"refused: {path} takes {allowed.Replace(", ", " or ")}, not {method}\n", await reply.Content.ReadAsStringAsync());
        Assert.Equal(0, PrometheusText.Value(await server.MetricsAsync(), "ranking_model_reloads_total"));
    }

    [Theory]
    [InlineData("POST", "/admin/reload")]
    [InlineData("GET", "/metrics")]
    [InlineData("GET", "/healthz")]
    public async Task Requests_from_a_web_page_are_forbidden(string method, string path)
    {
        await using var server = await ServerHarness.StartAsync(Model, o => o.WatchModel = false);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add("Origin", "https://evil.example");

        var reply = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, reply.StatusCode);
        Assert.Equal(0, PrometheusText.Value(await server.MetricsAsync(), "ranking_model_reloads_total"));
    }

    [Theory]
    [InlineData(null, "https://evil.example")] // challenged: a web page's
    [InlineData("wrong-token-0123456789", null)] // forbidden: no reload without the token
    public async Task A_refused_admin_request_writes_no_log_line(string? bearer, string? origin)
    {
        // Each refusal logged "AuthenticationScheme: Admin was forbidden" (or challenged) at Information: anyone who could reach
        // the port could fill the log, no token needed.
        var tokenFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(tokenFile, Token);
        try
        {
            await using var server = await ServerHarness.StartAsync(Model, o => { o.AdminHost = "0.0.0.0"; o.AdminTokenFile = tokenFile; o.WatchModel = false; });
            var before = server.Logs.Lines.Count;
            using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/reload");
            if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            if (origin is not null) request.Headers.Add("Origin", origin);

            var reply = await server.Http.SendAsync(request);

            Assert.False(reply.IsSuccessStatusCode);
            Assert.Empty(server.Logs.Lines.Skip(before));
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }

    [Fact]
    public async Task The_reload_counter_is_scraped_at_zero_before_the_first_reload()
    {
        // It appeared only with the first reload: a rate or an alert over it read "no data" until then.
        await using var server = await ServerHarness.StartAsync(Model, o => o.WatchModel = false);

        var scrape = await server.MetricsAsync();

        Assert.Equal(0, PrometheusText.Find(scrape, "ranking_model_reloads_total{result=\"ok\"}"));
        Assert.Equal(0, PrometheusText.Find(scrape, "ranking_model_reloads_total{result=\"failed\"}"));
    }

    [Fact]
    public async Task Reloads_closer_than_the_interval_are_refused_with_429_and_retry_after()
    {
        await using var server = await ServerHarness.StartAsync(Model, o => { o.WatchModel = false; o.ReloadMinInterval = TimeSpan.FromSeconds(30); });

        var first = await server.Http.PostAsync("/admin/reload", null);
        var second = await server.Http.PostAsync("/admin/reload", null);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal((HttpStatusCode)429, second.StatusCode);
        Assert.InRange(second.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 30);
        Assert.Equal(1, PrometheusText.Value(await server.MetricsAsync(), "ranking_model_reloads_total{result=\"ok\"}"));
    }
}
