using Loyalty.Core.Application.MemberAuth;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Application.Receipts;

namespace Loyalty.Core.Application;

/// <summary>
/// The catch-up jobs both hosts run on a timer: deliver notifications a crash or a queue outage left in member
/// outboxes, then apply parked receipts whose identifier has been enrolled since (an enrolment that crashed
/// before replaying them itself). Both are idempotent, so an overlapping or repeated run is harmless. Expired
/// one-time codes and rate counters are swept on the way: bookkeeping, not worth reporting.
/// </summary>
public sealed class Maintenance(OutboxSweep outbox, IReceiptService receipts, IMemberAuthService memberAuth, IProgramStore programs, ProgramCache loaded)
{
    public async Task<(int Delivered, int Replayed)> RunAsync(CancellationToken cancellationToken)
    {
        var delivered = await outbox.RunAsync(cancellationToken);
        var replayed = 0;
        foreach (var programId in await programs.ListIdsAsync(cancellationToken))
            // A program listed but gone by now has nothing left to replay.
            if (await loaded.GetAsync(programId, cancellationToken) is { } program)
                replayed += await receipts.ReplayParkedAsync(program, cancellationToken);
        await memberAuth.SweepAsync(cancellationToken);
        return (delivered, replayed);
    }
}
