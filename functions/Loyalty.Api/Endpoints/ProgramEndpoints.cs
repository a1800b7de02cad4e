using Loyalty.Api.Http;
using Loyalty.Core.Access;
using Loyalty.Core.Application;
using Loyalty.Core.Programs;
using Loyalty.Core.Validation;
using Microsoft.AspNetCore.Http;

namespace Loyalty.Api.Endpoints;

/// <summary>The program of the calling key: read it, publish its next version. Programs are created by the operator CLI.</summary>
public static class ProgramEndpoints
{
    public static Task<IResult> Get(HttpContext context) =>
        Handler.Authorized(context, Scope.Admin | Scope.Marketing, async (caller, ct) =>
            Outcomes.Ok(await context.Service<IProgramService>().GetAsync(caller.ProgramId, ct)));

    /// <summary>
    /// The body is the whole next definition, with <c>version</c> set to the version being created: two admins
    /// editing at once cannot overwrite each other, the second gets 409 and re-reads.
    /// </summary>
    public static Task<IResult> Publish(HttpContext context) =>
        Handler.Authorized<ProgramDefinition>(context, Scope.Admin, async (caller, definition, ct) =>
            definition.ProgramId != caller.ProgramId
                ? Outcomes.Problem([new ValidationError(ErrorCodes.ProgramMismatch, "programId", $"This key belongs to program '{caller.ProgramId}'.")])
                : Outcomes.Ok(await context.Service<IProgramService>().PublishAsync(caller.ProgramId, definition, ct)));
}
