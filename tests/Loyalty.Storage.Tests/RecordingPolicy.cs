using Azure.Core;
using Azure.Core.Pipeline;
using Loyalty.Storage.Accounts;

namespace Loyalty.Storage.Tests;

/// <summary>Records every request as it leaves the pipeline (after signing), for tests that check the wire.</summary>
internal sealed class RecordingPolicy : HttpPipelineSynchronousPolicy
{
    private readonly List<(string Method, Uri Uri, string? Authorization)> requests = [];

    public IReadOnlyList<(string Method, Uri Uri, string? Authorization)> Requests
    {
        get
        {
            lock (requests)
            {
                return [.. requests];
            }
        }
    }

    /// <summary>An account on the given connection string whose requests this policy records.</summary>
    public StorageAccount Account(string connectionString, StorageClientOptions? options = null)
    {
        options ??= new StorageClientOptions();
        options.AddPolicy(this, HttpPipelinePosition.BeforeTransport);
        return StorageAccount.Parse(connectionString, options);
    }

    public override void OnSendingRequest(HttpMessage message)
    {
        var authorization = message.Request.Headers.TryGetValue("Authorization", out var value) ? value : null;
        lock (requests)
        {
            requests.Add((message.Request.Method.Method, message.Request.Uri.ToUri(), authorization));
        }
    }
}
