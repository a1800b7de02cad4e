using Loyalty.Core.Statistics;

namespace Loyalty.Core.Application.Ports;

/// <summary>The nightly counts of each shard of a program (<see cref="ShardFigures"/>), one row per night and shard.</summary>
public interface IFiguresStore
{
    /// <summary>Writes a shard's count of a night, replacing an earlier count of the same night and shard (a shard run again).</summary>
    Task SaveAsync(string programId, ShardFigures figures, CancellationToken cancellationToken);

    /// <summary>The counts of the nights from <paramref name="from"/> on, every shard's: one range read of the program's rows.</summary>
    Task<IReadOnlyList<ShardFigures>> ListAsync(string programId, DateOnly from, CancellationToken cancellationToken);
}
