using System.CommandLine;
using System.Text.Json;
using Loyalty.Api.Http;
using Loyalty.Cli;
using Loyalty.Cli.Pos;
using Loyalty.Core.Access;
using Loyalty.Core.Application;
using Loyalty.Core.Programs;
using Loyalty.Core.Application.Demo;
using Loyalty.Hosting;
using Loyalty.Storage.Repositories;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static Loyalty.Cli.Failure;

// Storage comes from --storage, else the Storage__ConnectionString / Storage__*ServiceUri environment
// variables the hosts use, else the local emulator.
var storage = new Option<string?>("--storage")
{
    Description = "Storage connection string (default: Storage__* environment variables, else Azurite).", Recursive = true
};

var programId = new Option<string>("--id") { Description = "Program id (letters, digits, hyphens).", Required = true };
var name = new Option<string>("--name") { Description = "Display name.", Required = true };
var definitionFile = new Option<FileInfo>("--definition")
{
    Description = "Program definition JSON (see docs/domain.md); its programId must equal --id.", Required = true
};
var country = new Option<string>("--country") { Description = "Default country for phone numbers (ISO 3166-1 alpha-2).", DefaultValueFactory = _ => "SE" };
var shards = new Option<int>("--shards") { Description = "Member partitions, fixed at creation: a power of two, 1-1024.", DefaultValueFactory = _ => 64 };
var createProgram = new Command("create", "Create a program and its first admin API key.") { programId, name, definitionFile, country, shards };
createProgram.SetAction(async (parse, ct) =>
{
    var backend = Backend(parse);
    await backend.GetRequiredService<LoyaltyStorage>().EnsureCreatedAsync(ct);
    ProgramDefinition? definition;
    try
    {
        await using var file = parse.GetValue(definitionFile)!.OpenRead();
        definition = await JsonSerializer.DeserializeAsync<ProgramDefinition>(file, JsonBody.Options, ct);
    }
    catch (Exception e) when (e is JsonException or IOException)
    {
        return Fail($"Cannot read the definition: {e.Message}");
    }
    if (definition is null || definition.ProgramId != parse.GetValue(programId))
        return Fail("The definition's programId must equal --id.");
    var created = await backend.GetRequiredService<IProgramService>().CreateAsync(new CreateProgram
    {
        Definition = definition,
        Name = parse.GetValue(name)!,
        DefaultCountry = parse.GetValue(country)!,
        Shards = parse.GetValue(shards),
    }, ct);
    if (!created.IsValid) return Fail(created.Errors);
    var program = (await backend.GetRequiredService<ProgramCache>().GetAsync(definition.ProgramId, ct))!;
    var key = await backend.GetRequiredService<IApiKeyService>().CreateAsync(program, "first-admin", Scope.Admin, ct);
    if (!key.IsValid) return Fail(key.Errors);
    Console.WriteLine($"Program '{definition.ProgramId}' created.");
    Console.WriteLine($"Admin API key (shown once, store it now): {key.Value.Secret}");
    return 0;
});

var members = new Option<int>("--members") { Description = "How many demo members to enrol.", DefaultValueFactory = _ => 3_000 };
var seed = new Command("seed", "Create the demo program, demo members (resuming a seeding cut short; skipped once complete) and one API key per role " +
    "(revoking the demo keys issued before).") { members };
seed.SetAction(async (parse, ct) =>
{
    var backend = Backend(parse);
    await backend.GetRequiredService<LoyaltyStorage>().EnsureCreatedAsync(ct);
    var count = parse.GetValue(members);
    // Nothing remembered: the previous demo keys are revoked and fresh ones printed, as only their secrets could reuse them.
    foreach (var key in await backend.GetRequiredService<DemoData>().SeedAsync(count, [], new DemoSeedConsole(""), ct))
        Console.WriteLine($"{key.Name,-15} {key.Secret}");
    return 0;
});

var root = new RootCommand("Loyalty Functions operator tool.")
{
    new Command("program", "Programs.") { createProgram },
    KeyCommands.Create(Backend),
    DevCommands.Create(),
    new Command("demo", "Demo data.") { seed },
    PosCommands.Create(Backend),
};
foreach (var command in JobCommands.Create(Backend)) root.Subcommands.Add(command);
root.Options.Add(storage);
return await root.Parse(args).InvokeAsync();

IServiceProvider Backend(ParseResult parse)
{
    var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
    if (parse.GetValue(storage) is { Length: > 0 } connectionString)
        configuration[$"{StorageSettings.Section}:ConnectionString"] = connectionString;
    return new ServiceCollection().AddLoyaltyStorage(configuration).AddLoyaltyApplication(configuration).BuildServiceProvider();
}
