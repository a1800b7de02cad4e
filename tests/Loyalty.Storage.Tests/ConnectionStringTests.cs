using Azure.Identity;
using Loyalty.Storage.Accounts;
using Xunit;

namespace Loyalty.Storage.Tests;

public sealed class ConnectionStringTests
{
    private const string Key = "c2VjcmV0LWtleS1ieXRlcy1mb3ItdGhlLXRlc3Qtb25seQ==";

    [Fact]
    public void Development_storage_points_at_azurite_default_ports()
    {
        var account = StorageAccount.Parse("UseDevelopmentStorage=true");

        Assert.Equal("devstoreaccount1", account.AccountName);
        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), account.TableEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10001/devstoreaccount1"), account.QueueEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), account.BlobEndpoint);
    }

    [Fact]
    public void Explicit_endpoints_are_used_as_given()
    {
        var account = StorageAccount.Parse(
            $"DefaultEndpointsProtocol=http;AccountName=acct;AccountKey={Key};TableEndpoint=http://127.0.0.1:20002/acct/;QueueEndpoint=http://127.0.0.1:20001/acct;BlobEndpoint=http://127.0.0.1:20000/acct");

        Assert.Equal("acct", account.AccountName);
        Assert.Equal(new Uri("http://127.0.0.1:20002/acct"), account.TableEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:20001/acct"), account.QueueEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:20000/acct"), account.BlobEndpoint);
    }

    [Fact]
    public void Endpoint_suffix_form_derives_the_service_hosts()
    {
        var account = StorageAccount.Parse($"DefaultEndpointsProtocol=https;AccountName=loyalty;AccountKey={Key};EndpointSuffix=core.chinacloudapi.cn");

        Assert.Equal(new Uri("https://loyalty.table.core.chinacloudapi.cn"), account.TableEndpoint);
        Assert.Equal(new Uri("https://loyalty.queue.core.chinacloudapi.cn"), account.QueueEndpoint);
        Assert.Equal(new Uri("https://loyalty.blob.core.chinacloudapi.cn"), account.BlobEndpoint);
    }

    [Fact]
    public void Missing_suffix_defaults_to_the_public_cloud()
    {
        var account = StorageAccount.Parse($"AccountName=loyalty;AccountKey={Key}");

        Assert.Equal(new Uri("https://loyalty.table.core.windows.net"), account.TableEndpoint);
    }

    [Fact]
    public void Service_uris_with_a_token_credential()
    {
        var account = StorageAccount.FromServiceUris(
            new Uri("https://loyalty.table.core.windows.net"), new Uri("https://loyalty.queue.core.windows.net"), null, new DefaultAzureCredential());

        Assert.Equal("loyalty", account.AccountName);
        Assert.Equal(new Uri("https://loyalty.queue.core.windows.net"), account.QueueEndpoint);
        Assert.Null(account.BlobEndpoint);
        Assert.Equal("members", account.GetTable("members").Name);
        Assert.Throws<InvalidOperationException>(() => account.GetContainer("raw"));
    }

    [Theory]
    [InlineData("AccountName=acct;AccountKey=" + Key + ";Garbage")]
    [InlineData("AccountName=acct;AccountKey=" + Key + ";DefaultEndpointsProtocol=ftp")]
    [InlineData("AccountKey=" + Key)]
    [InlineData("AccountName=acct;AccountKey=" + Key + ";TableEndpoint=not a uri")]
    [InlineData("AccountName=acct;AccountKey=" + Key + "!!")]
    [InlineData("AccountName=acct;AccountKey=" + Key + ";AccountKey=" + Key)]
    [InlineData("UseDevelopmentStorage=true;AccountKey=" + Key)]
    [InlineData("")]
    public void A_bad_connection_string_is_refused_without_echoing_the_key(string connectionString)
    {
        var error = Assert.Throws<FormatException>(() => StorageAccount.Parse(connectionString));

        Assert.StartsWith("Invalid storage connection string", error.Message);
        Assert.DoesNotContain(Key[..20], error.ToString());
    }

    [Fact]
    public void ToString_does_not_reveal_the_key()
    {
        var account = StorageAccount.Parse($"AccountName=acct;AccountKey={Key}");

        Assert.DoesNotContain(Key[..20], account.ToString());
        Assert.Contains("acct", account.ToString());
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("1members")]
    [InlineData("mem-bers")]
    public void Invalid_table_names_are_refused_locally(string name) =>
        Assert.Throws<ArgumentException>(() => StorageAccount.Parse("UseDevelopmentStorage=true").GetTable(name));

    [Theory]
    [InlineData("Receipts")]
    [InlineData("re--ceipts")]
    [InlineData("-receipts")]
    [InlineData("re")]
    public void Invalid_queue_and_container_names_are_refused_locally(string name)
    {
        var account = StorageAccount.Parse("UseDevelopmentStorage=true");
        Assert.Throws<ArgumentException>(() => account.GetQueue(name));
        Assert.Throws<ArgumentException>(() => account.GetContainer(name));
    }
}
