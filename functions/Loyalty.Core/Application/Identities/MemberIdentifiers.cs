using Loyalty.Core.Application.Ports;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Application.Identities;

/// <summary>Reads a <see cref="MemberIdentifier"/> the same way at the till and on a receipt.</summary>
internal static class MemberIdentifiers
{
    /// <summary>
    /// A member id as given, or the normalised identity to look up. Mistakes the client can fix (two identifiers, a
    /// phone number that is not one) go to <paramref name="errors"/>; a card number or external id that is well-formed
    /// JSON but that enrolment would never accept comes back as <see cref="Resolved.Unmatchable"/>.
    /// </summary>
    public static Resolved Resolve(MemberIdentifier identifier, LoadedProgram program, ErrorList errors)
    {
        string?[] given = [identifier.MemberId, identifier.CardNumber, identifier.Phone, identifier.Email, identifier.ExternalId];
        if (given.Count(v => !string.IsNullOrWhiteSpace(v)) != 1)
        {
            errors.Add(ApplicationErrors.IdentifierCount, "", "Give exactly one of memberId, cardNumber, phone, email and externalId.");
            return Resolved.Unmatchable;
        }
        var programId = program.Settings.ProgramId;
        switch (identifier)
        {
            case { MemberId: { } id } when !string.IsNullOrWhiteSpace(id):
                return MemberIds.IsWellFormed(id) ? new Resolved(id, null) : Resolved.Unmatchable;
            case { CardNumber: { } c } when !string.IsNullOrWhiteSpace(c):
                return CardNumbers.TryNormalize(c, out var card) ? Key(programId, IdentityKind.Card, card) : Resolved.Unmatchable;
            case { Phone: { } p } when !string.IsNullOrWhiteSpace(p):
                return Key(programId, IdentityKind.Phone, ContactFields.Phone(errors, p, program.Settings.DefaultCountry));
            case { Email: { } e } when !string.IsNullOrWhiteSpace(e):
                return Key(programId, IdentityKind.Email, ContactFields.Email(errors, e));
            default:
                var external = new ErrorList();
                external.Identifier(identifier.ExternalId, "externalId");
                return external.Any ? Resolved.Unmatchable : Key(programId, IdentityKind.External, identifier.ExternalId);
        }
    }

    private static Resolved Key(string programId, IdentityKind kind, string? value) =>
        string.IsNullOrEmpty(value) ? Resolved.Unmatchable : new Resolved(null, new IdentityKey(programId, kind, value));
}

/// <summary>Exactly one of <see cref="MemberId"/> and <see cref="Identity"/>, or neither when nobody can match.</summary>
internal sealed record Resolved(string? MemberId, IdentityKey? Identity)
{
    public static Resolved Unmatchable { get; } = new(null, null);
}
