using Loyalty.Core.Statistics;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Application.Statistics;

public interface IFiguresService
{
    /// <summary>The figures as of the last night counted, with the nights of the last <paramref name="days"/> days.</summary>
    Task<Result<ProgramFigures>> GetAsync(LoadedProgram program, int? days, CancellationToken cancellationToken);
}
