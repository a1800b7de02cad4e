using Loyalty.Core.Application;
using Loyalty.Core.Application.Receipts;
using Loyalty.Core.Application.Campaigns;
using Loyalty.Core.Application.Demo;
using Loyalty.Core.Application.Jobs;
using Loyalty.Core.Application.MemberAuth;
using Loyalty.Core.Application.Privacy;
using Loyalty.Core.Application.Statistics;
using Loyalty.Storage.Repositories;
using Microsoft.Extensions.DependencyInjection;

namespace Loyalty.Testing;

/// <summary>The services tests call most, by a short name, out of a container the hosts' way (<c>Services.Members</c>).</summary>
public static class LoyaltyServiceNames
{
    extension(IServiceProvider services)
    {
        public IMemberService Members => services.GetRequiredService<IMemberService>();
        public IProgramService Programs => services.GetRequiredService<IProgramService>();
        public IApiKeyService ApiKeys => services.GetRequiredService<IApiKeyService>();
        public IReceiptService Receipts => services.GetRequiredService<IReceiptService>();
        public OutboxSweep Outbox => services.GetRequiredService<OutboxSweep>();
        public NightlyReview Nightly => services.GetRequiredService<NightlyReview>();
        public IMemberAuthService MemberAuth => services.GetRequiredService<IMemberAuthService>();
        public IPrivacyService Privacy => services.GetRequiredService<IPrivacyService>();
        public ISelfService SelfService => services.GetRequiredService<ISelfService>();
        public ICampaignService Campaigns => services.GetRequiredService<ICampaignService>();
        public CampaignScheduler CampaignScheduler => services.GetRequiredService<CampaignScheduler>();
        public DemoData Demo => services.GetRequiredService<DemoData>();
        public JobRestarts Restarts => services.GetRequiredService<JobRestarts>();
        public IFiguresService Figures => services.GetRequiredService<IFiguresService>();
        public LoyaltyStorage Storage => services.GetRequiredService<LoyaltyStorage>();

        /// <summary>
        /// The program as a request's edge resolves it, through this container's cache: called after a publish through
        /// the same container, it has the new version, as the next request would.
        /// </summary>
        public async Task<LoadedProgram> ProgramAsync(string programId) =>
            await services.GetRequiredService<ProgramCache>().GetAsync(programId, default)
            ?? throw new InvalidOperationException($"The test's program '{programId}' does not exist.");
    }
}
