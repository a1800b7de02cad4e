using System.Globalization;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Programs;
using Loyalty.Core.Serialization;

namespace Loyalty.Storage.InMemory;

/// <summary>Programs as the Table store keeps them: a partition per program, "settings" and "v{version:D6}" rows, created in one transaction.</summary>
public sealed class InMemoryProgramStore(InMemoryTable table) : IProgramStore
{
    private const string SettingsRow = "settings";

    public Task<bool> CreateAsync(ProgramSettings settings, ProgramDefinition first, CancellationToken cancellationToken)
    {
        try
        {
            table.Submit([
                new TableAction(TableActionKind.Add, settings.ProgramId, SettingsRow,
                    Columns.Pack(
                        settings.Name, settings.DefaultCountry, settings.Shards.ToString(CultureInfo.InvariantCulture), Columns.Time(settings.CreatedAt))),
                new TableAction(TableActionKind.Add, settings.ProgramId, VersionKey(first), Columns.Pack(LoyaltyJson.Serialize(first))),
            ]);
            return Task.FromResult(true);
        }
        catch (TableActionFailedException e) when (e.Status == 409)
        {
            return Task.FromResult(false);
        }
    }

    public Task<bool> AddVersionAsync(ProgramDefinition definition, CancellationToken cancellationToken)
    {
        try
        {
            table.Insert(definition.ProgramId, VersionKey(definition), Columns.Pack(LoyaltyJson.Serialize(definition)));
            return Task.FromResult(true);
        }
        catch (TableActionFailedException e) when (e.Status == 409)
        {
            return Task.FromResult(false);
        }
    }

    public Task<StoredProgram?> GetAsync(string programId, CancellationToken cancellationToken)
    {
        ProgramSettings? settings = null;
        var versions = new List<ProgramDefinition>();
        string? from = null;
        do
        {
            var page = table.Query(programId, new RowRange("", true, "~", false), InMemoryTable.MaxPageSize, from);
            foreach (var row in page.Rows)
            {
                var columns = Columns.Unpack(row.Value);
                if (row.RowKey == SettingsRow)
                    settings = new ProgramSettings(
                        programId, columns[0]!, columns[1]!, int.Parse(columns[2]!, CultureInfo.InvariantCulture), Columns.ParseTime(columns[3]!));
                else versions.Add(LoyaltyJson.Deserialize<ProgramDefinition>(columns[0]!));
            }
            from = page.Continuation;
        }
        while (from is not null);
        return Task.FromResult(settings is null || versions.Count == 0 ? null : new StoredProgram(settings, versions));
    }

    public Task<IReadOnlyList<string>> ListIdsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([.. table.Scan(_ => true, key => key == SettingsRow).Select(row => row.PartitionKey)]);

    private static string VersionKey(ProgramDefinition definition) => "v" + definition.Version.ToString("D6", CultureInfo.InvariantCulture);
}
