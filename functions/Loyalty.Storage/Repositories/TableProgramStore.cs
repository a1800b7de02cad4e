using Azure;
using Azure.Data.Tables;
using System.Globalization;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Programs;
using Loyalty.Core.Serialization;
using Loyalty.Storage.Errors;
using Loyalty.Storage.Tables;

namespace Loyalty.Storage.Repositories;

/// <summary>
/// Programs table: PartitionKey = program id; RowKey "settings" (name, default country, shards) and "v{version:D6}" (one
/// definition as JSON). One partition per program, so loading a program is one single-partition query.
/// </summary>
internal sealed class TableProgramStore(TableClient table) : IProgramStore
{
    private const string SettingsRow = "settings";
    private const string VersionPrefix = "v";

    public async Task<bool> CreateAsync(ProgramSettings settings, ProgramDefinition first, CancellationToken cancellationToken)
    {
        var row = new TableEntity(settings.ProgramId, SettingsRow)
        {
            ["Name"] = settings.Name,
            ["DefaultCountry"] = settings.DefaultCountry,
            ["Shards"] = settings.Shards,
            ["CreatedAt"] = settings.CreatedAt,
        };
        try
        {
            await table.SubmitCheckedAsync([new TableTransactionAction(TableTransactionActionType.Add, row),
                new TableTransactionAction(TableTransactionActionType.Add, VersionRow(first))], cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.IsConflict())
        {
            return false;
        }
    }

    public async Task<bool> AddVersionAsync(ProgramDefinition definition, CancellationToken cancellationToken)
    {
        try
        {
            await table.AddEntityAsync(VersionRow(definition), cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.IsConflict())
        {
            return false;
        }
    }

    public async Task<StoredProgram?> GetAsync(string programId, CancellationToken cancellationToken)
    {
        ProgramSettings? settings = null;
        var versions = new List<ProgramDefinition>();
        await foreach (var row in table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {programId}"), cancellationToken: cancellationToken))
        {
            if (row.RowKey == SettingsRow)
                settings = new ProgramSettings(programId, row.Required("Name"), row.Required("DefaultCountry"),
                    row.GetInt32("Shards") ?? throw new InvalidOperationException($"Program '{programId}' has no shard count."),
                    row.GetDateTimeOffset("CreatedAt") ?? default);
            else if (row.RowKey.StartsWith(VersionPrefix, StringComparison.Ordinal))
                versions.Add(LoyaltyJson.Deserialize<ProgramDefinition>(JsonColumns.ReadChunked(row, "Definition")));
        }
        // Rows come in RowKey order, and "v{version:D6}" sorts by version.
        return settings is null || versions.Count == 0 ? null : new StoredProgram(settings, versions);
    }

    public async Task<IReadOnlyList<string>> ListIdsAsync(CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"RowKey eq {SettingsRow}"), select: ["PartitionKey"], cancellationToken: cancellationToken))
            ids.Add(row.PartitionKey);
        return ids;
    }

    private static TableEntity VersionRow(ProgramDefinition definition)
    {
        var row = new TableEntity(definition.ProgramId, VersionPrefix + definition.Version.ToString("D6", CultureInfo.InvariantCulture))
        {
            ["Version"] = definition.Version,
            ["EffectiveFrom"] = definition.EffectiveFrom,
        };
        JsonColumns.WriteChunked(row, "Definition", LoyaltyJson.Serialize(definition));
        return row;
    }
}
