using Azure.Data.Tables;

namespace Loyalty.Storage.Tables;

public static class TableRows
{
    /// <summary>
    /// Drops the properties whose value is null. The SDK sends them as JSON null, which Azurite stores as a property
    /// that a filter then sees, while an absent value is simply not there on Azure: rows are written without them, as
    /// they always were.
    /// </summary>
    public static TableEntity WithoutNulls(this TableEntity entity)
    {
        List<string>? empty = null;
        foreach (var (name, value) in entity)
        {
            if (value is null) (empty ??= []).Add(name);
        }

        foreach (var name in empty ?? []) entity.Remove(name);
        return entity;
    }
}
