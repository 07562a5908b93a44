using System.Diagnostics;
using System.Runtime.InteropServices;
using Grpc.Core;
using InverseLearning.Serving.Devices;
using InverseLearning.V1;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using static InverseLearning.Serving.Tests.ServeExecutables;

namespace InverseLearning.Serving.Tests;

/// <summary>The serving host's settings: configuration keys, environment variables and flags, checked on start.</summary>
public sealed class ServingHostTests
{
    private static readonly GmfModelFixture Model = GmfModelFixture.Random(users: 6, items: 30, dim: 4, seed: 5, version: "h1");

    [Fact]
    public async Task A_configuration_key_sets_the_option_it_names()
    {
        var folder = Directory.CreateTempSubdirectory("serving-tests-").FullName;
        try
        {
            var path = Model.WriteModel(folder);
            await using var server = await RankingServer.StartAsync(["--model", path, "--port", "0", "--metrics-port", "-1", "--no-watch"], builder =>
            {
                builder.Logging.ClearProviders();
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Ranking:MaxTopK"] = "5" });
            });
            using var channel = Grpc.Net.Client.GrpcChannel.ForAddress($"http://127.0.0.1:{server.Port}");

            var error = await Assert.ThrowsAsync<RpcException>(async () =>
                await new Ranker.RankerClient(channel).RecommendAsync(new RecommendRequest { UserId = Model.UserIds[0], TopK = 6 }));

            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
            Assert.Contains("more than the limit of 5 per Recommend call", error.Status.Detail);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("2000000000", new string[0], "error: Ranking:MaxTopK (environment variable Ranking__MaxTopK) must be from 1 to 100,000 (got 2,000,000,000)")]
    [InlineData("lots", new string[0], "error: Ranking:MaxTopK (environment variable Ranking__MaxTopK) takes a whole number, got 'lots'")]
    // The binder would read hexadecimal, which the flag refuses, and word an empty value its own way.
    [InlineData("0x10", new string[0], "error: Ranking:MaxTopK (environment variable Ranking__MaxTopK) takes a whole number, got '0x10'")]
    [InlineData("", new string[0], "error: Ranking:MaxTopK (environment variable Ranking__MaxTopK) takes a whole number, got ''")]
    // The flag wins over the environment: its value, not the environment's, is the one refused.
    [InlineData("5", new[] { "--max-top-k", "0" }, "error: --max-top-k (Ranking:MaxTopK) must be from 1 to 100,000 (got 0)")]
    // A value not a number names its key as a value out of range does (it named the flag alone).
    [InlineData("5", new[] { "--max-top-k", "1e9" }, "error: --max-top-k (Ranking:MaxTopK) takes a whole number, got '1e9'")]
    [InlineData("5", new[] { "--port=abc" }, "error: --port (Ranking:Port) takes a whole number, got 'abc'")]
    [InlineData("5", new[] { "--reload-interval-ms", "soon" }, "error: --reload-interval-ms (Ranking:ReloadMinInterval) takes a whole number, got 'soon'")]
    [InlineData("5", new[] { "--max-topk", "3" }, "error: unknown argument '--max-topk'; did you mean --max-top-k? (--help lists the flags)")]
    [InlineData("5", new[] { "--zebra", "3" }, "error: unknown argument '--zebra' (--help lists the flags)")]
    // The trainer's serve words these alike (its RefusalTests), where it said "serve has no flag -port" and System.CommandLine's "Unrecognized command or argument".
    [InlineData("5", new[] { "extra" }, "error: unknown argument 'extra' (--help lists the flags)")]
    [InlineData("5", new[] { "-port", "1" }, "error: unknown argument '-port'; did you mean --port? (--help lists the flags)")]
    [InlineData("5", new[] { "--", "--port", "1" }, "error: --port after `--` is taken as an argument, not a flag; remove the `--` (--help lists the flags)")]
    [InlineData("5", new[] { "--model", "--no-watch" }, "error: --model needs a value, and took the flag --no-watch as it")]
    [InlineData("5", new[] { "--device", "gpu" }, "error: --device (Ranking:Device) must be cpu or cuda (got 'gpu'); did you mean cuda?")]
    [InlineData("5", new[] { "--port", "50081", "--metrics-port", "50081" },
        "error: --port (Ranking:Port) and --metrics-port (Ranking:MetricsPort) are both 50081: the admin port needs a port of its own")]
    [InlineData("5", new[] { "--traces-otlp-endpoint", "http://127.0.0.1:4318/otlp#part" },
        "error: --traces-otlp-endpoint (Ranking:TracesOtlpEndpoint) 'http://127.0.0.1:4318/otlp#part' is not a URL an exporter can post to: no spaces around it, and no #fragment")]
    [InlineData("5", new[] { "--traces-otlp-endpoint", " http://127.0.0.1:4318/ " },
        "error: --traces-otlp-endpoint (Ranking:TracesOtlpEndpoint) ' http://127.0.0.1:4318/ ' is not a URL an exporter can post to: no spaces around it, and no #fragment")]
    // Credentials in the URL were dropped unsaid by the exporter; the refusal does not repeat them.
    [InlineData("5", new[] { "--traces-otlp-endpoint", "https://otel:s3cret@collector.example:4318/v1/traces" },
        "error: --traces-otlp-endpoint (Ranking:TracesOtlpEndpoint) 'https://…@collector.example:4318/v1/traces' holds a user name or password, which the OTLP exporter " +
        "never sends: give the URL without them, and the credentials as a header in OTEL_EXPORTER_OTLP_HEADERS (Authorization=Basic …)")]
    // Uri refuses the port alone, which was told as no http:// URL at all.
    [InlineData("5", new[] { "--traces-otlp-endpoint", "http://localhost:99999" },
        "error: --traces-otlp-endpoint (Ranking:TracesOtlpEndpoint) 'http://localhost:99999' has port 99999, past the largest, 65,535")]
    [InlineData("5", new[] { "--traces-otlp-endpoint", "https://user@[::1]:4317000/v1" },
        "error: --traces-otlp-endpoint (Ranking:TracesOtlpEndpoint) 'https://user@[::1]:4317000/v1' has port 4317000, past the largest, 65,535")]
    [InlineData("5", new[] { "--reload-interval-ms", "-5" }, "error: --reload-interval-ms (Ranking:ReloadMinInterval) must be from 0 to 86,400,000 ms (got -5 ms)")]
    // A whole number past int's range is refused with the setting's own range, as one inside it is.
    [InlineData("5", new[] { "--port", "99999999999" }, "error: --port (Ranking:Port) must be from 0 to 65,535 (got 99,999,999,999)")]
    [InlineData("5", new[] { "--metrics-port", "-99999999999" }, "error: --metrics-port (Ranking:MetricsPort) must be from -1 to 65,535 (got -99,999,999,999)")]
    [InlineData("5", new[] { "--keep-versions", "99999999999" }, "error: --keep-versions (Ranking:KeepVersions) must be from 0 to 2,147,483,647 (got 99,999,999,999)")]
    [InlineData("99999999999", new string[0], "error: Ranking:MaxTopK (environment variable Ranking__MaxTopK) must be from 1 to 100,000 (got 99,999,999,999)")]
    // --flag=value, as the trainer's verbs take it.
    [InlineData("5", new[] { "--max-top-k=0" }, "error: --max-top-k (Ranking:MaxTopK) must be from 1 to 100,000 (got 0)")]
    [InlineData("5", new[] { "--port=" }, "error: --port needs a value")]
    // An empty value given apart was the setting's default: no token at all, said nowhere.
    [InlineData("5", new[] { "--admin-token-file", "" }, "error: --admin-token-file needs a value")]
    [InlineData("5", new[] { "--admin-token-file=" }, "error: --admin-token-file needs a value")]
    [InlineData("5", new[] { "--no-watch=maybe" }, "error: --no-watch takes true or false, or no value, got 'maybe'")]
    [InlineData("5", new[] { "--reload-interval-ms", "99999999999" }, "error: --reload-interval-ms (Ranking:ReloadMinInterval) must be from 0 to 86,400,000 ms (got 99,999,999,999 ms)")]
    public void The_executable_refuses_a_bad_setting_from_the_environment_or_a_flag_in_one_line(string environmentValue, string[] flags, string expected)
    {
        var folder = Directory.CreateTempSubdirectory("serving-tests-").FullName;
        try
        {
            // Each of these the flags under test do not give: a flag given twice is refused.
            var given = flags.Select(flag => flag.Split('=', 2)[0]).ToHashSet();
            string[] others = [.. new[] { ("--model", Model.WriteModel(folder)), ("--port", "0"), ("--metrics-port", "-1") }
                .Where(flag => !given.Contains(flag.Item1)).SelectMany(flag => new[] { flag.Item1, flag.Item2 })];
            var (code, error) = RunServe(new Dictionary<string, string> { ["Ranking__MaxTopK"] = environmentValue }, [.. others, .. flags]);

            Assert.Equal(1, code);
            Assert.Equal(expected, error.Trim());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("Ranking__Threads", "4",
        "error: Ranking:Threads is not a setting of the server; --threads sets Ranking:IntraOpThreads (inverselearning-serve --help lists each flag with its key)")]
    [InlineData("Ranking__MaxTopKay", "4", "error: Ranking:MaxTopKay is not a setting of the server; did you mean Ranking:MaxTopK? (inverselearning-serve --help lists each flag with its key)")]
    [InlineData("Ranking__maxtopkk", "4", "error: Ranking:maxtopkk is not a setting of the server; did you mean Ranking:MaxTopK? (inverselearning-serve --help lists each flag with its key)")]
    [InlineData("Ranking__Colour", "blue", "error: Ranking:Colour is not a setting of the server (inverselearning-serve --help lists each flag with its key)")]
    [InlineData("Ranking__MaxTopK__0", "4", "error: Ranking:MaxTopK holds a section, expected one value")]
    [InlineData("Ranking", "hello", "error: Ranking is 'hello', expected a section of settings such as Ranking:MaxTopK")]
    [InlineData("Logging__LogLevel__Default", "Loud", "error: Logging:LogLevel:Default is 'Loud', expected one of Trace, Debug, Information, Warning, Error, Critical, None")]
    [InlineData("Logging__LogLevel__Default", "7", "error: Logging:LogLevel:Default is '7', expected one of Trace, Debug, Information, Warning, Error, Critical, None")] // a number past None logged nothing
    [InlineData("Logging__LogLevel__Default", "-1", "error: Logging:LogLevel:Default is '-1', expected one of Trace, Debug, Information, Warning, Error, Critical, None")]
    [InlineData("Logging__LogLevel__Default", "Information,Warning",   // read as the two ORed together: Warning, which it does not say
        "error: Logging:LogLevel:Default is 'Information,Warning', expected one of Trace, Debug, Information, Warning, Error, Critical, None")]
    [InlineData("Logging__loglevel__Default", "Loud", "error: Logging:loglevel:Default is 'Loud', expected one of Trace, Debug, Information, Warning, Error, Critical, None")]
    [InlineData("Logging__LogLevel__Some__Category", "Loud", "error: Logging:LogLevel:Some:Category is 'Loud', expected one of Trace, Debug, Information, Warning, Error, Critical, None")]
    [InlineData("Logging__Console__LogLevel__Default", "Loud",
        "error: Logging:Console:LogLevel:Default is 'Loud', expected one of Trace, Debug, Information, Warning, Error, Critical, None")]
    [InlineData("Kestrel__Endpoints__extra__Url", "http://0.0.0.0:47123",
        "error: Kestrel:Endpoints:extra is an endpoint the server would not own; its listeners are --host/--port (Ranking:Host, Ranking:Port) and --admin-host/--metrics-port")]
    [InlineData("ASPNETCORE_HTTP_PORTS", "47124", "error: HTTP_PORTS (ASPNETCORE_HTTP_PORTS) is '47124': hosting URLs are listeners the server would not own; " +
        "its listeners are --host/--port (Ranking:Host, Ranking:Port) and --admin-host/--metrics-port")]
    public void A_setting_the_binder_would_skip_or_misread_is_refused_naming_its_key(string variable, string value, string expected)
    {
        var folder = Directory.CreateTempSubdirectory("serving-tests-").FullName;
        try
        {
            var path = Model.WriteModel(folder);
            var (code, error) = RunServe(new Dictionary<string, string> { [variable] = value }, ["--model", path, "--port", "0", "--metrics-port", "-1"]);

            Assert.Equal(1, code);
            Assert.Equal(expected, error.Trim());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Hosting_urls_that_would_replace_the_servers_listeners_are_refused_naming_the_variable()
    {
        // Kestrel opened 0.0.0.0:47126 alone: no gRPC port of the server's, no admin port, and a start line naming both.
        var (code, error) = RunServeOnModel(new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = "http://0.0.0.0:47126", ["ASPNETCORE_PREFERHOSTINGURLS"] = "true", ["Kestrel__EndpointDefaults__Protocols"] = "Http2",
        });

        Assert.Equal(1, code);
        Assert.Equal("error: Urls (ASPNETCORE_URLS) is 'http://0.0.0.0:47126': hosting URLs are listeners the server would not own; " +
                     "its listeners are --host/--port (Ranking:Host, Ranking:Port) and --admin-host/--metrics-port", error.Trim());
    }

    [Fact]
    public void Hosting_urls_from_a_settings_file_are_refused_too()
    {
        var (code, error) = RunServeWithSettingsFile("""{ "Urls": "http://0.0.0.0:47127", "PreferHostingUrls": true }""");

        Assert.Equal(1, code);
        Assert.Matches(@"^error: Urls \(in appsettings\.Settings[0-9a-f]{32}\.json\) is 'http://0\.0\.0\.0:47127': hosting URLs are listeners the server would not own", error.Trim());
    }

    [Theory]
    [InlineData("DOTNET_URLS", "Urls")]
    [InlineData("urls", "Urls")]
    [InlineData("DOTNET_HTTP_PORTS", "HTTP_PORTS")]
    [InlineData("ASPNETCORE_https_ports", "HTTPS_PORTS")]
    public void A_hosting_url_is_refused_naming_the_variable_it_came_from(string variable, string key)
    {
        // Each was named ASPNETCORE_URLS (ASPNETCORE_HTTP_PORTS ...), which the environment did not have.
        var (code, error) = RunServeOnModel(new Dictionary<string, string> { [variable] = "47128" });

        Assert.Equal(1, code);
        Assert.StartsWith($"error: {key} ({variable}) is '47128': hosting URLs are listeners the server would not own", error.Trim());
    }

    [Fact]
    public async Task Endpoint_defaults_cannot_take_http2_from_the_grpc_port()
    {
        await using var server = await ServerHarness.StartWithSettingsAsync(Model, new Dictionary<string, string?> { ["Kestrel:EndpointDefaults:Protocols"] = "Http1" });

        var info = await server.Client.GetModelInfoAsync(new GetModelInfoRequest());

        Assert.Equal("h1", info.Version);
    }

    [Fact]
    public async Task A_settings_file_without_a_logging_section_keeps_the_quiet_log()
    {
        // README's example as the whole appsettings.json: the shipped file's log levels went with it, and every call logged four
        // lines, a refused one its stack trace too, and each start warned "No XML encryptor configured".
        var folder = Directory.CreateTempSubdirectory("serving-tests-").FullName;
        try
        {
            var path = Model.WriteModel(folder);
            var settings = Path.Combine(folder, "appsettings.json");
            File.WriteAllText(settings, """{ "Ranking": { "MaxTopK": 500 } }""");
            var logs = new CapturedLogs();
            await using var server = await RankingServer.StartAsync(["--model", path, "--port", "0", "--metrics-port", "0", "--no-watch"], builder =>
            {
                builder.Logging.ClearProviders();
                builder.Logging.AddProvider(logs);
                foreach (var file in builder.Configuration.Sources.OfType<Microsoft.Extensions.Configuration.Json.JsonConfigurationSource>().ToList())
                    builder.Configuration.Sources.Remove(file);
                builder.Configuration.AddJsonFile(settings);
            });
            using var channel = Grpc.Net.Client.GrpcChannel.ForAddress($"http://127.0.0.1:{server.Port}");
            var client = new Ranker.RankerClient(channel);

            await client.GetModelInfoAsync(new GetModelInfoRequest());
            await Assert.ThrowsAsync<RpcException>(async () => await client.RecommendAsync(new RecommendRequest { UserId = Model.UserIds[0], TopK = 501 }));

            Assert.DoesNotContain(logs.Lines, line => line.Level >= LogLevel.Warning);
            Assert.DoesNotContain(logs.Lines, line => line.Message.StartsWith("Request starting", StringComparison.Ordinal) || line.Message.StartsWith("Executing endpoint", StringComparison.Ordinal));
            Assert.Contains(logs.Lines, line => line.Message.StartsWith("Ranker listening", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_taken_port_is_one_error_line_without_the_hosts_own_stack_trace()
    {
        // The host logs its failed start itself, at error level and with the exception's stack trace ("fail:
        // Microsoft.Extensions.Hosting.Internal.Host[11]"), before the server's one line: silenced in code, whatever the levels.
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var folder = Directory.CreateTempSubdirectory("serving-tests-").FullName;
        try
        {
            var (code, error) = Run("inverselearning-serve", [], ["--model", Model.WriteModel(folder), "--port", $"{port}", "--metrics-port", "-1"], out var output);

            Assert.True(code == 1, $"exit code {code}, stderr:\n{error}");
            Assert.Contains($"{port}", error);
            Assert.DoesNotContain("Microsoft.Extensions.Hosting", output + error);
            Assert.DoesNotContain("   at ", output + error);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("192.0.2.1")]           // TEST-NET-1: no machine's own address
    [InlineData("::ffff:127.0.0.1")]    // IPv4-mapped: refused by the IPv6 socket it makes
    public void An_admin_address_that_cannot_be_bound_with_a_chosen_port_is_one_error_line(string adminHost)
    {
        // With --metrics-port 0 (a port the system chooses), an admin address that cannot be bound was an unhandled
        // SocketException's stack trace and exit 134, where a fixed port gave the one line.
        var folder = Directory.CreateTempSubdirectory("serving-tests-").FullName;
        try
        {
            var tokenFile = Path.Combine(folder, "token");
            File.WriteAllText(tokenFile, "s3cret-token-0123456789");
            var (code, error) = RunServe([], ["--model", Model.WriteModel(folder), "--port", "0", "--metrics-port", "0", "--admin-host", adminHost, "--admin-token-file", tokenFile]);

            Assert.True(code == 1, $"exit code {code}, stderr:\n{error}");
            // An IPv6 address is written in brackets, as in a URL.
            var admin = adminHost.Contains(':', StringComparison.Ordinal) ? $"[{adminHost}]" : adminHost;
            // The one that failed alone: the --host beside it was named too, as if it could have.
            Assert.StartsWith($"error: cannot bind admin {admin}:0: ", error);
            Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void An_otlp_endpoint_with_a_user_name_and_no_password_is_refused_as_one_with_both()
    {
        // The exporter drops a user name alone as it drops both: a token given as the user name (`https://TOKEN@host`) never reached the collector.
        var (code, error) = RunServeOnModel([], "--traces-otlp-endpoint", "https://otel-token@collector.example:4318/v1/traces");

        Assert.Equal(1, code);
        Assert.StartsWith("error: --traces-otlp-endpoint (Ranking:TracesOtlpEndpoint) 'https://…@collector.example:4318/v1/traces' holds a user name or password", error.Trim());
        Assert.DoesNotContain("otel-token", error);
    }

    [Fact]
    public void Trace_headers_the_exporter_cannot_read_are_one_line_naming_the_variable_and_the_form()
    {
        // It was the exporter's own "error: Headers provided in an invalid format.", naming neither.
        var (code, error) = RunServeOnModel(new Dictionary<string, string> { ["OTEL_EXPORTER_OTLP_HEADERS"] = "a" }, "--traces-otlp-endpoint", "http://127.0.0.1:47128");

        Assert.Equal(1, code);
        Assert.Equal("error: OTEL_EXPORTER_OTLP_HEADERS: it has no '=', expected key=value,key2=value2 for the traces --traces-otlp-endpoint sends", error.Trim());
    }

    [Fact]
    public void Two_environment_variables_naming_one_setting_in_different_cases_are_refused_naming_both()
    {
        // Which one won was the order the process listed its environment in. Variables of nothing the server reads are not judged.
        var (code, error) = RunServeOnModel(new Dictionary<string, string>
        {
            ["Ranking__MaxTopK"] = "0", ["RANKING__MAXTOPK"] = "5", ["Inverse_Learning_Probe"] = "1", ["INVERSE_LEARNING_PROBE"] = "2",
        });

        Assert.Equal(1, code);
        Assert.Equal("error: the environment variables RANKING__MAXTOPK and Ranking__MaxTopK name one setting, differing only in case: " +
                     "configuration keys ignore case, so which one wins is left to chance; keep one", error.Trim());
    }

    [Fact]
    public void A_flag_joined_to_its_value_by_an_equals_sign_sets_what_it_sets_apart()
    {
        // Split at the first '=': a value may hold more.
        Assert.Equal(ServeFlags.ToSettings(["--port", "5001", "--model", "a=b.onnx"]), ServeFlags.ToSettings(["--port=5001", "--model=a=b.onnx"]));
    }

    [Fact]
    public void No_watch_takes_true_or_false_joined_to_it_as_the_trainers_serve_does()
    {
        Assert.Equal(ServeFlags.ToSettings(["--no-watch"]), ServeFlags.ToSettings(["--no-watch=true"]));
        // False is the switch not thrown (the trainer's serve passes nothing on for it): the configuration's own setting stands.
        Assert.Empty(ServeFlags.ToSettings(["--no-watch=false"]));
    }

    [Fact]
    public void A_flag_given_twice_is_refused_as_the_trainers_serve_refuses_it()
    {
        // The last one was taken, silently.
        Assert.Equal("--port is given twice; give it once", Assert.Throws<ArgumentException>(() => ServeFlags.ToSettings(["--port", "1", "--port", "2"])).Message);
        Assert.Equal("--no-watch is given twice; give it once", Assert.Throws<ArgumentException>(() => ServeFlags.ToSettings(["--no-watch", "--no-watch=False"])).Message);
    }

    [Theory]
    [InlineData("inverselearning-serve", new string[0])]
    [InlineData("inverselearning", new[] { "serve" })]
    public void Both_executables_read_the_flags_alike(string executable, string[] verb)
    {
        // The trainer's serve parsed them its own way: `--no-watch=yes` was "Unrecognized command or argument 'yes'".
        string[][] given = [["--no-watch=yes"], ["--no-watch", "yes"], ["--metrics-port", "-1", "--metrics-port", "-1"], ["--model"]];
        string[] said = ["--no-watch takes true or false, or no value, got 'yes'", "--no-watch takes true or false, or no value, got 'yes'",
            "--metrics-port is given twice; give it once", "--model is given twice; give it once"];
        var folder = Directory.CreateTempSubdirectory("serving-tests-").FullName;
        try
        {
            var path = Model.WriteModel(folder);
            for (var i = 0; i < given.Length; i++)
            {
                var (code, error) = Run(executable, [], [.. verb, "--model", path, "--port", "0", .. given[i]], out _);

                Assert.Equal(1, code);
                Assert.Equal($"error: {said[i]}", error.Trim());
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void No_watch_takes_true_or_false_as_the_next_argument_as_the_trainers_serve_does()
    {
        Assert.Equal(ServeFlags.ToSettings(["--no-watch=true", "--port", "5001"]), ServeFlags.ToSettings(["--no-watch", "TRUE", "--port", "5001"]));
        Assert.Equal(ServeFlags.ToSettings(["--port", "5001"]), ServeFlags.ToSettings(["--no-watch", "false", "--port", "5001"]));
        // Another word after it is a value the switch does not take; a flag after it is a flag.
        Assert.Equal("--no-watch takes true or false, or no value, got 'yes'", Assert.Throws<ArgumentException>(() => ServeFlags.ToSettings(["--no-watch", "yes"])).Message);
        Assert.StartsWith("unknown argument '--prot'", Assert.Throws<ArgumentException>(() => ServeFlags.ToSettings(["--no-watch", "--prot", "5"])).Message, StringComparison.Ordinal);
    }

    /// <summary>A folder name holding an escape sequence (this one turns a terminal's text red), a line break and a bidirectional override.</summary>
    private const string HostileName = "m\u001b[31m\n\u202Eodel";

    [Theory]
    [InlineData("inverselearning-serve", new string[0])]
    [InlineData("inverselearning", new[] { "serve" })]
    public void The_log_escapes_control_characters_of_the_model_path_it_names(string executable, string[] verb)
    {
        var root = Directory.CreateTempSubdirectory("serving-tests-").FullName;
        try
        {
            var path = Model.WriteModel(Directory.CreateDirectory(Path.Combine(root, HostileName)).FullName);

            var (output, _) = RunUntilListening(executable, [.. verb, "--model", path, "--port", "0", "--metrics-port", "-1", "--no-watch"]);

            Assert.Contains(output, line => line.Contains("Serving model") && line.Contains(@"m\u001B[31m\u000A\u202Eodel"));
            Assert.DoesNotContain(output, line => line.Any(c => char.IsControl(c) || c == '\u202E'));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData("inverselearning-serve", new string[0], null)]
    [InlineData("inverselearning", new[] { "serve" }, null)]
    // Empty is not set, as for every setting: it was left as it was, and ONNX Runtime read it as telemetry on.
    [InlineData("inverselearning-serve", new string[0], "")]
    [InlineData("inverselearning", new[] { "serve" }, "")]
    public void ONNX_Runtimes_telemetry_says_nothing_where_home_cannot_be_written(string executable, string[] verb, string? disableTelemetry)
    {
        // A read-only root (the Kubernetes deployment's) made ONNX Runtime print, at every start and in colour, that it could not
        // keep its telemetry's device id under HOME. No one can create a folder under /proc: HOME cannot be written, even by root.
        var folder = Directory.CreateTempSubdirectory("serving-tests-").FullName;
        try
        {
            var path = Model.WriteModel(folder);

            var (output, _) = RunUntilListening(executable, [.. verb, "--model", path, "--port", "0", "--metrics-port", "-1", "--no-watch"],
                disableTelemetry is null ? new() { ["HOME"] = "/proc/unwritable-home" } : new() { ["HOME"] = "/proc/unwritable-home", ["ORT_DISABLE_TELEMETRY"] = disableTelemetry },
                out var error);

            Assert.DoesNotContain(output, line => line.Contains("telemetry", StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain("telemetry", error, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_hang_up_stops_the_server_drained_and_logged_as_SIGTERM_does()
    {
        // A closed SSH session sends SIGHUP, whose default ended the process at once: no drain, no word, killed by the signal.
        var folder = Directory.CreateTempSubdirectory("serving-tests-").FullName;
        try
        {
            var path = Model.WriteModel(folder);

            var (output, code) = RunUntilListening("inverselearning-serve", ["--model", path, "--port", "0", "--metrics-port", "-1", "--no-watch"],
                Sending("HUP"));

            Assert.Equal(0, code);
            Assert.Contains(output, line => line.Contains("SIGHUP"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("inverselearning-serve", new string[0])]
    [InlineData("inverselearning", new[] { "serve" })]
    public void A_stop_signal_is_logged_with_what_the_drain_waits_for(string executable, string[] verb)
    {
        // SIGTERM and SIGINT stopped the server without a word: only SIGHUP was logged.
        var folder = Directory.CreateTempSubdirectory("serving-tests-").FullName;
        try
        {
            var path = Model.WriteModel(folder);

            var (output, code) = RunUntilListening(executable, [.. verb, "--model", path, "--port", "0", "--metrics-port", "-1", "--no-watch"],
                Sending("TERM"));

            Assert.Equal(0, code);
            Assert.Contains(output, line => line.Contains("SIGTERM: stopping") && line.Contains("waiting for 0 open RankStreams") && line.Contains("drain timeout of 10 s"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("inverselearning-serve", new string[0])]
    [InlineData("inverselearning", new[] { "serve" })]
    public void The_error_line_escapes_control_characters_of_the_path_it_names(string executable, string[] verb)
    {
        var root = Directory.CreateTempSubdirectory("serving-tests-").FullName;
        try
        {
            var repository = Directory.CreateDirectory(Path.Combine(root, HostileName)).FullName;

            var (code, error) = Run(executable, [], [.. verb, "--model-dir", repository, "--port", "0", "--metrics-port", "-1"], out _);

            Assert.Equal(1, code);
            var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("error: ", line);
            Assert.Contains(@"m\u001B[31m\u000A\u202Eodel", line);
            Assert.DoesNotContain(line, c => char.IsControl(c) || c == '\u202E');
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData("inverselearning-serve", new string[0])]
    [InlineData("inverselearning", new[] { "serve" })]
    public void The_error_line_writes_a_tab_of_the_path_it_names_as_backslash_t(string executable, string[] verb)
    {
        var root = Directory.CreateTempSubdirectory("serving-tests-").FullName;
        try
        {
            // A tab read as spaces: the folder named was not the one given.
            var repository = Directory.CreateDirectory(Path.Combine(root, "m\todels")).FullName;

            var (code, error) = Run(executable, [], [.. verb, "--model-dir", repository, "--port", "0", "--metrics-port", "-1"], out _);

            Assert.Equal(1, code);
            var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains(@"m\todels", line);
            Assert.DoesNotContain('\t', line);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task A_settings_file_section_nothing_reads_is_a_warning_naming_what_it_looks_like()
    {
        var folder = Directory.CreateTempSubdirectory("serving-tests-").FullName;
        try
        {
            var path = Model.WriteModel(folder);
            var settings = Path.Combine(folder, "appsettings.json");
            // Beside two sections nothing reads, sections that the server, .NET, OpenTelemetry and editors read.
            File.WriteAllText(settings, """
                { "$schema": "https://json.schemastore.org/appsettings.json", "Rankng": { "MaxTopK": 5 }, "Colours": { "Sky": "blue" },
                  "Ranking": { "MaxTopK": 7 }, "logging": { "LogLevel": { "Default": "Information" } }, "AllowedHosts": "*", "OTEL_SERVICE_NAME": "ranker" }
                """);
            var logs = new CapturedLogs();
            await using var server = await RankingServer.StartAsync(["--model", path, "--port", "0", "--metrics-port", "-1", "--no-watch"], builder =>
            {
                builder.Logging.ClearProviders();
                builder.Logging.AddProvider(logs);
                builder.Configuration.AddJsonFile(settings);
                // Not a file: the environment's keys are every variable of the machine, and are not judged.
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Colours:Sea"] = "green" });
            });

            Assert.Equal(
            [
                "appsettings.json: section 'Colours' is read by nothing here, so its settings are ignored (the server's own go under Ranking)",
                "appsettings.json: section 'Rankng' is read by nothing here, so its settings are ignored; did you mean Ranking?",
            ], logs.Lines.Where(line => line.Level == LogLevel.Warning).Select(line => line.Message).Order());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_settings_file_that_is_not_JSON_is_one_line_naming_it()
    {
        // The environment's own settings file, beside the host's appsettings.json (which other tests read), under a name of its own.
        var environment = $"Broken{Guid.NewGuid():N}";
        var file = Path.Combine(AppContext.BaseDirectory, $"appsettings.{environment}.json");
        File.WriteAllText(file, "{ \"Ranking\": { \"MaxTopK\": 5, ");
        var folder = Directory.CreateTempSubdirectory("serving-tests-").FullName;
        try
        {
            var path = Model.WriteModel(folder);
            // Both names: the host reads ASPNETCORE_ENVIRONMENT first, which the machine running the tests may set.
            var (code, error) = RunServe(new Dictionary<string, string> { ["DOTNET_ENVIRONMENT"] = environment, ["ASPNETCORE_ENVIRONMENT"] = environment },
                ["--model", path, "--port", "0", "--metrics-port", "-1"]);

            Assert.Equal(1, code);
            var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            // Where the parser stopped, from 1 as an editor counts (the parser's own numbers start at 0, and are not shown).
            Assert.StartsWith($"error: Failed to load configuration from file '{file}': not JSON at line 1, byte ", line);
            Assert.DoesNotContain("LineNumber", line);
        }
        finally
        {
            File.Delete(file);
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("\n\n")]
    [InlineData("\uFEFF \r\n")] // a byte-order mark is no JSON either
    public void An_appsettings_json_of_blank_lines_is_named_with_what_it_should_hold(string text)
    {
        var folder = Directory.CreateTempSubdirectory("serving-tests-").FullName;
        try
        {
            var file = Path.Combine(folder, "appsettings.json");
            File.WriteAllText(file, text);
            Assert.Equal($"{file}: the settings file holds only blank lines; expected a JSON object, {{}} for no settings", SettingsFiles.Problem(folder));
            File.WriteAllText(file, "{}\n");
            Assert.Null(SettingsFiles.Problem(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("directory", "is a folder, expected a settings file holding a JSON object, {} for no settings")]                     // passed over without a word
    [InlineData("named-pipe", "is empty, or not a regular file (a named pipe or a device); expected a settings file holding a JSON object, {} for no settings")]  // the start waited for ever
    [InlineData("link-to-device", "is empty, or not a regular file (a named pipe or a device); expected a settings file holding a JSON object, {} for no settings")] // /dev/zero: read until memory ran out
    [InlineData("empty", "is empty, or not a regular file (a named pipe or a device); expected a settings file holding a JSON object, {} for no settings")]
    [InlineData("blank-lines", "the settings file holds only blank lines; expected a JSON object, {} for no settings")] // the JSON parser's "does not contain any JSON tokens"
    [InlineData("over-the-cap", "the settings file is 1,048,577 bytes, over the 1,048,576-byte cap; not read")]
    public void A_settings_file_that_cannot_be_one_is_refused_before_it_is_read_in_one_line_naming_it(string kind, string said)
    {
        // The environment's own settings file, beside the host's appsettings.json (which other tests read), under a name of its own.
        var environment = $"Unreadable{Guid.NewGuid():N}";
        var file = Path.Combine(AppContext.BaseDirectory, $"appsettings.{environment}.json");
        switch (kind)
        {
            case "directory": Directory.CreateDirectory(file); break;
            case "named-pipe": NamedPipe.Create(file); break;
            case "link-to-device": File.CreateSymbolicLink(file, "/dev/zero"); break;
            case "empty": File.WriteAllText(file, ""); break;
            case "blank-lines": File.WriteAllText(file, "\n  \r\n\t\n"); break;
            default: File.WriteAllText(file, $"{{\"Pad\": \"{new string('a', (1 << 20) - 10)}\"}}"); break;
        }
        var folder = Directory.CreateTempSubdirectory("serving-tests-").FullName;
        try
        {
            var path = Model.WriteModel(folder);
            var (code, error) = RunServe(new Dictionary<string, string> { ["DOTNET_ENVIRONMENT"] = environment, ["ASPNETCORE_ENVIRONMENT"] = environment },
                ["--model", path, "--port", "0", "--metrics-port", "-1"]);

            Assert.Equal(1, code);
            Assert.Equal($"error: {file}: {said}", error.Trim());
        }
        finally
        {
            if (Directory.Exists(file)) Directory.Delete(file);
            else File.Delete(file);
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_bad_value_from_a_settings_file_is_refused_naming_the_file_not_a_flag_never_given()
    {
        // It was "--max-top-k (Ranking:MaxTopK) must be ...": a flag never given, and no word of the file to fix.
        var (code, error) = RunServeWithSettingsFile("""{ "Ranking": { "MaxTopK": 0 } }""");

        Assert.Equal(1, code);
        Assert.Matches(@"^error: Ranking:MaxTopK \(in appsettings\.Settings[0-9a-f]{32}\.json\) must be from 1 to 100,000 \(got 0\)$", error.Trim());
    }

    [Fact]
    public void A_time_setting_written_as_a_bare_number_in_a_settings_file_is_refused_not_read_as_days()
    {
        // A JSON number is a bare number too: `"DrainTimeout": 5` drained for five days.
        var (code, error) = RunServeWithSettingsFile("""{ "Ranking": { "DrainTimeout": 5 } }""");

        Assert.Equal(1, code);
        Assert.Matches(@"^error: Ranking:DrainTimeout \(in appsettings\.Settings[0-9a-f]{32}\.json\) takes a time span written hh:mm:ss such as 00:00:05 " +
            @"\(a bare number is read as days\), got '5'$", error.Trim());
    }

    [Fact]
    public void Two_ports_alike_from_a_file_and_the_environment_are_refused_naming_where_each_came_from()
    {
        var folder = Directory.CreateTempSubdirectory("serving-tests-").FullName;
        try
        {
            var (code, error) = RunServeWithSettingsFile("""{ "Ranking": { "Port": 50194 } }""", new Dictionary<string, string> { ["Ranking__MetricsPort"] = "50194" },
                ["--model", Model.WriteModel(folder)]);

            Assert.Equal(1, code);
            Assert.Matches(@"^error: Ranking:Port \(in appsettings\.Settings[0-9a-f]{32}\.json\) and Ranking:MetricsPort \(environment variable Ranking__MetricsPort\) " +
                "are both 50194: the admin port needs a port of its own$", error.Trim());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_model_repository_from_the_environment_beside_a_model_flag_is_refused_saying_where_the_repository_came_from()
    {
        var (code, error) = RunServeOnModel(new Dictionary<string, string> { ["Ranking__ModelDirectory"] = Path.GetTempPath() });

        Assert.Equal(1, code);
        Assert.Equal("error: give exactly one of --model (Ranking:ModelPath) (an exported model.onnx) and " +
                     "Ranking:ModelDirectory (environment variable Ranking__ModelDirectory) (a model repository)", error.Trim());
    }

    [Theory]
    // A key takes a time span: a bare number is days, refused whatever its size (`1` allowed one reload a day, `5` drained for five
    // days, silently), pointing to the flag that takes milliseconds where there is one.
    [InlineData("ReloadMinInterval", "1", "takes a time span written hh:mm:ss such as 00:00:05 (a bare number is read as days; --reload-interval-ms takes milliseconds), got '1'")]
    [InlineData("ReloadMinInterval", "1000", "takes a time span written hh:mm:ss such as 00:00:05 (a bare number is read as days; --reload-interval-ms takes milliseconds), got '1000'")]
    [InlineData("DrainTimeout", "5", "takes a time span written hh:mm:ss such as 00:00:05 (a bare number is read as days), got '5'")]
    // Keys are read in any case, and the flag found by its key in any case too.
    [InlineData("reloadmininterval", "1", "takes a time span written hh:mm:ss such as 00:00:05 (a bare number is read as days; --reload-interval-ms takes milliseconds), got '1'")]
    // Out of range, a time key is refused in its own unit (it was told in the flag's milliseconds).
    [InlineData("ReloadMinInterval", "1000.00:00:00", "must be from 00:00:00 to 1.00:00:00 (got 1000.00:00:00)")]
    [InlineData("ModelPollInterval", "100.00:00:00", "must be from 00:00:00.0010000 to 01:00:00 (got 100.00:00:00)")]
    [InlineData("DrainTimeout", "02:00:00", "must be from 00:00:00 to 01:00:00 (got 02:00:00)")]
    // Each of these was named by a flag never given, or by its key alone, with no word of the variable to fix.
    [InlineData("DrainTimeout", "soon", "takes a time span such as 00:00:01.5 (hh:mm:ss), got 'soon'")]
    [InlineData("ReloadMinInterval", "soon", "takes a time span such as 00:00:01.5 (hh:mm:ss), got 'soon'")]
    [InlineData("WatchModel", "maybe", "takes true or false, got 'maybe'")]
    [InlineData("WatchModel", " true", "takes true or false, got ' true'")]
    // The setting's default, said nowhere: no token at all, where the flag refuses "".
    [InlineData("AdminTokenFile", "", "takes a non-empty value (leave the key out for its default), got ''")]
    [InlineData("Device", "CUDA", "must be cpu or cuda (got 'CUDA'); did you mean cuda?")]
    public void A_bad_value_from_the_environment_is_refused_naming_its_key_and_the_variable(string key, string value, string said)
    {
        var (code, error) = RunServeOnModel(new Dictionary<string, string> { [$"Ranking__{key}"] = value });

        Assert.Equal(1, code);
        Assert.Equal($"error: Ranking:{key} (environment variable Ranking__{key}) {said}", error.Trim());
    }

    [Fact]
    public void Of_two_variables_that_set_a_key_the_one_whose_value_is_refused_is_named()
    {
        // DOTNET_Ranking__MaxTopK sets the key too, to a value the server takes no notice of: named beside the other, it would send
        // the user to a variable that is fine.
        var (code, error) = RunServeOnModel(new Dictionary<string, string> { ["DOTNET_Ranking__MaxTopK"] = "7", ["Ranking__MaxTopK"] = "lots" });

        Assert.Equal(1, code);
        Assert.Equal("error: Ranking:MaxTopK (environment variable Ranking__MaxTopK) takes a whole number, got 'lots'", error.Trim());
    }

    // Built with -p:OrtFlavor=gpu, ORT is the CUDA package: it lists the CUDA provider even without CUDA installed.
    private static bool GpuPackage => OrtEnv.Instance().GetAvailableProviders().Contains("CUDAExecutionProvider");

    /// <summary>The GPU package, the NVIDIA driver and the CUDA 13 libraries its provider links are all here.</summary>
    private static bool CudaCanStart =>
        GpuPackage && NativeLibrary.TryLoad(CudaProvider.DriverLibrary, out _) && CudaProvider.CudaLibraries.All(l => NativeLibrary.TryLoad(l, out _));

    [Theory]
    [InlineData("inverselearning-serve", new string[0])]
    [InlineData("inverselearning", new[] { "serve" })]
    public async Task Serving_on_cuda_scores_there_where_it_can_start_and_stops_the_start_in_one_line_where_it_cannot(string executable, string[] verb)
    {
        // The suite runs in both flavors, on machines without CUDA (CI, developers) and with CUDA 13: each is held to what it should do there.
        if (CudaCanStart) await ServesOnAsync("cuda");
        else CudaStopsTheStartInOneLine(executable, verb);
    }

    /// <summary>A server given `--device DEVICE` ranks as the model does, and its start line says where it scores.</summary>
    /// <remarks>Both executables start this host (RankingServer): the one started here, in the test's process.</remarks>
    private static async Task ServesOnAsync(string device)
    {
        await using var server = await ServerHarness.StartWithFlagsAsync(Model, "--device", device);
        var user = Model.UserIds[3];
        var candidates = Model.ItemIds.Take(20).ToArray();

        var response = await server.Client.RankAsync(new RankRequest { UserId = user, CandidateItemIds = { candidates }, TopK = 5 });

        Assert.Equal(candidates.OrderByDescending(item => Model.Expected(user, item)).Take(5), response.Items.Select(i => i.ItemId));
        Assert.Contains(server.Logs.Lines, line => line.Message.Contains($"scoring on {device}"));
    }

    private static void CudaStopsTheStartInOneLine(string executable, string[] verb)
    {
        var folder = Directory.CreateTempSubdirectory("serving-tests-").FullName;
        try
        {
            var path = Model.WriteModel(folder);
            var (code, error) = Run(executable, [], [.. verb, "--model", path, "--port", "0", "--metrics-port", "-1", "--device", "cuda"], out _);

            Assert.Equal(1, code);
            var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            Assert.StartsWith("error: --device cuda: ", line);
            Assert.Contains(GpuPackage ? "libcublasLt.so.13" : "build with -p:OrtFlavor=gpu", line);

            // Chosen by the environment, not a flag: named by its setting and variable, as the other settings' refusals are.
            var (fromEnvironment, said) = Run(executable, new() { ["Ranking__Device"] = "cuda" }, [.. verb, "--model", path, "--port", "0", "--metrics-port", "-1"], out _);
            Assert.Equal(1, fromEnvironment);
            var named = Assert.Single(said.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            Assert.StartsWith("error: Ranking:Device cuda (environment variable Ranking__Device): ", named);
            // The reason follows the setting once, not after the flag's own words as well.
            Assert.Equal(line["error: --device cuda".Length..], named["error: Ranking:Device cuda (environment variable Ranking__Device)".Length..]);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public Task Device_cpu_given_as_a_flag_serves_and_says_where_it_scores() => ServesOnAsync("cpu");

    [Theory]
    [InlineData("--help")]
    [InlineData("--model model.onnx --help")]
    [InlineData("-h")]
    [InlineData("--model model.onnx -?")]
    public void The_executable_lists_every_flag_with_its_configuration_key(string args)
    {
        var (code, _) = Run("inverselearning-serve", [], args.Split(' '), out var output);

        Assert.Equal(0, code);
        // Each name is set apart from its help by two spaces at least, the longest (--http2-connection-window-bytes) too.
        Assert.All(ServeFlags.All, flag => Assert.Contains($"  {flag.Name}  ", output));
        Assert.Contains("[Ranking:MaxTopK, default 1000]", output);
        Assert.Contains("[Ranking:ReloadMinInterval, default 1000 ms; the key takes a time span, 00:00:01]", output);
    }

    [Fact]
    public async Task Data_protections_keys_are_kept_in_memory_not_written_under_home()
    {
        // Authentication brings Data Protection, whose key ring is made on start: by default written to $HOME/.aspnet.
        var folder = Directory.CreateTempSubdirectory("serving-tests-").FullName;
        try
        {
            var path = Model.WriteModel(folder);
            var keys = new TaskCompletionSource<Microsoft.AspNetCore.DataProtection.Repositories.IXmlRepository?>();
            await using (await RankingServer.StartAsync(["--model", path, "--port", "0", "--metrics-port", "0", "--no-watch"], builder =>
                         {
                             builder.Logging.ClearProviders();
                             builder.Services.AddHostedService(services => new KeyRepositoryProbe(
                                 services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>>(), keys));
                         }))
            {
                var repository = await keys.Task.WaitAsync(TimeSpan.FromSeconds(30));
                Assert.NotNull(repository);
                Assert.Equal("InMemoryKeyRing", repository.GetType().Name);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private sealed class KeyRepositoryProbe(Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions> options,
        TaskCompletionSource<Microsoft.AspNetCore.DataProtection.Repositories.IXmlRepository?> seen) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            seen.TrySetResult(options.Value.XmlRepository);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    [Fact]
    public async Task A_background_service_that_fails_stops_the_server_with_exit_code_1_not_0()
    {
        // The host stops itself when a background service fails (StopHost), and said so only in a log line appsettings silences.
        var folder = Directory.CreateTempSubdirectory("serving-tests-").FullName;
        try
        {
            var path = Model.WriteModel(folder);
            var code = await RankingServer.RunAsync(["--model", path, "--port", "0", "--metrics-port", "-1", "--no-watch"], builder =>
            {
                builder.Logging.ClearProviders();
                builder.Services.AddHostedService<FailingAfterStart>();
            }, CancellationToken.None);

            Assert.Equal(1, code);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private sealed class FailingAfterStart : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Delay(200, stoppingToken);
            throw new IOException("the repository could not be read");
        }
    }

    /// <summary>
    /// Runs <paramref name="executable"/> until its log says it is listening, then <paramref name="stop"/>s it (kills it, unless
    /// told otherwise): the lines of its standard output, to its exit, and its exit code.
    /// </summary>
    private static (List<string> Lines, int Code) RunUntilListening(string executable, string[] args, Action<Process>? stop = null) =>
        RunUntilListening(executable, args, new Dictionary<string, string>(), out _, stop);

    /// <summary>As the overload without them, in <paramref name="environment"/>, with what it wrote to standard error.</summary>
    private static (List<string> Lines, int Code) RunUntilListening(string executable, string[] args, Dictionary<string, string> environment, out string error, Action<Process>? stop = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, $"{executable}.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var lines = new List<string>();
        try
        {
            var listening = Task.Run(() =>
            {
                while (process.StandardOutput.ReadLine() is { } line)
                {
                    lines.Add(line);
                    if (line.Contains("Ranker listening")) return true;
                }
                return false;
            });
            if (!(listening.Wait(TimeSpan.FromSeconds(60)) && listening.Result))
                Assert.Fail($"{executable} never said it was listening: {string.Join('\n', lines)} {(stderr.Wait(TimeSpan.FromSeconds(5)) ? stderr.Result : "")}");
            (stop ?? (running => running.Kill(entireProcessTree: true)))(process);
            var stopped = Task.Run(() =>
            {
                while (process.StandardOutput.ReadLine() is { } line) lines.Add(line);
            });
            if (!stopped.Wait(TimeSpan.FromSeconds(30))) Assert.Fail($"{executable} did not stop: {string.Join('\n', lines)}");
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        error = stderr.Result;
        return (lines, process.ExitCode);
    }

    /// <summary>Stops a running process by sending it <paramref name="signal"/> (HUP, TERM), as `kill -SIGNAL PID` does.</summary>
    private static Action<Process> Sending(string signal) => running =>
    {
        using var kill = Process.Start("kill", [$"-{signal}", running.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    };

    private static (int Code, string Error) RunServe(Dictionary<string, string> environment, string[] args) => Run("inverselearning-serve", environment, args, out _);

    /// <summary>inverselearning-serve on a model of its own, with the admin port off, in <paramref name="environment"/>, to its exit.</summary>
    private static (int Code, string Error) RunServeOnModel(Dictionary<string, string> environment, params string[] flags)
    {
        var folder = Directory.CreateTempSubdirectory("serving-tests-").FullName;
        try
        {
            return RunServe(environment, ["--model", Model.WriteModel(folder), "--port", "0", "--metrics-port", "-1", .. flags]);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// inverselearning-serve with <paramref name="json"/> as the environment's own settings file, beside the host's appsettings.json
    /// (which other tests read), under a name of its own.
    /// </summary>
    /// <param name="variables">More environment variables to run it in.</param>
    /// <param name="flags">Its flags, in place of a model of its own with the admin port off (which would set the ports).</param>
    private static (int Code, string Error) RunServeWithSettingsFile(string json, Dictionary<string, string>? variables = null, string[]? flags = null)
    {
        var environment = $"Settings{Guid.NewGuid():N}";
        var file = Path.Combine(AppContext.BaseDirectory, $"appsettings.{environment}.json");
        File.WriteAllText(file, json);
        try
        {
            // Both names: the host reads ASPNETCORE_ENVIRONMENT first, which the machine running the tests may set.
            var all = new Dictionary<string, string>(variables ?? []) { ["DOTNET_ENVIRONMENT"] = environment, ["ASPNETCORE_ENVIRONMENT"] = environment };
            return flags is null ? RunServeOnModel(all) : RunServe(all, flags);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
