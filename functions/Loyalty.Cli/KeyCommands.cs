using System.CommandLine;
using System.Globalization;
using Loyalty.Core.Access;
using Loyalty.Core.Application;
using Microsoft.Extensions.DependencyInjection;
using static Loyalty.Cli.Failure;

namespace Loyalty.Cli;

/// <summary><c>loyalty key create|list|revoke</c>. A secret is printed by create only: it is not stored, so nothing else could.</summary>
internal static class KeyCommands
{
    public static Command Create(Func<ParseResult, IServiceProvider> backend)
    {
        var program = new Option<string>("--program") { Description = "The program the key is bound to.", Required = true, Recursive = true };
        var name = new Option<string>("--name") { Description = "What the key is for, e.g. 'store-12-tills'.", Required = true };
        var scopes = new Option<string[]>("--scopes") { Description = "pos, store, marketing, admin.", Required = true, AllowMultipleArgumentsPerToken = true };
        var expires = new Option<DateTimeOffset?>("--expires")
        {
            Description = "When the key stops working (e.g. 2027-06-30 or 2027-06-30T12:00:00+02:00; UTC unless an offset is given); default never.",
            CustomParser = result =>
            {
                if (DateTimeOffset.TryParse(result.Tokens[0].Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)) return at;
                result.AddError($"--expires: '{result.Tokens[0].Value}' is not a date or date and time.");
                return null;
            },
        };
        var create = new Command("create", "Create an API key and print its secret, once.") { name, scopes, expires };
        create.SetAction(async (parse, ct) =>
        {
            if (!Scopes.TryParse(parse.GetValue(scopes)!.SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)),
                out var granted, out var unknown))
                return Fail(unknown is null ? "Name at least one scope." : $"Unknown scope '{unknown}'; use pos, store, marketing or admin.");
            var services = backend(parse);
            return await CommandProgram.InProgramAsync(services, parse.GetValue(program)!, async inProgram =>
            {
                var key = await services.GetRequiredService<IApiKeyService>().CreateAsync(
                    inProgram, parse.GetValue(name)!, granted, parse.GetValue(expires), ct);
                if (!key.IsValid) return Fail(key.Errors);
                Console.WriteLine($"Key id: {key.Value.KeyId}{(key.Value.ExpiresAt is { } at ? $", expires {Time(at)}" : "")}");
                Console.WriteLine($"API key (shown once, store it now): {key.Value.Secret}");
                return 0;
            }, ct);
        });

        var pageSize = PageRequest.MaxPageSize;
        var list = new Command("list", "List the program's keys (id, name, scopes, status, created, expires, last used); never their secrets.");
        list.SetAction(async (parse, ct) =>
        {
            var keys = backend(parse).GetRequiredService<IApiKeyService>();
            var page = new PageRequest(pageSize);
            Console.WriteLine($"{"key id",-16}  {"name",-20}  {"scopes",-22}  {"status",-7}  {"created",-16}  {"expires",-16}  last used (±1 h)");
            while (true)
            {
                var listed = await keys.ListAsync(parse.GetValue(program)!, page, ct);
                if (!listed.IsValid) return Fail(listed.Errors);
                foreach (var key in listed.Value.Items)
                    Console.WriteLine($"{key.KeyId,-16}  {key.Name,-20}  {string.Join(",", key.Scopes),-22}  {key.Status.ToString().ToLowerInvariant(),-7}  " +
                        $"{Time(key.CreatedAt),-16}  {Time(key.ExpiresAt),-16}  {Time(key.LastUsedAt)}");
                if (listed.Value.Continuation is null) return 0;
                page = page with { Continuation = listed.Value.Continuation };
            }
        });

        var id = new Option<string>("--id") { Description = "The key id (the part after lf_ up to the next _; `key list` shows them).", Required = true };
        var revoke = new Command("revoke", "Revoke a key for good. Hosts cache successful look-ups for 30 s, so it may work that much longer.") { id };
        revoke.SetAction(async (parse, ct) =>
        {
            var revoked = await backend(parse).GetRequiredService<IApiKeyService>().RevokeAsync(parse.GetValue(program)!, parse.GetValue(id)!, ct);
            if (!revoked.IsValid) return Fail(revoked.Errors);
            Console.WriteLine($"Key {revoked.Value.KeyId} ({revoked.Value.Name}) revoked at {Time(revoked.Value.RevokedAt)}.");
            return 0;
        });

        return new Command("key", "API keys.") { program, create, list, revoke };
    }

    private static string Time(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "-";
}
