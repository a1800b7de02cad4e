using Microsoft.Extensions.DependencyInjection;
using Azure.Data.Tables;
using Loyalty.Core.Application;
using Loyalty.Core.Application.Demo;
using Loyalty.Core.Application.Ports;
using Loyalty.Testing;
using Xunit;

namespace Loyalty.Application.Tests.Demo;

public class DemoSeedingTests : LoyaltyStorageTest
{
    [Fact]
    public async Task A_seeding_a_crash_cut_short_resumes_to_exactly_the_members_requested()
    {
        const int requested = 40;
        var crash = new Crash(membersWritten: 15);
        var dying = CreateServices(s => s
            .AddSingleton(crash.Wrap(Port<IMemberStore>())).AddSingleton(crash.Wrap(Port<IMemberHistory>())).AddSingleton(crash.Wrap(Port<IMemberOutbox>()))
            .AddSingleton(crash.Wrap(Port<IIdentityStore>())));
        await Assert.ThrowsAsync<Crash.HostDied>(() => dying.Demo.SeedAsync(requested, [], null, default));
        Assert.Equal(15, (await DemoMembersAsync()).Count);
        Assert.Contains(await ClaimsAsync(), c => c.Orphaned);

        // The clock stands still: the orphaned claims are younger than the orphan rule's wait, and must not block.
        var progress = new Reports();
        var keys = await Services.Demo.SeedAsync(requested, [], progress, default);
        Assert.Equal(new DemoSeedProgress(15, requested, 15), progress.Seen[0]);
        Assert.All(progress.Seen, p => Assert.Equal((requested, 15), (p.Requested, p.Found)));
        Assert.Equal(requested, progress.Seen.Max(p => p.Members));

        Assert.Equal(Enumerable.Range(1, requested).Select(DemoData.MemberId).Order(), (await DemoMembersAsync()).Order());
        for (var n = 1; n <= requested; n++)
            foreach (var way in new[] { new MemberIdentifier { Phone = DemoData.Phone(n) }, new MemberIdentifier { Email = DemoData.Email(n) },
                new MemberIdentifier { CardNumber = DemoData.Card(n) } })
                Assert.Equal(DemoData.MemberId(n), Ok(await Members.IdentifyAsync(await Services.ProgramAsync(DemoProgram.Id), way, default)).Profile.MemberId);
        var claims = await ClaimsAsync();
        Assert.Equal(3 * requested, claims.Count);
        Assert.DoesNotContain(claims, c => c.Orphaned);

        // Complete now: the next start enrols nobody and keeps its keys.
        var next = new Reports();
        var again = await Services.Demo.SeedAsync(requested, [.. keys.Select(k => k.Secret)], next, default);
        Assert.Empty(next.Seen);
        Assert.Equal(keys.Select(k => k.Secret), again.Select(k => k.Secret));
        Assert.Equal(requested, (await DemoMembersAsync()).Count);
        Assert.Equal(4, Ok(await Services.ApiKeys.ListAsync(DemoProgram.Id, new PageRequest(), default)).Items.Count);
    }

    [Fact]
    public async Task A_demo_program_the_seeding_did_not_create_gets_no_demo_members()
    {
        Ok(await Services.Programs.CreateAsync(new CreateProgram { Definition = Definition(DemoProgram.Id), Name = "Made by hand" }, default));
        var keys = await Services.Demo.SeedAsync(5, [], null, default);
        Assert.Equal(DemoData.Roles.Length, keys.Count);
        Assert.Empty(await DemoMembersAsync());
        Assert.Equal("Made by hand", Ok(await Services.Programs.GetAsync(DemoProgram.Id, default)).Name);
    }

    private async Task<List<string>> DemoMembersAsync()
    {
        var shards = Ok(await Services.Programs.GetAsync(DemoProgram.Id, default)).Shards;
        var found = new List<string>();
        for (var shard = 0; shard < shards; shard++)
            for (string? after = null; ;)
            {
                var page = await Port<IMemberStore>().ListShardAsync(DemoProgram.Id, shard, 100, after, default);
                found.AddRange(page.Items.Select(m => m.Profile.MemberId));
                if ((after = page.Next) is null) break;
            }
        return found;
    }

    private async Task<List<(string MemberId, bool Orphaned)>> ClaimsAsync()
    {
        var claims = new List<(string, bool)>();
        await foreach (var row in Account.GetTable(Storage.Names.Identities).QueryAsync<TableEntity>())
        {
            var memberId = (string)row["MemberId"]!;
            claims.Add((memberId, !(await Members.GetAsync(await Services.ProgramAsync(DemoProgram.Id), memberId, default)).IsValid));
        }
        return claims;
    }

    /// <summary>Keeps every report, as they come (unlike <see cref="Progress{T}"/>, which posts them later).</summary>
    private sealed class Reports : IProgress<DemoSeedProgress>
    {
        private readonly Lock gate = new();
        public List<DemoSeedProgress> Seen { get; } = [];

        public void Report(DemoSeedProgress value)
        {
            lock (gate) Seen.Add(value);
        }
    }
}
