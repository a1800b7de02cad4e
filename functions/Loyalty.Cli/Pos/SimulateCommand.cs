using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics;
using System.Globalization;
using Loyalty.Core.Application.Receipts;
using Loyalty.Core.Programs;
using Loyalty.Core.Application.Ports;
using Loyalty.Hosting;
using Loyalty.Storage.Queues;
using Loyalty.Storage.Repositories;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using static Loyalty.Cli.Failure;

namespace Loyalty.Cli.Pos;

/// <summary>
/// <c>loyalty pos simulate</c>: realistic till traffic on the receipts queue, its throughput, and (with --verify)
/// proof that every member ends up with the qualifying points the domain computes.
/// </summary>
internal static class SimulateCommand
{
    public static Command Create(Func<ParseResult, IServiceProvider> backend)
    {
        var program = new Option<string>("--program") { Description = "The program the receipts are for.", DefaultValueFactory = _ => "demo" };
        var receipts = new Option<int>("--receipts") { Description = "Receipts to send, returns and duplicates included.",
            DefaultValueFactory = _ => 10_000 }.AtLeast(1);
        var rate = new Option<double>("--rate") { Description = "Receipts per second to aim at; 0 sends as fast as --max-depth allows.",
            DefaultValueFactory = _ => 0 }.AtLeast(0);
        var batch = new Option<int>("--batch") { Description = $"Receipts per message (at most {ReceiptMessage.MaxReceipts}, fewer when a message would " +
            $"exceed {QueueBodies.MaxBodyBytes / 1024} KiB).", DefaultValueFactory = _ => 50 }.Between(1, ReceiptMessage.MaxReceipts);
        var returns = new Option<double>("--returns") { Description = "Share of receipts that return some lines of an earlier purchase.",
            DefaultValueFactory = _ => 0.05 }.Between(0, 1);
        var duplicates = new Option<double>("--duplicates") { Description = "Share of receipts re-sent verbatim in a later message.",
            DefaultValueFactory = _ => 0.02 }.Between(0, 1);
        var members = new Option<int>("--members") { Description = "Demo members 1..M the buyers are drawn from (phone +4670{n:D7} or member{n}@example.com).",
            DefaultValueFactory = _ => 3_000 }.AtLeast(1);
        var maxDepth = new Option<int>("--max-depth") { Description = "Messages the receipts queue may hold; sending pauses at this depth (Azurite " +
            "slows down steeply with depth).", DefaultValueFactory = _ => 200 }.AtLeast(1);
        var seed = new Option<int?>("--seed") { Description = "Seed for the baskets; a run prints its seed so it can be reproduced." };
        var verify = new Option<bool>("--verify") { Description = "Compare every targeted member's qualifying points with what the domain computes; exit 1 " +
            "on any difference or new poison message (--verify false skips it).", DefaultValueFactory = _ => true };
        var timeout = new Option<TimeSpan>("--timeout")
        {
            Description = "Give up when the queue has not shrunk for this long while waiting for it (no worker running?): 90s, 10m, 1h or hh:mm:ss.",
            DefaultValueFactory = _ => TimeSpan.FromMinutes(5),
            CustomParser = ParseDuration,
        };
        var command = new Command("simulate", "Send realistic till receipts to the receipts queue, watch it drain, report throughput and verify the points.")
        {
            program, receipts, rate, batch, returns, duplicates, members, maxDepth, seed, verify, timeout,
        };
        var serviceBus = new ServiceBusTarget.Options(command);
        command.Validators.Add(result =>
        {
            if (result.GetValue(returns) + result.GetValue(duplicates) > 1) result.AddError("--returns and --duplicates add up to more than all receipts.");
            // A sender with the Data Sender role cannot read a Service Bus queue's depth, so there is nothing to pause on or wait for.
            if (!serviceBus.Chosen(result)) return;
            foreach (var watching in new Option[] { maxDepth, timeout }.Where(o => result.GetResult(o) is { Implicit: false }))
                result.AddError($"{watching.Name} watches the storage queue; with Service Bus the simulator only sends.");
            if (result.GetResult(verify) is { Implicit: false } && result.GetValue(verify))
                result.AddError("--verify needs the queue drained, which a Service Bus sender cannot see; leave it out (it is off with Service Bus).");
        });
        command.SetAction((parse, ct) =>
        {
            var target = serviceBus.Get(parse);
            return RunAsync(backend(parse), target, new Settings(
                parse.GetValue(program)!, parse.GetValue(receipts), parse.GetValue(rate), parse.GetValue(batch), parse.GetValue(returns),
                parse.GetValue(duplicates), parse.GetValue(members), parse.GetValue(maxDepth), parse.GetValue(seed) ?? Random.Shared.Next(),
                parse.GetValue(verify) && target is null, parse.GetValue(timeout)), ct);
        });
        return command;
    }

