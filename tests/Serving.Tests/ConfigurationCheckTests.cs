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
    [InlineData("Urls", "http://0.0.0.0:57363", "Urls (ASPNETCORE_URLS) is 'http://0.0.0.0:57363'")]
    [InlineData("urls", "http://0.0.0.0:57363", "Urls (ASPNETCORE_URLS) is 'http://0.0.0.0:57363'")]
    [InlineData("HTTP_PORTS", "8080", "HTTP_PORTS (ASPNETCORE_HTTP_PORTS) is '8080'")]
    [InlineData("https_ports", "8443", "HTTPS_PORTS (ASPNETCORE_HTTPS_PORTS) is '8443'")]
    [InlineData("PreferHostingUrls", "true", "PreferHostingUrls (ASPNETCORE_PREFERHOSTINGURLS) is 'true'")]
    public void A_hosting_url_from_any_source_is_refused_as_a_listener_the_server_would_not_own(string key, string value, string said)
    {
        Assert.Equal($"{said}: hosting URLs are listeners the server would not own; {OwnListeners}", ProblemOf((key, value)));
    }

    [Fact]
    public void An_empty_hosting_url_sets_nothing_and_passes()
    {
        // A base image's ASPNETCORE_HTTP_PORTS=8080, cleared by the Dockerfile.
        Assert.Null(ProblemOf(("HTTP_PORTS", ""), ("Urls", "")));
    }
}
