namespace Loyalty.Storage.Accounts;

internal enum StorageServiceKind
{
    Table,
    Queue,
    Blob,
}
