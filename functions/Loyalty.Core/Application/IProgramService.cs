using Loyalty.Core.Programs;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Application;

public interface IProgramService
{
    /// <summary>Creates a program with its first definition (version 1); the shard count is fixed from then on.</summary>
    Task<Result<ProgramSummary>> CreateAsync(CreateProgram request, CancellationToken cancellationToken);

    /// <summary>Validates and stores the next version; receipts purchased from its <c>EffectiveFrom</c> on are scored by it.</summary>
    Task<Result<ProgramSummary>> PublishAsync(string programId, ProgramDefinition definition, CancellationToken cancellationToken);

    Task<Result<ProgramSummary>> GetAsync(string programId, CancellationToken cancellationToken);
}
