using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Loyalty.Local.Ui;
using Loyalty.Testing;
using Xunit;

namespace Loyalty.Ui.Tests;

/// <summary>How the local host serves web/ (headers, redirects, CORS for the API), and what the files may not contain.</summary>
public sealed partial class WebPagesTests(UiHost host) : IClassFixture<UiHost>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/till/")]
    [InlineData("/dashboard/")]
    [InlineData("/me/")]
    public async Task Every_page_is_served_with_a_content_security_policy_that_allows_no_inline_script(string path)
    {
        using var client = new HttpClient { BaseAddress = host.BaseUrl };
        using var answer = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("text/html", answer.Content.Headers.ContentType?.MediaType);
        var policy = string.Join(";", answer.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(ExpectedHeaders()["Content-Security-Policy"], policy);
        Assert.Contains("script-src 'self'", policy);
        Assert.DoesNotContain("unsafe-inline", policy);
        Assert.DoesNotContain("unsafe-eval", policy);
        Assert.Equal("nosniff", answer.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task The_static_web_apps_package_sends_the_same_headers_and_names_the_api_in_config_and_policy()
    {
        var output = Path.Combine(Path.GetTempPath(), UniqueName.Container("webdist"));
        try
        {
            var build = Process.Start(new ProcessStartInfo("node", ["tools/web-dist.mjs", "--api", "https://func-api-x.azurewebsites.net", "--out", output])
            {
                WorkingDirectory = Repo.Root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var errors = await build.StandardError.ReadToEndAsync();
            await build.WaitForExitAsync();
            Assert.True(build.ExitCode == 0, errors);
            var config = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output, "staticwebapp.config.json")))!["globalHeaders"]!.AsObject();
            var expected = ExpectedHeaders();
            Assert.Equal(expected.Keys.Order(), config.Select(h => h.Key).Order());
            foreach (var (name, value) in expected.Where(h => h.Key != "Content-Security-Policy"))
                Assert.Equal(value, (string?)config[name]);
            Assert.Equal(expected["Content-Security-Policy"].Replace(
                "connect-src 'self'", "connect-src 'self' https://func-api-x.azurewebsites.net", StringComparison.Ordinal),
                (string?)config["Content-Security-Policy"]);
            Assert.Equal("https://func-api-x.azurewebsites.net",
                (string?)JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output, "config.json")))!["apiBase"]);
            Assert.True(File.Exists(Path.Combine(output, "till", "index.html")));
            Assert.True(File.Exists(Path.Combine(output, "vendor", "chart.umd.min.js")));
        }
        finally
        {
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public async Task A_page_without_its_slash_is_redirected_so_its_relative_scripts_load()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.BaseUrl };
        using var answer = await client.GetAsync("/till");
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.Equal("/till/", answer.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task The_api_answers_cors_preflights_from_a_configured_origin_only()
    {
        using var client = new HttpClient { BaseAddress = host.BaseUrl };
        foreach (var (origin, allowed) in new[] { (UiHost.OtherOrigin, true), ("https://evil.example.net", false) })
        {
            using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/members/identify");
            preflight.Headers.Add("Origin", origin);
            preflight.Headers.Add("Access-Control-Request-Method", "POST");
            preflight.Headers.Add("Access-Control-Request-Headers", "x-api-key,content-type");
            using var answer = await client.SendAsync(preflight);
            Assert.Equal(allowed, answer.Headers.TryGetValues("Access-Control-Allow-Origin", out var origins) && origins.Single() == origin);
        }
    }

    [Fact]
    public void No_page_has_inline_script_event_handler_attributes_or_inline_styles_and_no_script_writes_html()
    {
        var web = Path.Combine(Repo.Root, "web");
        var found = new List<string>();
        foreach (var file in Directory.EnumerateFiles(web, "*.html", SearchOption.AllDirectories))
        {
            var html = File.ReadAllText(file);
            foreach (Match script in ScriptTag().Matches(html))
                if (!script.Groups["attributes"].Value.Contains("src=", StringComparison.Ordinal) || script.Groups["body"].Value.Trim().Length > 0)
                    found.Add($"{Path.GetRelativePath(web, file)}: inline script");
            if (EventAttribute().IsMatch(html)) found.Add($"{Path.GetRelativePath(web, file)}: an on… attribute");
            if (StyleAttribute().IsMatch(html)) found.Add($"{Path.GetRelativePath(web, file)}: a style attribute");
        }
        foreach (var file in Directory.EnumerateFiles(web, "*.js", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}vendor{Path.DirectorySeparatorChar}")))
        {
            var script = File.ReadAllText(file);
            if (HtmlWriter().Match(script) is { Success: true } writer) found.Add($"{Path.GetRelativePath(web, file)}: {writer.Value}");
        }
        Assert.True(found.Count == 0, string.Join(Environment.NewLine, found));
    }

    private static Dictionary<string, string> ExpectedHeaders() =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(Repo.Read(Path.Combine("web", WebPages.HeadersFile)))!;

    [GeneratedRegex(@"<script(?<attributes>[^>]*)>(?<body>.*?)</script>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();

    [GeneratedRegex(@"<[a-z][^>]*\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex EventAttribute();

    [GeneratedRegex(@"<[a-z][^>]*\sstyle\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex StyleAttribute();

    [GeneratedRegex(@"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function\(")]
    private static partial Regex HtmlWriter();
}
