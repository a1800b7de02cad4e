using Loyalty.Core.Validation;

namespace Loyalty.Core.Application.MemberAuth;

/// <summary>Passwordless verification: a one-time code (or an e-mail magic link) for a short-lived member token.</summary>
public interface IMemberAuthService
{
    /// <summary>
    /// Sends a code to the phone or e-mail address if a member holds it. The answer is the same whether or not anyone
    /// does, and so is the work behind it but for the message itself, so the endpoint cannot be used to probe enrolment.
    /// </summary>
    Task<Result<CodeSent>> RequestCodeAsync(LoadedProgram program, CodeRequest request, string clientAddress, CancellationToken cancellationToken);

    /// <summary>Exchanges an identifier and its code, or a magic link's token, for a member token; each code works once.</summary>
    Task<Result<MemberToken>> IssueTokenAsync(LoadedProgram program, TokenRequest request, string clientAddress, CancellationToken cancellationToken);

    /// <summary>The caller a member token stands for: scope member, that member only; null for an invalid or expired token.</summary>
    ApiCaller? Authenticate(string token);

    /// <summary>
    /// False once the token's member is erased (or never was): tokens are signed, not stored, so a token outlives its
    /// member unless each use asks.
    /// </summary>
    Task<bool> IsCurrentAsync(ApiCaller member, CancellationToken cancellationToken);

    /// <summary>Removes code and counter rows nothing needs any more.</summary>
    Task<int> SweepAsync(CancellationToken cancellationToken);
}
