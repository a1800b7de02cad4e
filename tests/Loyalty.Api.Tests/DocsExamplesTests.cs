using Loyalty.Testing;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Loyalty.Core.Access;
using Loyalty.Core.Application.Demo;
using Loyalty.Hosting;
using Loyalty.Local.Workers;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Loyalty.Api.Tests;

/// <summary>The host as <c>./run</c> starts it, seeded with the demo program, with a member-token key the test knows.</summary>
public sealed class DemoApiFactory : LoyaltyApiFactory
{
    public const string SigningKey = "docs-examples-tests-signing-key-0123456789";

    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["MemberTokens:SigningKey"] = SigningKey,
        [JobWorkerSettings.Campaigns.EnabledKey] = "false",
        [JobWorkerSettings.Nightly.EnabledKey] = "false",
    };
}

/// <summary>
/// Every <c>curl</c> example of docs/api.md runs, in order, against the demo program and answers the status written
/// under it (<c># 200</c>). Variables: <c>$URL</c>, <c>$KEY</c> (an admin key), <c>$MEMBER</c> (the member id of the
/// last answer that named one in the same level-2 section) and <c>$TOKEN</c> (a member token for <c>$MEMBER</c>).
/// </summary>
public sealed partial class DocsExamplesTests(DemoApiFactory factory) : IClassFixture<DemoApiFactory>
{
    [Fact]
    public async Task Every_example_in_the_api_docs_answers_as_documented()
    {
        var examples = Examples(Repo.Read("docs/api.md")).ToList();
        Assert.True(examples.Count >= 20, $"Only {examples.Count} examples found in docs/api.md; is the format still '```', curl …, '# status'?");
        var keys = await factory.Services.GetRequiredService<DemoData>().SeedAsync(5, [], null, CancellationToken.None);
        var adminKey = keys.Single(k => k.Scopes == Scope.Admin).Secret;
        var client = factory.CreateClient();

        var failures = new List<string>();
        var section = "";
        string? member = null;
        foreach (var example in examples)
        {
            if (example.Section != section) (section, member) = (example.Section, null);
            if (example.Status is null)
            {
                failures.Add($"line {example.Line}: no '# <status>' line after the command.");
                continue;
            }
            string Expand(string text) => text
                .Replace("$URL", "", StringComparison.Ordinal)
                .Replace("$KEY", adminKey, StringComparison.Ordinal)
                .Replace("$TOKEN", member is null ? "no-member" : new MemberTokenSigner(new MemberTokenKeys(DemoApiFactory.SigningKey))
                    .Issue(DemoProgram.Id, member, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(30)), StringComparison.Ordinal)
                .Replace("$MEMBER", member ?? "no-member", StringComparison.Ordinal);

            using var request = new HttpRequestMessage(new HttpMethod(example.Method), Expand(example.Url));
            if (example.Body is not null)
                request.Content = new StringContent(Expand(example.Body), Encoding.UTF8);
            foreach (var (name, value) in example.Headers)
            {
                if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                {
                    request.Content ??= new StringContent("");
                    request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(value);
                }
                else
                {
                    request.Headers.TryAddWithoutValidation(name, Expand(value));
                }
            }

            var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode != example.Status)
                failures.Add($"line {example.Line}: {example.Method} {Expand(example.Url)} answered {(int)response.StatusCode}, documented {example.Status}: " +
                    $"{text[..Math.Min(text.Length, 300)]}");
            member = MemberIdIn(text) ?? member;
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private static string? MemberIdIn(string json)
    {
        try
        {
            var node = JsonNode.Parse(json);
            return (string?)node?["profile"]?["memberId"] ?? (string?)node?["memberId"];
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private sealed record Example(
        int Line, string Section, string Method, string Url, IReadOnlyList<(string Name, string Value)> Headers, string? Body, int? Status);

    /// <summary>The curl commands of the fenced blocks, each with the status of the <c># nnn</c> line that follows it.</summary>
    private static IEnumerable<Example> Examples(string markdown)
    {
        // The shell's "now" inside a quoted body, so a dated example never ages out of the program's validity.
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal)
            .Replace("'$(date -u +%FT%TZ)'", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"), StringComparison.Ordinal)
            .Split('\n');
        var section = "";
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("## ", StringComparison.Ordinal)) section = lines[i];
            if (!lines[i].StartsWith("```", StringComparison.Ordinal)) continue;
            var end = Array.FindIndex(lines, i + 1, line => line.StartsWith("```", StringComparison.Ordinal));
            var block = lines[(i + 1)..end];
            for (var j = 0; j < block.Length; j++)
            {
                if (!block[j].StartsWith("curl ", StringComparison.Ordinal)) continue;
                var (words, next) = ShellWords(block, j);
                var status = next < block.Length && StatusLine().Match(block[next]) is { Success: true } m ? int.Parse(m.Groups[1].Value) : (int?)null;
                yield return Parse(i + 2 + j, section, words, status);
                j = next - 1;
            }
            i = end;
        }
    }

    private static Example Parse(int line, string section, IReadOnlyList<string> words, int? status)
    {
        string? method = null, url = null, body = null;
        var headers = new List<(string, string)>();
        for (var k = 1; k < words.Count; k++)
        {
            switch (words[k])
            {
                case "-X": method = words[++k]; break;
                case "-H":
                    var header = words[++k];
                    var colon = header.IndexOf(':', StringComparison.Ordinal);
                    headers.Add((header[..colon].Trim(), header[(colon + 1)..].Trim()));
                    break;
                case "-d": body = words[++k]; break;
                default: url = words[k]; break;
            }
        }
        Assert.True(url is not null, $"docs/api.md line {line}: a curl without a URL.");
        return new Example(line, section, method ?? (body is null ? "GET" : "POST"), url!, headers, body, status);
    }

    /// <summary>
    /// The words of one shell command starting at <paramref name="start"/>: quotes keep everything up to the closing one
    /// (newlines too) and an unquoted newline ends the command. Returns the line after it.
    /// </summary>
    private static (List<string> Words, int Next) ShellWords(string[] lines, int start)
    {
        var text = string.Join('\n', lines[start..]);
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        var i = 0;
        for (; i < text.Length && text[i] != '\n'; i++)
        {
            var c = text[i];
            if (c is ' ' or '\t')
            {
                if (inWord) words.Add(word.ToString());
                word.Clear();
                inWord = false;
            }
            else if (c is '\'' or '"')
            {
                var close = text.IndexOf(c, i + 1);
                word.Append(text, i + 1, close - i - 1);
                inWord = true;
                i = close;
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }
        if (inWord) words.Add(word.ToString());
        return (words, start + text[..i].Count(ch => ch == '\n') + 1);
    }

    [GeneratedRegex(@"^#\s*(\d{3})\b")]
    private static partial Regex StatusLine();
}
