using Azure;
using Azure.Storage.Blobs.Models;
using Loyalty.Storage.Errors;
using Loyalty.Testing;
using Xunit;

namespace Loyalty.Storage.Tests.Sdk;

public sealed class BlobContractTests : AzuriteTest
{
    [Fact]
    public async Task Create_only_conflicts_and_if_match_fails_as_a_condition()
    {
        var container = await CreateContainerAsync("conditions");
        var blob = container.GetBlobClient("receipts/p1/2025/11/28/r 1+ä.json");
        var createOnly = new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } };
        var first = (await blob.UploadAsync(BinaryData.FromString("first"), createOnly)).Value.ETag;

        var exists = await Assert.ThrowsAsync<RequestFailedException>(() => blob.UploadAsync(BinaryData.FromString("second"), createOnly));
        await blob.UploadAsync(BinaryData.FromString("third"), new BlobUploadOptions { Conditions = new BlobRequestConditions { IfMatch = first } });
        var stale = await Assert.ThrowsAsync<RequestFailedException>(
            () => blob.UploadAsync(BinaryData.FromString("fourth"), new BlobUploadOptions { Conditions = new BlobRequestConditions { IfMatch = first } }));

        Assert.True(exists.IsConflict());
        Assert.True(stale.IsConditionFailed());
        Assert.Equal("third", (await blob.DownloadContentAsync()).Value.Content.ToString());
    }

    [Fact]
    public async Task A_missing_blob_and_a_missing_container_are_told_apart()
    {
        var container = await CreateContainerAsync("missing");

        var blob = await Assert.ThrowsAsync<RequestFailedException>(() => container.GetBlobClient("nope.json").DownloadContentAsync());
        var absent = await Assert.ThrowsAsync<RequestFailedException>(
            () => Account.GetContainer(UniqueName.Container("absent")).GetBlobClient("nope.json").DownloadContentAsync());

        Assert.Equal((404, "BlobNotFound"), (blob.Status, blob.ErrorCode));
        Assert.Equal((404, "ContainerNotFound"), (absent.Status, absent.ErrorCode));
    }
}
