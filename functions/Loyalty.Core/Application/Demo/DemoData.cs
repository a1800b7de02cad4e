using Loyalty.Core.Access;
using Loyalty.Core.Application.Identities;
using Loyalty.Core.Application.Jobs;
using Loyalty.Core.Application.Ports;

namespace Loyalty.Core.Application.Demo;

/// <summary>
/// Seeds the demo program, one API key per role and a few thousand members with predictable identifiers
/// (phone +46 70 000 00 01…, e-mail member1@example.com…, card 9000 0000 0000 001x…), so the README's curl works on a
/// fresh machine. Safe to run again, and to cut short: a seeding that a crash stopped part-way resumes where it stopped
/// (each demo member has a fixed member id, so its enrolment is repeated at most, never doubled), and a complete one is
/// recorded as such and not redone. The program is only ever created: one that exists is never overwritten, and one
/// that this seeding did not start (made by hand, or seeded before seedings were recorded) gets no demo members.
/// Keys do not pile up: a role's key is reused when the caller still holds its secret (secrets are not stored, so
/// only the caller can), otherwise a new one is issued, and every other working key of a demo role is revoked.
/// </summary>
public sealed class DemoData(
    IProgramService programs, ProgramCache loaded, MemberService members, IApiKeyService keys, IJobProgressStore jobs, TimeProvider time)
{
    /// <summary>
    /// The seeding's record: its shard 0 is written before the program is created (the program is ours to fill), the
    /// run's totals after the last member (nothing left to do).
    /// </summary>
    private static readonly JobKey Seeding = new(DemoProgram.Id, "demo-seed", "members");

    public static readonly (string Name, Scope Scopes)[] Roles =
    [
        ("demo-admin", Scope.Admin),
        ("demo-pos", Scope.Pos),
        ("demo-store", Scope.Store),
        ("demo-marketing", Scope.Marketing),
    ];

    public static string Phone(int n) => $"+4670{n:D7}";

    public static string Email(int n) => $"member{n}@example.com";

    public static string Card(int n) => CardNumbers.Digital($"9{n:D14}");

    public static string MemberId(int n) => MemberIds.Derive($"{DemoProgram.Id}-member-{n}");

    /// <param name="remembered">Secrets of demo keys the caller kept from an earlier run; those still working are reused.</param>
    /// <returns>One key per role, in the order of <see cref="Roles"/>, with its secret.</returns>
    public async Task<IReadOnlyList<IssuedApiKey>> SeedAsync(
        int memberCount, IReadOnlyCollection<string> remembered, IProgress<DemoSeedProgress>? progress, CancellationToken cancellationToken)
    {
        if (await jobs.GetTotalsAsync(Seeding, cancellationToken) is null && await StartAsync(cancellationToken) is { } created)
        {
            await EnrolAsync(memberCount, resume: !created, progress, cancellationToken);
            await jobs.CompleteAsync(Seeding, new JobTotals(JobCounts.Zero.Add("members", memberCount), 1, time.GetUtcNow()), cancellationToken);
        }

        var existing = await DemoKeysAsync(cancellationToken);
        var program = Issued(await loaded.ResolveAsync(DemoProgram.Id, cancellationToken));
        var issued = new List<IssuedApiKey>();
        foreach (var (name, scopes) in Roles)
            issued.Add(await ReuseAsync(remembered, existing, name, scopes, cancellationToken)
                       ?? Issued(await keys.CreateAsync(program, name, scopes, cancellationToken)));
        foreach (var stale in existing.Where(k => k.Status == ApiKeyStatus.Active && issued.All(i => i.KeyId != k.KeyId)))
            await keys.RevokeAsync(DemoProgram.Id, stale.KeyId, cancellationToken);
        return issued;
    }

    /// <returns>Null when the demo program is not this seeding's to fill; otherwise whether it was created just now (so
    /// holds no members yet).</returns>
    private async Task<bool?> StartAsync(CancellationToken cancellationToken)
    {
        if (await jobs.GetShardAsync(Seeding, 0, cancellationToken) is null)
        {
            if ((await programs.GetAsync(DemoProgram.Id, cancellationToken)).IsValid) return null;
            await jobs.SaveShardAsync(Seeding, new ShardProgress(0, false, JobCounts.Zero, time.GetUtcNow()), cancellationToken);
        }
        var created = await programs.CreateAsync(
            new CreateProgram { Definition = DemoProgram.Definition(time.GetUtcNow().AddYears(-1)), Name = "Demo Pet Shop", DefaultCountry = "SE" },
            cancellationToken);
        if (!created.IsValid && created.Errors.All(e => e.Code != ApplicationErrors.ProgramExists))
            throw new InvalidOperationException($"The demo program was refused: {string.Join("; ", created.Errors.Select(e => e.Message))}");
        return created.IsValid;
    }

    /// <summary>The demo program's keys of the demo roles; keys an operator added under other names are left alone.</summary>
    private async Task<List<ApiKeyInfo>> DemoKeysAsync(CancellationToken cancellationToken)
    {
        var found = new List<ApiKeyInfo>();
        var page = new PageRequest(PageRequest.MaxPageSize);
        while (true)
        {
            var listed = Issued(await keys.ListAsync(DemoProgram.Id, page, cancellationToken));
            found.AddRange(listed.Items.Where(k => Roles.Any(r => r.Name == k.Name)));
            if (listed.Continuation is null) return found;
            page = page with { Continuation = listed.Continuation };
        }
    }

    private async Task<IssuedApiKey?> ReuseAsync(
        IReadOnlyCollection<string> remembered, List<ApiKeyInfo> existing, string name, Scope scopes, CancellationToken cancellationToken)
    {
        foreach (var secret in remembered)
        {
            if (!ApiKeySecret.TryParse(secret, out var parsed)
                || existing.FirstOrDefault(k => k.KeyId == parsed.KeyId && k.Name == name) is not { } key) continue;
            if (await keys.AuthenticateAsync(secret, cancellationToken) is { } caller && caller.ProgramId == DemoProgram.Id && caller.Scopes == scopes)
                return new IssuedApiKey(key.KeyId, DemoProgram.Id, name, scopes, secret) { CreatedAt = key.CreatedAt, ExpiresAt = key.ExpiresAt };
        }
        return null;
    }

    private static T Issued<T>(Validation.Result<T> result) =>
        result.IsValid ? result.Value : throw new InvalidOperationException($"The demo keys were refused: " +
            $"{string.Join("; ", result.Errors.Select(e => e.Message))}");

    private async Task EnrolAsync(int memberCount, bool resume, IProgress<DemoSeedProgress>? progress, CancellationToken cancellationToken)
    {
        // Created or found by StartAsync just before.
        var program = (await loaded.GetAsync(DemoProgram.Id, cancellationToken))!;
        var missing = Enumerable.Range(1, memberCount).ToList();
        if (resume)
        {
            var there = new bool[memberCount + 1];
            await Parallel.ForAsync(1, memberCount + 1, Throttle(cancellationToken), async (n, ct) =>
                there[n] = (await members.GetAsync(program, MemberId(n), ct)).IsValid);
            missing.RemoveAll(n => there[n]);
        }
        var found = memberCount - missing.Count;
        if (resume) progress?.Report(new DemoSeedProgress(found, memberCount, found));

        var done = found;
        await Parallel.ForEachAsync(missing, Throttle(cancellationToken), async (n, ct) =>
        {
            var result = await members.EnrolAsync(program, new EnrolMember
            {
                FirstName = FirstNames[n % FirstNames.Length],
                LastName = LastNames[n / FirstNames.Length % LastNames.Length],
                Phone = Phone(n),
                Email = Email(n),
                CardNumber = Card(n),
                BirthDate = new DateOnly(1950 + n % 50, 1 + n % 12, 1 + n % 28),
                StoreId = $"store-{1 + n % 5}",
                Consents = new Dictionary<ConsentChannel, bool> { [ConsentChannel.Email] = n % 3 != 0, [ConsentChannel.Sms] = n % 2 == 0 },
            }, MemberId(n), ct);
            if (!result.IsValid)
                throw new InvalidOperationException($"Demo member {n} was refused: {string.Join("; ", result.Errors.Select(e => e.Message))}");
            progress?.Report(new DemoSeedProgress(Interlocked.Increment(ref done), memberCount, found));
        });
    }

    // Azurite serves about eight concurrent callers before it becomes the bottleneck.
    private static ParallelOptions Throttle(CancellationToken cancellationToken) => new() { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken };

    private static readonly string[] FirstNames = ["Astrid", "Erik", "Maja", "Lars", "Elsa", "Nils", "Ingrid", "Olle", "Saga", "Johan"];
    private static readonly string[] LastNames = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson"];
}

/// <summary>Where a seeding stands: <paramref name="Members"/> of the <paramref name="Requested"/> demo members are
/// there, <paramref name="Found"/> of them left by a seeding that a crash cut short.</summary>
public sealed record DemoSeedProgress(int Members, int Requested, int Found);
