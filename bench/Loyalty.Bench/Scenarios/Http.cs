using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Loyalty.Bench.Scenarios;

/// <summary>One pooled HTTP client for a scenario's callers, as a POS fleet's gateway would hold.</summary>
public static class Http
{
    public static HttpClient Client(Uri address, string apiKey)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 512,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
        };
        var client = new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    public static ByteArrayContent Json(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>The response's JSON, or an exception naming the status and the start of the body.</summary>
    public static async Task<JsonDocument> ReadOkAsync(HttpResponseMessage response, CancellationToken cancellationToken, params HttpStatusCode[] accepted)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (!(accepted.Length == 0 ? response.IsSuccessStatusCode : accepted.Contains(response.StatusCode)))
            throw new HttpRequestException($"{(int)response.StatusCode} {response.ReasonPhrase}: " +
                $"{System.Text.Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 400))}");
        return JsonDocument.Parse(bytes);
    }
}
