using Azure.Core;
using Azure.Core.Pipeline;
using Loyalty.Storage.Accounts;

namespace Loyalty.Testing;

/// <summary>Records every request as it leaves the SDKs' pipelines, for tests that check the wire.</summary>
public sealed class RecordingPolicy : HttpPipelineSynchronousPolicy
{
    private readonly List<(string Method, Uri Uri)> requests = [];

    public IReadOnlyList<(string Method, Uri Uri)> Requests
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
    public StorageAccount Account(string connectionString) =>
        StorageAccount.FromConnectionString(connectionString, options => options.AddPolicy(this, HttpPipelinePosition.BeforeTransport));

    public override void OnSendingRequest(HttpMessage message)
    {
        lock (requests)
        {
            requests.Add((message.Request.Method.Method, message.Request.Uri.ToUri()));
        }
    }
}
