using System.Net;
using System.Net.Sockets;
using Azure;
using Loyalty.Storage.Accounts;
using Loyalty.Storage.Errors;
using Loyalty.Storage.Tables;
using Xunit;

namespace Loyalty.Storage.Tests.Sdk;

public sealed class StorageFailureTests
{
    [Fact]
    public async Task No_storage_at_all_is_unavailable_after_the_retries_and_is_described_in_one_line()
    {
        // A port nothing listens on: every attempt fails without a response.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var account = StorageAccount.FromConnectionString(
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;" +
            $"QueueEndpoint=http://127.0.0.1:{port}/devstoreaccount1;BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1",
            options => options.Retry.Delay = TimeSpan.FromMilliseconds(10));

        var error = await Record.ExceptionAsync(() => account.GetTable("members").GetOrNullAsync<Azure.Data.Tables.TableEntity>("p", "r"));

        Assert.NotNull(error);
        Assert.True(StorageFailures.IsUnavailable(error), error.ToString());
        Assert.DoesNotContain('\n', StorageFailures.Describe(error));
    }

    [Fact]
    public async Task A_storage_that_accepts_the_connection_but_does_not_answer_in_time_is_not_answering_yet()
    {
        // Like an emulator still starting: the port takes connections, nothing comes back within the network timeout.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var held = new List<TcpClient>();
        var accepting = Task.Run(async () =>
        {
            while (true) held.Add(await listener.AcceptTcpClientAsync());
        });
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var account = StorageAccount.FromConnectionString(
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;" +
            $"QueueEndpoint=http://127.0.0.1:{port}/devstoreaccount1;BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1",
            options =>
            {
                options.Retry.MaxRetries = 0;
                options.Retry.NetworkTimeout = TimeSpan.FromMilliseconds(200);
            });

        Assert.False(await account.AnswersAsync());
        listener.Stop();
        foreach (var client in held) client.Dispose();
        await Assert.ThrowsAnyAsync<Exception>(() => accepting);
    }

    [Theory]
    [InlineData(429, true)]
    [InlineData(503, true)]
    [InlineData(500, true)]
    [InlineData(408, true)]
    [InlineData(404, false)]
    [InlineData(409, false)]
    [InlineData(412, false)]
    [InlineData(403, false)]
    public void Throttling_and_server_errors_are_unavailable_and_answers_about_data_are_not(int status, bool unavailable)
    {
        var error = new RequestFailedException(status, "Service request failed.\nStatus: …\nHeaders: …", "Code", null);

        Assert.Equal(unavailable, StorageFailures.IsUnavailable(error));
        Assert.Equal($"Storage request failed: {status} Code.", StorageFailures.Describe(error));
    }

    [Fact]
    public void The_409_Azurite_answers_a_failed_condition_with_is_a_failed_condition_not_a_conflict()
    {
        var condition = new RequestFailedException(409, "x", "UpdateConditionNotSatisfied", null);
        var exists = new RequestFailedException(409, "x", "EntityAlreadyExists", null);

        Assert.True(condition.IsConditionFailed() && !condition.IsConflict());
        Assert.True(exists.IsConflict() && !exists.IsConditionFailed());
    }

    [Fact]
    public void A_shared_access_signature_connection_string_is_accepted_for_all_three_services()
    {
        var account = StorageAccount.FromConnectionString(
            "TableEndpoint=https://acct.table.core.windows.net/;QueueEndpoint=https://acct.queue.core.windows.net/;" +
            "BlobEndpoint=https://acct.blob.core.windows.net/;SharedAccessSignature=sv=2022-11-02&ss=bqt&srt=sco&sp=rwdlacup&se=2030-01-01T00:00:00Z&sig=c2ln");

        Assert.Equal(new Uri("https://acct.table.core.windows.net"), account.TableEndpoint);
        Assert.Equal(new Uri("https://acct.queue.core.windows.net"), account.QueueEndpoint);
        Assert.Equal(new Uri("https://acct.blob.core.windows.net"), account.BlobEndpoint);
    }
}
