using Azure.Core;
using Azure.Core.Pipeline;
using Loyalty.Storage.Accounts;
using Xunit;

namespace Loyalty.Storage.Tests;

/// <summary>
/// The expected signatures were computed outside .NET from the string-to-sign in each comment:
/// printf '&lt;string-to-sign&gt;' | openssl dgst -sha256 -mac HMAC -macopt hexkey:&lt;key as hex&gt; -binary | base64.
/// </summary>
public sealed class SharedKeySigningTests
{
    private static readonly byte[] Key = Convert.FromBase64String(
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==");

    private static readonly DateTimeOffset Now = new(2009, 10, 11, 21, 49, 13, TimeSpan.Zero);

    [Fact]
    public void Table_scheme_signs_verb_content_type_date_and_path_with_the_account_twice_for_path_style_urls()
    {
        // "POST\n\napplication/json\nSun, 11 Oct 2009 21:49:13 GMT\n/devstoreaccount1/devstoreaccount1/Tables"
        var message = NewMessage(RequestMethod.Post, "http://127.0.0.1:10002/devstoreaccount1/Tables");
        message.Request.Headers.SetValue("Content-Type", "application/json");
        message.Request.Headers.SetValue("x-ms-version", "2019-02-02");
        message.Request.Content = RequestContent.Create("{\"TableName\":\"members\"}"u8.ToArray());

        new SharedKeyPolicy("devstoreaccount1", Key, StorageServiceKind.Table, new FixedTime(Now)).OnSendingRequest(message);

        Assert.Equal("SharedKey devstoreaccount1:5Aln0/EanT/ylb/vVBZ2dYTIpwHD0OjRrfQLEhX4WUo=", Header(message, "Authorization"));
        Assert.Equal("Sun, 11 Oct 2009 21:49:13 GMT", Header(message, "x-ms-date"));
    }

    [Fact]
    public void Blob_and_queue_scheme_signs_standard_headers_sorted_ms_headers_and_sorted_query()
    {
        // "PUT\n\n\n5\n\ntext/plain\n\n\n\"0x1\"\n\n\n\nx-ms-blob-type:BlockBlob\nx-ms-date:Sun, 11 Oct 2009 21:49:13 GMT\n"
        // + "x-ms-version:2021-12-02\n/devstoreaccount1/devstoreaccount1/raw/a%20b.txt\ncomp:list\ntimeout:30"
        var message = NewMessage(RequestMethod.Put, "http://127.0.0.1:10000/devstoreaccount1/raw/a%20b.txt?timeout=30&comp=list");
        message.Request.Headers.SetValue("x-ms-version", "2021-12-02");
        message.Request.Headers.SetValue("x-ms-blob-type", "BlockBlob");
        message.Request.Headers.SetValue("Content-Type", "text/plain");
        message.Request.Headers.SetValue("If-Match", "\"0x1\"");
        message.Request.Content = RequestContent.Create("hello"u8.ToArray());

        new SharedKeyPolicy("devstoreaccount1", Key, StorageServiceKind.Blob, new FixedTime(Now)).OnSendingRequest(message);

        Assert.Equal("SharedKey devstoreaccount1:m39Hbct3kXRLduCOHeDk6LnZD4VkGhv8xlUQCNWlkVc=", Header(message, "Authorization"));
    }

    private static HttpMessage NewMessage(RequestMethod method, string uri)
    {
        var message = HttpPipelineBuilder.Build(new StorageClientOptions()).CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(new Uri(uri));
        return message;
    }

    private static string? Header(HttpMessage message, string name) =>
        message.Request.Headers.TryGetValue(name, out var value) ? value : null;

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
