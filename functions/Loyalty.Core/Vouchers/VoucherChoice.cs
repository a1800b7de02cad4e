using Loyalty.Core.Members;
using Loyalty.Core.Programs;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Vouchers;

/// <summary>
/// The member picks a denomination at the till or in the app and pays for it in points (<see cref="MemberBook.ChooseVoucher"/>).
/// </summary>
internal static class VoucherChoice
{
    /// <summary>Issues a voucher of <paramref name="value"/> with id <paramref name="operationId"/>, its points deducted.</summary>
    public static Result<Transition> Choose(MemberState state, CompiledProgram program, string operationId, decimal value, DateOnly on)
    {
        var rules = program.Definition.Vouchers;
        if (rules.Denominations.Count == 0)
            return Result<Transition>.Fail(ErrorCodes.VoucherNoDenominations, "value", "This program has no vouchers to choose at the till.");
        var denomination = rules.Denominations.FirstOrDefault(d => d.Value == value);
        if (denomination is null)
            return Result<Transition>.Fail(ErrorCodes.VoucherUnknownDenomination, "value",
                $"{value} {program.Currency} is not a denomination; choose one of {string.Join(", ", rules.Denominations.Select(d => d.Value))}.");
        var work = new MemberWork(state, program);
        work.AdvanceTo(on);
        if (work.Balance < denomination.Points)
            return Result<Transition>.Fail(ErrorCodes.InsufficientPoints, "value",
                $"A {value} {program.Currency} voucher costs {denomination.Points} points; the balance is {work.Balance}.");
        if (!work.HasRoom)
            return Result<Transition>.Fail(ErrorCodes.VoucherTooManyOpen, "value", $"The member already has {rules.MaxOpen} open vouchers; redeem one first.");
        work.IssueVoucher(operationId, on, operationId, VoucherSource.Chosen, denomination.Value, rules.ValidDays, denomination.Points);
        return work.ToTransition(operationId, -denomination.Points);
    }
}
