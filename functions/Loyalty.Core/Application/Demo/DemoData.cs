using Loyalty.Core.Access;

namespace Loyalty.Core.Application.Demo;

/// <summary>
/// Seeds the demo program, one API key per role and a few thousand members with predictable identifiers
/// (phone +46 70 000 00 01…, e-mail member1@example.com…), so the README's curl works on a fresh machine.
/// Safe to run again: an existing program keeps its members; new keys are issued every run because a key's
/// secret is shown only once.
/// </summary>
public sealed class DemoData(IProgramService programs, IMemberService members, IApiKeyService keys, TimeProvider time)
{
    public static readonly (string Name, Scope Scopes)[] Roles =
    [
        ("demo-admin", Scope.Admin),
        ("demo-pos", Scope.Pos),
        ("demo-store", Scope.Store),
        ("demo-marketing", Scope.Marketing),
    ];

    public static string Phone(int n) => $"+4670{n:D7}";

    public static string Email(int n) => $"member{n}@example.com";

    /// <returns>The keys issued, by role name.</returns>
    public async Task<IReadOnlyList<IssuedApiKey>> SeedAsync(int memberCount, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var created = await programs.CreateAsync(
            new CreateProgram { Definition = DemoProgram.Definition(time.GetUtcNow().AddYears(-1)), Name = "Demo Pet Shop", DefaultCountry = "SE" },
            cancellationToken).ConfigureAwait(false);
        if (!created.IsValid && created.Errors.All(e => e.Code != ApplicationErrors.ProgramExists))
            throw new InvalidOperationException($"The demo program was refused: {string.Join("; ", created.Errors.Select(e => e.Message))}");

        if (created.IsValid)
            await EnrolAsync(memberCount, progress, cancellationToken).ConfigureAwait(false);

        var issued = new List<IssuedApiKey>();
        foreach (var (name, scopes) in Roles)
            issued.Add((await keys.CreateAsync(DemoProgram.Id, name, scopes, cancellationToken).ConfigureAwait(false)).Value);
        return issued;
    }

    private async Task EnrolAsync(int memberCount, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var done = 0;
        // Azurite serves about eight concurrent callers before it becomes the bottleneck (shared/ARCHITECTURE.md §3).
        await Parallel.ForAsync(1, memberCount + 1, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (n, ct) =>
        {
            var result = await members.EnrolAsync(DemoProgram.Id, new EnrolMember
            {
                FirstName = FirstNames[n % FirstNames.Length],
                LastName = LastNames[n / FirstNames.Length % LastNames.Length],
                Phone = Phone(n),
                Email = Email(n),
                BirthDate = new DateOnly(1950 + n % 50, 1 + n % 12, 1 + n % 28),
                StoreId = $"store-{1 + n % 5}",
                Consents = new Dictionary<ConsentChannel, bool> { [ConsentChannel.Email] = n % 3 != 0, [ConsentChannel.Sms] = n % 2 == 0 },
            }, ct).ConfigureAwait(false);
            if (!result.IsValid)
                throw new InvalidOperationException($"Demo member {n} was refused: {string.Join("; ", result.Errors.Select(e => e.Message))}");
            progress?.Report(Interlocked.Increment(ref done));
        }).ConfigureAwait(false);
    }

    private static readonly string[] FirstNames = ["Astrid", "Erik", "Maja", "Lars", "Elsa", "Nils", "Ingrid", "Olle", "Saga", "Johan"];
    private static readonly string[] LastNames = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson"];
}
