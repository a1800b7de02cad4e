using Loyalty.Core.Application.Ports;
using Loyalty.Core.Statistics;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Application.Statistics;

/// <summary>
/// The program's figures for its dashboard, from the nightly counts alone (<see cref="IFiguresStore"/>): one range read of
/// at most (days + 1) × shards rows, whatever the number of members. The counts are written by the nightly review
/// (<see cref="Jobs.NightlyReview"/>), so the figures are as of the last night counted.
/// </summary>
public sealed class FiguresService(IFiguresStore figures, TimeProvider time) : IFiguresService
{
    public const int DefaultDays = 30;
    public const int MaxDays = 92;

    public async Task<Result<ProgramFigures>> GetAsync(LoadedProgram program, int? days, CancellationToken cancellationToken)
    {
        if (days is < 1 or > MaxDays)
            return Result<ProgramFigures>.Fail(ErrorCodes.OutOfRange, "days", $"The number of days must be 1 to {MaxDays}.");
        var now = time.GetUtcNow();
        var version = program.InForceAt(now);
        // One night more than the days asked for: the first night's count is what the second night's activity is counted from.
        var from = version.LocalDate(now).AddDays(-(days ?? DefaultDays));
        var rows = await figures.ListAsync(program.Settings.ProgramId, from, cancellationToken);
        return ProgramFigures.From(version.Definition, program.Settings.Shards, rows);
    }
}
