using Loyalty.Storage.Accounts;
using Loyalty.Storage.Errors;
using Loyalty.Storage.Tables;
using Loyalty.Testing;
using Xunit;

namespace Loyalty.Storage.Tests;

public sealed class ErrorTests : AzuriteTest
{
    private const string WrongKey = "d3Jvbmcta2V5LXdyb25nLWtleS13cm9uZy1rZXktd3Jvbmcta2V5LXdyb25nLWtleQ==";

    [Fact]
    public async Task An_authentication_failure_reveals_neither_key_nor_signature()
    {
        var recorder = new RecordingPolicy();
        var good = Azurite.Account;
        var wrong = recorder.Account(
            $"DefaultEndpointsProtocol=http;AccountName={good.AccountName};AccountKey={WrongKey};TableEndpoint={good.TableEndpoint};QueueEndpoint={good.QueueEndpoint};BlobEndpoint={good.BlobEndpoint}");

        var tableError = await Assert.ThrowsAsync<StorageException>(() => wrong.GetTable("anytable").GetEntityAsync("p", "r"));
        var queueError = await Assert.ThrowsAsync<StorageException>(() => wrong.GetQueue("anyqueue").GetApproximateMessageCountAsync());

        var signatures = recorder.Requests.Select(r => r.Authorization!.Split(':')[1]).ToList();
        Assert.Equal(2, signatures.Count);
        foreach (var error in new[] { tableError, queueError })
        {
            Assert.Equal(403, error.Status);
            Assert.DoesNotContain(WrongKey[..16], error.ToString());
            Assert.All(signatures, signature => Assert.DoesNotContain(signature, error.ToString()));
        }
    }

    [Fact]
    public async Task An_unreachable_endpoint_is_a_transient_failure_after_retries()
    {
        var options = new StorageClientOptions { Retry = { MaxRetries = 1, Delay = TimeSpan.FromMilliseconds(10), NetworkTimeout = TimeSpan.FromSeconds(2) } };
        var account = StorageAccount.Parse(
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + WrongKey + ";TableEndpoint=http://127.0.0.1:1/devstoreaccount1", options);

        var error = await Assert.ThrowsAsync<StorageTransientException>(() => account.GetTable("members").GetEntityAsync("p", "r"));

        Assert.Equal(0, error.Status);
    }

    [Fact]
    public async Task Errors_carry_status_code_and_request_id()
    {
        var table = await CreateTableAsync("errors");
        await table.InsertAsync(new TableEntity("p", "r"));

        var error = await Assert.ThrowsAsync<StorageConflictException>(() => table.InsertAsync(new TableEntity("p", "r")));

        Assert.Equal((409, "EntityAlreadyExists"), (error.Status, error.ErrorCode));
        Assert.False(string.IsNullOrEmpty(error.RequestId));
        Assert.Contains("409", error.Message);
    }
}
