namespace Loyalty.Functions.Receipts;

/// <summary>
/// The name, Service Bus queue and connection of <c>ReceiptsQueueFunction</c>. Constants outside that file because it is
/// left out of builds where its package is not served, and the tests must still hold the Bicep's queue and app settings
/// (and docs/deploy.md's function table) to these names there.
/// </summary>
public static class ReceiptsTrigger
{
    public const string FunctionName = "ReceiptsQueue";

    public const string Queue = "receipts";

    /// <summary>The app-setting prefix of the identity-based connection (ServiceBusConnection__fullyQualifiedNamespace, …).</summary>
    public const string Connection = "ServiceBusConnection";
}
