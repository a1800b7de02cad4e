using Loyalty.Core.Application;
using Loyalty.Core.Members;

namespace Loyalty.Core.Campaigns;

/// <summary>
/// One campaign run reaching one member (see <see cref="MemberBook.ReceiveCampaign"/>). The operation id
/// "campaign:{campaignId}:{runId}" makes a redelivered or resumed fan-out a replay, so each member gets each run once.
/// </summary>
/// <param name="Message">Already rendered for this member.</param>
public sealed record CampaignDispatch(string CampaignId, string RunId, DateOnly On, Offer Offer, ConsentChannel Channel, string Message)
{
    public const string OperationPrefix = "campaign:";

    public string OperationId => $"{OperationPrefix}{CampaignId}:{RunId}";

    /// <summary>The campaign and run an operation id names, if it is a campaign delivery's (ids contain no ':').</summary>
    public static bool TryParseOperation(string operationId, out string campaignId, out string runId)
    {
        (campaignId, runId) = ("", "");
        if (!operationId.StartsWith(OperationPrefix, StringComparison.Ordinal)) return false;
        var parts = operationId[OperationPrefix.Length..].Split(':');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0) return false;
        (campaignId, runId) = (parts[0], parts[1]);
        return true;
    }
}
