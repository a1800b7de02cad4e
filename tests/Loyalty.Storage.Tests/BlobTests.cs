using Loyalty.Storage.Blobs;
using Loyalty.Storage.Errors;
using Loyalty.Testing;
using Xunit;

namespace Loyalty.Storage.Tests;

public sealed class BlobTests : AzuriteTest
{
    [Fact]
    public async Task Create_container_twice_is_fine()
    {
        var container = await CreateContainerAsync("twice");

        Assert.False(await container.CreateIfNotExistsAsync());
        Assert.True(await container.DeleteContainerAsync());
        Assert.False(await container.DeleteContainerAsync());
    }

    [Fact]
    public async Task Upload_then_download_keeps_content_type_and_bytes()
    {
        var container = await CreateContainerAsync("rw");
        var json = BinaryData.FromString("""{"receipt":"r-1","store":"Göteborg"}""");

        var etag = await container.UploadAsync("receipts/p1/2025/11/28/r 1+ä.json", json, "application/json");
        var download = await container.DownloadAsync("receipts/p1/2025/11/28/r 1+ä.json");

        Assert.NotNull(download);
        Assert.Equal(json.ToArray(), download.Content.ToArray());
        Assert.Equal("application/json", download.ContentType);
        Assert.Equal(etag, download.ETag);
        Assert.InRange(download.LastModified, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
    }

    [Fact]
    public async Task Download_of_a_missing_blob_is_null_but_a_missing_container_throws()
    {
        var container = await CreateContainerAsync("missing");

        Assert.Null(await container.DownloadAsync("nope.json"));
        await Assert.ThrowsAsync<StorageNotFoundException>(
            () => Account.GetContainer(UniqueName.Container("absent")).DownloadAsync("nope.json"));
    }

    [Fact]
    public async Task Create_only_upload_of_an_existing_blob_is_a_conflict()
    {
        var container = await CreateContainerAsync("create-only");
        await container.UploadAsync("a.txt", BinaryData.FromString("first"), "text/plain", BlobConditions.CreateOnly);

        await Assert.ThrowsAsync<StorageConflictException>(
            () => container.UploadAsync("a.txt", BinaryData.FromString("second"), "text/plain", BlobConditions.CreateOnly));
        Assert.Equal("first", (await container.DownloadAsync("a.txt"))!.Content.ToString());
    }

    [Fact]
    public async Task If_match_with_a_stale_etag_fails_and_with_the_current_one_succeeds()
    {
        var container = await CreateContainerAsync("if-match");
        var first = await container.UploadAsync("a.txt", BinaryData.FromString("1"), "text/plain");
        var second = await container.UploadAsync("a.txt", BinaryData.FromString("2"), "text/plain", BlobConditions.Matching(first));

        var stale = await Assert.ThrowsAsync<StoragePreconditionFailedException>(
            () => container.UploadAsync("a.txt", BinaryData.FromString("3"), "text/plain", BlobConditions.Matching(first)));

        Assert.NotEqual(first, second);
        Assert.Equal(412, stale.Status);
        Assert.Equal("2", (await container.DownloadAsync("a.txt"))!.Content.ToString());
    }

    [Fact]
    public async Task List_by_prefix_follows_the_marker_across_pages()
    {
        var container = await CreateContainerAsync("list");
        var wanted = Enumerable.Range(0, 7).Select(i => $"exports/p1/shard-{i:D2}.ndjson").ToArray();
        await Task.WhenAll(wanted.Concat(["exports/p2/shard-00.ndjson", "receipts/x.json"])
            .Select(name => container.UploadAsync(name, BinaryData.FromString(name), "application/x-ndjson")));

        var recorder = new RecordingPolicy();
        var recorded = recorder.Account(Azurite.ConnectionString).GetContainer(container.Name);

        var listed = await recorded.ListAsync("exports/p1/", pageSize: 3).ToListAsync();

        Assert.Equal(3, recorder.Requests.Count);
        Assert.Equal(wanted, listed.Select(b => b.Name));
        Assert.All(listed, b => Assert.Equal(b.Name.Length, b.Size));
        Assert.All(listed, b => Assert.NotEqual(default, b.ETag));
        Assert.All(listed, b => Assert.Equal("application/x-ndjson", b.ContentType));
    }

    [Fact]
    public async Task Delete_removes_the_blob_and_reports_missing_ones()
    {
        var container = await CreateContainerAsync("delete");
        await container.UploadAsync("a.txt", BinaryData.FromString("x"), "text/plain");

        Assert.True(await container.DeleteAsync("a.txt"));
        Assert.False(await container.DeleteAsync("a.txt"));
        Assert.Null(await container.DownloadAsync("a.txt"));
    }
}
