using Loyalty.Core.Application.Jobs;

namespace Loyalty.Core.Application.Ports;

/// <summary>What a job run counts for one member write (<see cref="MemberWrite.Tally"/>).</summary>
public sealed record JobTally(JobKey Job, JobCounts Counts);
