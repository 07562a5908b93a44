using Microsoft.Extensions.Configuration;

namespace InverseLearning.Serving.Tests;

/// <summary>The configuration's own checks, before the host binds it: what each source may say, named by its key.</summary>
public sealed class ConfigurationCheckTests
{
    private static string? ProblemOf(params (string Key, string Value)[] settings) =>
        ConfigurationCheck.FirstProblem(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(setting => KeyValuePair.Create(setting.Key, (string?)setting.Value))).Build());

    private const string OwnListeners = "its listeners are --host/--port (Ranking:Host, Ranking:Port) and --admin-host/--metrics-port";

    [Theory]
    // With PreferHostingUrls, Kestrel opened the hosting URL alone, on every interface, and the server's own two were never bound.
    // Set neither by the environment nor by a file, the key alone is named (ServingHostTests: the variable or the file as set).
    [InlineData("Urls", "http://0.0.0.0:57363", "Urls is 'http://0.0.0.0:57363'")]
    [InlineData("urls", "http://0.0.0.0:57363", "Urls is 'http://0.0.0.0:57363'")]
    [InlineData("HTTP_PORTS", "8080", "HTTP_PORTS is '8080'")]
    [InlineData("https_ports", "8443", "HTTPS_PORTS is '8443'")]
    [InlineData("PreferHostingUrls", "true", "PreferHostingUrls is 'true'")]
    [InlineData("PreferHostingUrls", "1", "PreferHostingUrls is '1'")]
    public void A_hosting_url_from_any_source_is_refused_as_a_listener_the_server_would_not_own(string key, string value, string said)
    {
        Assert.Equal($"{said}: hosting URLs are listeners the server would not own; {OwnListeners}", ProblemOf((key, value)));
    }

    [Theory]
    // Refused with the listener wording, though hosting reads anything but "true" or "1" as false: the server's listeners stay its own.
    [InlineData("false")]
    [InlineData("0")]
    public void PreferHostingUrls_false_is_harmless_and_passes(string value)
    {
        Assert.Null(ProblemOf(("PreferHostingUrls", value)));
    }

    [Fact]
    public void Hosting_urls_given_as_a_list_in_a_settings_file_are_refused_naming_the_file()
    {
        // Passed in silence: hosting reads Urls as one value, and the list's keys (Urls:0) as none, so the URLs meant were ignored.
        var file = Path.Combine(Directory.CreateTempSubdirectory("serving-tests-").FullName, "appsettings.json");
        File.WriteAllText(file, """{ "Urls": ["http://127.0.0.1:5998"] }""");
        try
        {
            var configuration = new ConfigurationBuilder().AddJsonFile(file).Build();

            // The file as the configuration names it (its path within the folder it was added from).
            Assert.Equal($"Urls (in {Path.GetFileName(file)}) is a list (Urls:0 is 'http://127.0.0.1:5998'), which hosting reads as nothing; " +
                         $"hosting URLs are listeners the server would not own; {OwnListeners}", ConfigurationCheck.FirstProblem(configuration));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }

    [Fact]
    public void An_empty_hosting_url_sets_nothing_and_passes()
    {
        // A base image's ASPNETCORE_HTTP_PORTS=8080, cleared by the Dockerfile.
        Assert.Null(ProblemOf(("HTTP_PORTS", ""), ("Urls", "")));
    }

    [Fact]
    public void An_empty_hosting_url_in_a_settings_file_is_read_as_setting_nothing_not_warned_of()
    {
        // Warned "read by nothing", where the same empty value from the environment passed in silence.
        var file = Path.Combine(Directory.CreateTempSubdirectory("serving-tests-").FullName, "appsettings.json");
        File.WriteAllText(file, """{ "Urls": "", "http_ports": "" }""");
        try
        {
            var configuration = new ConfigurationBuilder().AddJsonFile(file).Build();

            Assert.Null(ConfigurationCheck.FirstProblem(configuration));
            Assert.Empty(SettingsFileSections.Unread(configuration));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }

    [Fact]
    public void Two_environment_variables_naming_one_setting_with_colon_and_double_underscore_are_refused_naming_both()
    {
        // Refused as differing "only in case", which they do not: configuration reads both as Ranking:MaxTopK.
        var environment = new System.Collections.Hashtable { ["Ranking__MaxTopK"] = "0", ["Ranking:MaxTopK"] = "5", ["PATH"] = "/usr/bin" };

        Assert.Equal("the environment variables Ranking:MaxTopK and Ranking__MaxTopK name one setting, one with ':' where the other has '__': " +
                     "configuration reads '__' as ':' (and ignores case), so which one wins is left to chance; keep one", ConfigurationCheck.CaseTwins(environment));
    }

    private const string Endpoint = "Ranking:TracesOtlpEndpoint";
    private const string Expected = "expected key=value,key2=value2 for the traces --traces-otlp-endpoint sends";

    [Theory]
    // The exporter's own "Headers provided in an invalid format." named neither the variable nor the form.
    [InlineData("OTEL_EXPORTER_OTLP_HEADERS", "a", "OTEL_EXPORTER_OTLP_HEADERS: it has no '=', " + Expected)]
    [InlineData("OTEL_EXPORTER_OTLP_HEADERS", "k=v,", "OTEL_EXPORTER_OTLP_HEADERS: its entry 2 of 2 has no '=', " + Expected)]
    // Taken by the exporter, and every export failed unseen: a header's name has no spaces.
    [InlineData("OTEL_EXPORTER_OTLP_HEADERS", "a b=c", "OTEL_EXPORTER_OTLP_HEADERS: it is named 'a b', not a header name (letters, digits and !#$%&'*+-.^_`|~), " + Expected)]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_HEADERS", "k=v,=secret",
        "OTEL_EXPORTER_OTLP_TRACES_HEADERS: its entry 2 of 2 is named '', not a header name (letters, digits and !#$%&'*+-.^_`|~), " + Expected)]
    [InlineData("OTEL_EXPORTER_OTLP_HEADERS", "k=a%0Ab", "OTEL_EXPORTER_OTLP_HEADERS: the value of 'k' holds a control character (a line break?), " + Expected)]
    public void Trace_headers_the_exporter_would_refuse_or_fail_on_are_refused_naming_the_variable_and_the_form(string variable, string headers, string expected)
    {
        Assert.Equal(expected, ProblemOf((Endpoint, "http://127.0.0.1:4317"), (variable, headers)));
    }

    [Fact]
    public void Trace_headers_are_checked_only_when_tracing_is_on_and_pass_in_the_exporters_form()
    {
        Assert.Null(ProblemOf(("OTEL_EXPORTER_OTLP_HEADERS", "a")));
        // Spaces around names and values, and a percent-encoded value, as the exporter takes them.
        Assert.Null(ProblemOf((Endpoint, "http://127.0.0.1:4317"), ("OTEL_EXPORTER_OTLP_HEADERS", "api-key = abc=, x-tenant=team%20one")));
    }

    [Theory]
    [InlineData("json")]
    [InlineData("systemd")]
    public void A_console_formatter_other_than_the_servers_is_refused_not_silently_ignored(string formatter)
    {
        Assert.Equal($"Logging:Console:FormatterName is '{formatter}', a console formatter the server does not use: it always logs one line per event "
            + "(the simple formatter, clients' text escaped); remove the setting", ProblemOf(("Logging:Console:FormatterName", formatter)));
        Assert.Null(ProblemOf(("Logging:Console:FormatterName", "Simple")));
    }

    private const string Samplers = "always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio";

    [Theory]
    // The SDK ignored each with a warning on its EventSource only, and traced every call.
    [InlineData("bogus", null, "OTEL_TRACES_SAMPLER is 'bogus', expected one of " + Samplers + " (any case)")]
    [InlineData(" always_off", null, "OTEL_TRACES_SAMPLER is ' always_off', expected one of " + Samplers + " (any case)")]
    [InlineData("traceidratio", "abc", "OTEL_TRACES_SAMPLER_ARG is 'abc', expected the ratio of calls the traceidratio sampler traces, a number from 0 to 1 (0.25 for a quarter)")]
    [InlineData("traceidratio", "5", "OTEL_TRACES_SAMPLER_ARG is '5', expected the ratio of calls the traceidratio sampler traces, a number from 0 to 1 (0.25 for a quarter)")]
    [InlineData("parentbased_traceidratio", "-1", "OTEL_TRACES_SAMPLER_ARG is '-1', expected the ratio of calls the parentbased_traceidratio sampler traces, a number from 0 to 1 (0.25 for a quarter)")]
    [InlineData("traceidratio", "NaN", "OTEL_TRACES_SAMPLER_ARG is 'NaN', expected the ratio of calls the traceidratio sampler traces, a number from 0 to 1 (0.25 for a quarter)")]
    [InlineData("traceidratio", "0,25", "OTEL_TRACES_SAMPLER_ARG is '0,25', expected the ratio of calls the traceidratio sampler traces, a number from 0 to 1 (0.25 for a quarter)")]
    [InlineData("TraceIdRatio", null, "OTEL_TRACES_SAMPLER_ARG is not set, expected the ratio of calls the TraceIdRatio sampler traces, a number from 0 to 1 (0.25 for a quarter)")]
    public void A_trace_sampler_the_sdk_would_ignore_is_refused_naming_the_variable_and_what_it_takes(string sampler, string? ratio, string expected)
    {
        var settings = new List<(string, string)> { (Endpoint, "http://127.0.0.1:4317"), ("OTEL_TRACES_SAMPLER", sampler) };
        if (ratio is not null) settings.Add(("OTEL_TRACES_SAMPLER_ARG", ratio));
        Assert.Equal(expected, ProblemOf([.. settings]));
    }

    [Theory]
    // What the SDK reads: a name in any case; a ratio with spaces around, an exponent, a sign or no leading digit.
    [InlineData("ALWAYS_OFF", null)]
    [InlineData("parentbased_always_on", "abc")] // a sampler without a ratio ignores the argument
    [InlineData("traceidratio", "0")]
    [InlineData("traceidratio", " 0.25 ")]
    [InlineData("parentbased_traceidratio", "2.5e-1")]
    [InlineData("traceidratio", ".25")]
    [InlineData("traceidratio", "1")]
    [InlineData("", null)] // unset, to the SDK too
    public void A_trace_sampler_the_sdk_reads_passes(string sampler, string? ratio)
    {
        var settings = new List<(string, string)> { (Endpoint, "http://127.0.0.1:4317"), ("OTEL_TRACES_SAMPLER", sampler) };
        if (ratio is not null) settings.Add(("OTEL_TRACES_SAMPLER_ARG", ratio));
        Assert.Null(ProblemOf([.. settings]));
        Assert.Null(ProblemOf(("OTEL_TRACES_SAMPLER", "bogus"))); // tracing off: nothing reads it
    }

    [Theory]
    // It was the setting's default, said nowhere: no token at all, and POST /admin/reload answered 200; the flag refuses "".
    [InlineData("Ranking:AdminTokenFile", "--admin-token-file (Ranking:AdminTokenFile)")]
    [InlineData("Ranking:TracesOtlpEndpoint", "--traces-otlp-endpoint (Ranking:TracesOtlpEndpoint)")]
    [InlineData("Ranking:Host", "--host (Ranking:Host)")]
    public void An_empty_text_setting_is_refused_as_the_flag_refuses_it(string key, string named)
    {
        Assert.Equal($"{named} takes a non-empty value (leave the key out for its default), got ''", ProblemOf((key, "")));
    }
}
