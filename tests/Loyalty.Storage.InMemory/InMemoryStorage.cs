namespace Loyalty.Storage.InMemory;

/// <summary>
/// The ports the nightly review and the campaign fan-out use, in memory, with Table Storage's semantics and every
/// request counted in <see cref="Requests"/> as it would be sent; the other ports throw <see cref="NotSupportedException"/>.
/// For the benchmark at a million members (which Azurite cannot hold) and for tests; no host uses it. Registered the way
/// the hosts register Azure storage (<see cref="InMemoryStorageRegistration.AddInMemoryStorage"/>):
/// <code>
/// var storage = new InMemoryStorage();
/// var services = new ServiceCollection().AddInMemoryStorage(storage).AddLoyaltyApplication().BuildServiceProvider();
/// </code>
/// </summary>
public sealed class InMemoryStorage
{
    public InMemoryStorage()
    {
        Members = new InMemoryTable("Members", Requests);
        Programs = new InMemoryTable("Programs", Requests);
        JobProgress = new InMemoryTable("JobProgress", Requests);
        Campaigns = new InMemoryTable("Campaigns", Requests);
        Deliveries = new InMemoryTable("CampaignDeliveries", Requests);
        Figures = new InMemoryTable("ProgramFigures", Requests);
        CampaignFiles = new InMemoryBlobs("campaigns", Requests);
        Notifications = new InMemoryNotificationQueue(Requests);
    }

    public StorageRequests Requests { get; } = new();
    public InMemoryTable Members { get; }
    public InMemoryTable Programs { get; }
    public InMemoryTable JobProgress { get; }
    public InMemoryTable Campaigns { get; }
    public InMemoryTable Deliveries { get; }
    public InMemoryTable Figures { get; }
    public InMemoryBlobs CampaignFiles { get; }
    public InMemoryNotificationQueue Notifications { get; }

    /// <summary>Rows and bytes (keys and values) of every table, and the blobs' bytes.</summary>
    public (long Rows, long Bytes) Size()
    {
        var tables = new[] { Members, Programs, JobProgress, Campaigns, Deliveries, Figures }.Select(t => t.Size()).ToList();
        return (tables.Sum(t => t.Rows), tables.Sum(t => t.Bytes) + CampaignFiles.Bytes);
    }
}
