using Loyalty.Core.Application;
using Microsoft.Extensions.DependencyInjection;

namespace Loyalty.Bench.Infra;

public static class Programs
{
    /// <summary>A program the scenario created, as a request's edge resolves it (through the container's cache).</summary>
    public static async Task<LoadedProgram> ProgramAsync(this IServiceProvider services, string programId, CancellationToken cancellationToken) =>
        await services.GetRequiredService<ProgramCache>().GetAsync(programId, cancellationToken)
        ?? throw new InvalidOperationException($"The scenario's program '{programId}' does not exist.");
}
