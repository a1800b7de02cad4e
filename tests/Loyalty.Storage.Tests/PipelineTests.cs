using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;
using Loyalty.Storage.Accounts;
using Loyalty.Storage.Errors;
using Xunit;

namespace Loyalty.Storage.Tests;

/// <summary>Behaviour that Azurite cannot show: bearer tokens (it needs HTTPS for them), throttling and 5xx.</summary>
public sealed class PipelineTests
{
    [Fact]
    public async Task A_token_credential_sends_a_bearer_token_for_the_storage_scope()
    {
        var handler = new StubHandler(HttpStatusCode.NotFound, "ResourceNotFound");
        var credential = new FakeCredential();
        var account = StorageAccount.FromServiceUris(
            new Uri("https://loyalty.table.core.windows.net"), null, null, credential, Options(handler));

        var entity = await account.GetTable("members").GetEntityAsync("p1", "m1");

        Assert.Null(entity);
        Assert.Equal(["https://storage.azure.com/.default"], credential.Scopes);
        var request = Assert.Single(handler.Requests);
        Assert.Equal("Bearer t0ken", request.Headers.Authorization?.ToString());
        Assert.Equal("https://loyalty.table.core.windows.net/members(PartitionKey='p1',RowKey='m1')", request.RequestUri!.AbsoluteUri);
        Assert.True(request.Headers.Contains("x-ms-version"));
    }

    [Fact]
    public async Task Server_busy_is_retried_then_reported_as_throttling()
    {
        var handler = new StubHandler(HttpStatusCode.ServiceUnavailable, "ServerBusy");
        var account = StorageAccount.Parse(
            "AccountName=loyalty;AccountKey=a2V5;TableEndpoint=https://loyalty.table.core.windows.net", Options(handler));

        var error = await Assert.ThrowsAsync<StorageThrottledException>(() => account.GetTable("members").GetEntityAsync("p1", "m1"));

        Assert.Equal((503, "ServerBusy"), (error.Status, error.ErrorCode));
        Assert.Equal(3, handler.Requests.Count);
    }

    [Fact]
    public async Task Other_server_errors_are_retried_then_reported_as_transient()
    {
        var handler = new StubHandler(HttpStatusCode.InternalServerError, "InternalError");
        var account = StorageAccount.Parse(
            "AccountName=loyalty;AccountKey=a2V5;QueueEndpoint=https://loyalty.queue.core.windows.net", Options(handler));

        var error = await Assert.ThrowsAsync<StorageTransientException>(() => account.GetQueue("receipts").GetApproximateMessageCountAsync());

        Assert.Equal((500, "InternalError"), (error.Status, error.ErrorCode));
        Assert.Equal(3, handler.Requests.Count);
    }

    private static StorageClientOptions Options(HttpMessageHandler handler) => new()
    {
        Transport = new HttpClientTransport(new HttpClient(handler)),
        Retry = { MaxRetries = 2, Delay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) },
    };

    private sealed class StubHandler(HttpStatusCode status, string errorCode) : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Requests)
            {
                Requests.Add(request);
            }

            var response = new HttpResponseMessage(status) { Content = new StringContent(string.Empty) };
            response.Headers.Add("x-ms-error-code", errorCode);
            return Task.FromResult(response);
        }
    }

    private sealed class FakeCredential : TokenCredential
    {
        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.AddRange(requestContext.Scopes);
            return new AccessToken("t0ken", DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
