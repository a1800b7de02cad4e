using Loyalty.Core.Programs;
using Loyalty.Core.Segments;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Campaigns;

/// <summary>
/// A valid campaign with its segment and message compiled once per run, for a fan-out over every member:
/// <see cref="Targets"/> allocates nothing, <see cref="DispatchFor"/> only the rendered message and the dispatch.
/// </summary>
public sealed class CompiledCampaign
{
    private readonly string currency;

    private CompiledCampaign(CampaignDefinition definition, CompiledSegment segment, MessageTemplate template, string currency)
    {
        Definition = definition;
        Segment = segment;
        Template = template;
        this.currency = currency;
    }

    public CampaignDefinition Definition { get; }
    public CompiledSegment Segment { get; }
    public MessageTemplate Template { get; }

    /// <param name="storedSegment">The definition behind <see cref="CampaignDefinition.SegmentId"/>; required when the campaign names one.</param>
    public static Result<CompiledCampaign> Compile(CampaignDefinition definition, CompiledProgram program, SegmentDefinition? storedSegment = null)
    {
        var errors = CampaignValidator.Validate(definition, program);
        if (errors.Count > 0) return Result<CompiledCampaign>.Fail(errors);
        if ((definition.Segment ?? storedSegment) is not { } segmentDefinition)
            return Result<CompiledCampaign>.Fail(ErrorCodes.Required, "segmentId",
                $"Segment '{definition.SegmentId}' was not given to compile the campaign with.");
        var segment = CompiledSegment.Compile(segmentDefinition, program);
        if (!segment.IsValid) return Result<CompiledCampaign>.Fail(segment.Errors);
        var template = MessageTemplate.Parse(definition.Message.Text, definition.Offer.Kind, "message.text").Value;
        return new CompiledCampaign(definition, segment.Value, template, program.Currency);
    }

    /// <summary>
    /// Whether the member gets this campaign: in the segment and consenting to the message's channel. Without
    /// consent nobody is messaged, and an offer nobody is told about is not given either.
    /// </summary>
    public bool Targets(MemberFacts member, DateOnly today) => member.HasConsent(Definition.Message.Channel) && Segment.Matches(member, today);

    /// <summary>The dispatch of run <paramref name="runId"/> to a member, with the message rendered for them.</summary>
    public CampaignDispatch DispatchFor(MemberFacts member, string runId, DateOnly on) => new(
        Definition.CampaignId,
        runId,
        on,
        Definition.Offer,
        Definition.Message.Channel,
        Template.Render(member, Definition.Offer, currency, on));
}