    /// <param name="serviceBus">Null for the storage queue. The program still comes from storage: the baskets need its currency and time zone.</param>
    private static async Task<int> RunAsync(IServiceProvider services, ServiceBusTarget? serviceBus, Settings settings, CancellationToken cancellationToken)
    {
        var storage = services.GetRequiredService<LoyaltyStorage>();
        await storage.EnsureCreatedAsync(cancellationToken);
        if (await services.GetRequiredService<IProgramStore>().GetAsync(settings.ProgramId, cancellationToken) is not { } stored)
            return Fail($"There is no program '{settings.ProgramId}'; ./run or 'loyalty demo seed' creates the demo program."
                + (serviceBus is null ? "" : " With Service Bus the program is read from the deployment's storage: give --storage or " +
                    "the Storage__* variables for it."));
        var catalog = ProgramCatalog.Create(stored.Versions).Value;
        var now = TimeProvider.System.GetUtcNow();
        var earliest = Earliest(now, catalog.Latest.TimeZone, stored.Versions[0].EffectiveFrom);
        if (earliest > now) return Fail($"Program '{settings.ProgramId}' takes effect at {earliest:O}; receipts from before then earn nothing.");

        var random = new Random(settings.Seed);
        var runId = Guid.NewGuid().ToString("N")[..8];
        var baskets = new BasketGenerator(random, settings.Members, catalog.Latest.Currency, earliest, now, catalog.Latest.TimeZone);
        var plan = SimulationPlan.Build(settings.ProgramId, runId, settings.Receipts, settings.Batch, settings.Returns, settings.Duplicates, random, baskets);
        Describe(plan, settings, runId);
        if (serviceBus is not null)
            return await SendToServiceBusAsync(serviceBus, plan, settings, cancellationToken);

        ExpectedPoints? expected = null;
        if (settings.Verify)
        {
            expected = await AnsiConsole.Status().StartAsync("Reading the targeted members…",
                _ => ExpectedPoints.PrepareAsync(
                    services.GetRequiredService<IIdentityStore>(), services.GetRequiredService<IMemberStore>(),
                    stored.Settings, catalog, plan, now, cancellationToken));
            AnsiConsole.MarkupLine($"Verifying {expected.Members:N0} members: +{expected.QualifyingGained:N0} qualifying points expected in total.");
            if (expected.UnknownIdentifiers > 0)
                AnsiConsole.MarkupLine($"[yellow]{expected.UnknownIdentifiers:N0} identifiers belong to no member: their receipts are parked, not " +
                    "applied, and not verified.[/]");
        }

        var poisonBefore = (await storage.ReceiptsPoisonQueue.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
        SendResult sent;
        TimeSpan endToEnd;
        try
        {
            (sent, endToEnd) = await SendAndDrainAsync(new PosSimulator(storage.ReceiptsQueue, settings.Timeout), plan, settings, cancellationToken);
        }
        catch (TimeoutException e)
        {
            return Fail(e.Message);
        }
        var poisonGrew = (await storage.ReceiptsPoisonQueue.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount - poisonBefore;

        AnsiConsole.MarkupLine($"Sent {sent.Receipts:N0} receipts in {sent.Messages:N0} messages in {sent.Elapsed.TotalSeconds:N1} s: " +
            $"[bold]{sent.Receipts / sent.Elapsed.TotalSeconds:N0} receipts/s[/] sent"
            + (sent.Paused > TimeSpan.Zero ? $", of which {sent.Paused.TotalSeconds:N1} s paused at {settings.MaxDepth:N0} queued messages." : "."));
        AnsiConsole.MarkupLine($"Queue drained {endToEnd.TotalSeconds:N1} s after the first send: " +
            $"[bold]{sent.Receipts / endToEnd.TotalSeconds:N0} receipts/s[/] end to end.");
        AnsiConsole.MarkupLine(poisonGrew > 0
            ? $"[red]Poison queue: {poisonGrew:N0} new message{(poisonGrew == 1 ? "" : "s")}.[/]"
            : "Poison queue: no new messages.");
        var verified = expected is null || Report(await expected.CompareAsync(cancellationToken), expected.Members);
        return verified && poisonGrew <= 0 ? 0 : 1;
    }

    private static async Task<(SendResult Sent, TimeSpan EndToEnd)> SendAndDrainAsync(
        PosSimulator simulator, SimulationPlan plan, Settings settings, CancellationToken cancellationToken)
    {
        var result = default((SendResult, TimeSpan));
        await ProgressBars().StartAsync(async context =>
            {
                var sending = context.AddTask("Sending", maxValue: plan.Messages.Sum(m => m.Receipts.Count));
                var clock = Stopwatch.StartNew();
                var sent = await simulator.SendAsync(plan, settings.Rate, settings.MaxDepth, sending, cancellationToken);
                await simulator.DrainAsync(context.AddTask("Draining"), cancellationToken);
                result = (sent, clock.Elapsed);
            });
        return result;
    }

    private static async Task<int> SendToServiceBusAsync(ServiceBusTarget target, SimulationPlan plan, Settings settings, CancellationToken cancellationToken)
    {
        string? failure = null;
        var clock = new Stopwatch();
        await ProgressBars().StartAsync(async context =>
        {
            var sending = context.AddTask("Sending", maxValue: plan.Messages.Sum(m => m.Receipts.Count));
            clock.Start();
            failure = await target.SendAsync(batcher => SendPlanAsync(batcher, plan, settings.ProgramId, settings.Rate, clock, cancellationToken), n =>
                sending.Increment(n), cancellationToken);
            clock.Stop();
            sending.StopTask();
        });
        if (failure is not null) return Fail(failure);
        var receipts = plan.Messages.Sum(m => m.Receipts.Count);
        AnsiConsole.MarkupLine($"Sent {receipts:N0} receipts in {plan.Messages.Count:N0} messages to {Markup.Escape(target.ToString())} in " +
            $"{clock.Elapsed.TotalSeconds:N1} s: [bold]{receipts / clock.Elapsed.TotalSeconds:N0} receipts/s[/] sent.");
        AnsiConsole.MarkupLine("A sender cannot see the queue drain: follow the Functions app, the queue's dead-letter messages and " +
            "receipts-poison (docs/pos-integration.md).");
        return 0;
    }

    /// <summary>
    /// The plan's messages in order, as many to a send as a batch takes. With a <paramref name="rate"/>, what is due goes
    /// out before each pause, so the queue sees the rate rather than bursts of full batches.
    /// </summary>
    internal static async Task SendPlanAsync(
        ServiceBusBatcher batcher, SimulationPlan plan, string programId, double rate, Stopwatch clock, CancellationToken cancellationToken)
    {
        var receipts = 0L;
        foreach (var message in plan.Messages)
        {
            if (PosSimulator.Ahead(receipts, rate, clock.Elapsed) is { Ticks: > 0 } ahead)
            {
                await batcher.FlushAsync(cancellationToken);
                await Task.Delay(ahead, cancellationToken);
            }
            var receiptIds = message.Receipts.Select(r => r.Receipt.Id).ToArray();
            await batcher.AddAsync(
                ServiceBusReceipts.Message(BinaryData.FromString(message.Body), programId, receiptIds), receiptIds.Length, cancellationToken);
            receipts += receiptIds.Length;
        }
        await batcher.FlushAsync(cancellationToken);
    }

    private static Progress ProgressBars() =>
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn());

    /// <returns>True when no member differs.</returns>
    private static bool Report(IReadOnlyList<Mismatch> mismatches, int members)
    {
        if (mismatches.Count == 0)
        {
            AnsiConsole.MarkupLine($"[green]Verified: all {members:N0} members have the qualifying points the domain computes.[/]");
            return true;
        }
        var table = new Table().Title($"[red]{mismatches.Count:N0} of {members:N0} members differ[/]")
            .AddColumns("member", "before", "expected", "actual", "difference");
        foreach (var m in mismatches)
            table.AddRow(Markup.Escape(m.MemberId), $"{m.Before:N0}", $"{m.Expected:N0}", m.Actual is { } actual ? $"{actual:N0}" : "gone", m.Actual is { } a
                ? $"{a - m.Expected:+#,0;-#,0}" : "");
        AnsiConsole.Write(table);
        return false;
    }

    private static void Describe(SimulationPlan plan, Settings settings, string runId)
    {
        var all = plan.Receipts.ToList();
        var returns = all.Count(r => !r.Duplicate && r.Receipt.ReturnOf is not null);
        var duplicates = all.Count(r => r.Duplicate);
        var anonymous = all.Count(r => !r.Duplicate && r.Receipt.Member is null);
        AnsiConsole.MarkupLine($"Run [bold]{runId}[/] (seed {settings.Seed}) for program '{Markup.Escape(settings.ProgramId)}': {all.Count:N0} receipts, "
            + $"{all.Count - returns - duplicates:N0} purchases ({anonymous:N0} anonymous), {returns:N0} returns, {duplicates:N0} duplicates; "
            + $"{plan.Messages.Count:N0} messages of up to {plan.Messages.Max(m => m.Receipts.Count)} receipts, the largest " +
                $"{plan.Messages.Max(m => m.Bytes) / 1024.0:N1} KiB.");
    }

    /// <summary>
    /// A few hours back, but never before today's local midnight (see <see cref="ExpectedPoints"/>: one local day keeps
    /// qualifying points independent of the order the worker applies receipts in) nor before the program existed.
    /// </summary>
    private static DateTimeOffset Earliest(DateTimeOffset now, TimeZoneInfo zone, DateTimeOffset programStart)
    {
        var today = TimeZoneInfo.ConvertTime(now, zone).Date;
        var midnight = new DateTimeOffset(today, zone.GetUtcOffset(today));
        // Whole seconds, as receipt times are: rounding a purchase down must not put it before the program.
        var start = new DateTimeOffset(
            (programStart.UtcTicks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero);
        return new[] { now - TimeSpan.FromHours(3), midnight, start }.Max();
    }

    private static TimeSpan ParseDuration(ArgumentResult result)
    {
        var text = result.Tokens.Single().Value.Trim();
        var unit = text.Length > 0 ? char.ToLowerInvariant(text[^1]) : ' ';
        if (unit is 's' or 'm' or 'h' && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount > 0)
            return unit switch { 's' => TimeSpan.FromSeconds(amount), 'm' => TimeSpan.FromMinutes(amount), _ => TimeSpan.FromHours(amount) };
        // Only hh:mm:ss: TimeSpan would read a bare "600" as 600 days.
        if (text.Contains(':') && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero)
            return span;
        result.AddError($"'{text}' is not a duration; write 90s, 10m, 1h or hh:mm:ss.");
        return default;
    }

    private sealed record Settings(
        string ProgramId, int Receipts, double Rate, int Batch, double Returns, double Duplicates,
            int Members, int MaxDepth, int Seed, bool Verify, TimeSpan Timeout);
}
