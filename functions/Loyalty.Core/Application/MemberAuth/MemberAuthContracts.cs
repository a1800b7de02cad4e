namespace Loyalty.Core.Application.MemberAuth;

/// <summary>Exactly one of the two.</summary>
public sealed record CodeRequest
{
    public string? Phone { get; init; }
    public string? Email { get; init; }
}

/// <summary>Either <see cref="Link"/> (the token of a magic link), or one identifier and its <see cref="Code"/>.</summary>
public sealed record TokenRequest
{
    public string? Phone { get; init; }
    public string? Email { get; init; }
    public string? Code { get; init; }
    public string? Link { get; init; }
}

/// <param name="Channel">"sms" or "email": where the code goes if the identifier is enrolled.</param>
public sealed record CodeSent(string Channel, int ExpiresInSeconds);

/// <param name="Token">Send as <c>Authorization: Bearer {token}</c>.</param>
public sealed record MemberToken(string Token, DateTimeOffset ExpiresAt, string MemberId)
{
    public string TokenType => "Bearer";
}
