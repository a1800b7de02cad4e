using Loyalty.Core.Application;
using Microsoft.Extensions.DependencyInjection;
using static Loyalty.Cli.Failure;

namespace Loyalty.Cli;

/// <summary>A command acts in one program, resolved once where it starts, as a request's edge does (<see cref="ProgramCache.ResolveAsync"/>).</summary>
internal static class CommandProgram
{
    /// <summary>Runs <paramref name="action"/> in the program, or reports program-not-found with exit code 1.</summary>
    public static async Task<int> InProgramAsync(
        IServiceProvider services, string programId, Func<LoadedProgram, Task<int>> action, CancellationToken cancellationToken)
    {
        var program = await services.GetRequiredService<ProgramCache>().ResolveAsync(programId, cancellationToken);
        return program.IsValid ? await action(program.Value) : Fail(program.Errors);
    }
}
