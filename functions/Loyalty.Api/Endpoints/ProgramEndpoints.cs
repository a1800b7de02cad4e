using Loyalty.Api.Http;
using Loyalty.Core.Access;
using System.Globalization;
using Loyalty.Core.Application;
using Loyalty.Core.Application.Statistics;
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

    /// <summary>The program's figures as of the last night counted, with the nights of the last <c>days</c> days.</summary>
    public static Task<IResult> Figures(HttpContext context) =>
        Handler.InProgram(context, Scope.Admin | Scope.Marketing, async (_, program, ct) =>
        {
            int? days = null;
            if (context.Request.Query.TryGetValue("days", out var raw))
            {
                if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                    return Problems.Field("days", $"days must be a whole number from 1 to {FiguresService.MaxDays}.");
                days = parsed;
            }
            return Outcomes.Ok(await context.Service<IFiguresService>().GetAsync(program, days, ct));
        });

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
