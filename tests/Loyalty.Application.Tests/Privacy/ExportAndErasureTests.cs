using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Loyalty.Core.Application;
using Loyalty.Core.Application.MemberAuth;
using Loyalty.Core.Application.Ports;
using Loyalty.Core.Application.Privacy;
using Loyalty.Core.Application.Receipts;
using Loyalty.Core.Members;
using Loyalty.Core.Serialization;
using Loyalty.Storage.Queues;
using Loyalty.Storage.Tables;
using Loyalty.Testing;
using Xunit;

namespace Loyalty.Application.Tests.Privacy;

/// <summary>GDPR export and erasure against real Azurite: every kind of record a member has, and no trace after erasure.</summary>
public class ExportAndErasureTests : LoyaltyStorageTest
{
    private const string Phone = "070-123 45 67";
    private const string Email = "Astrid.Lindgren@Example.com";
    private const string CampaignOperation = "campaign:spring:20260301T1000";

    private IPrivacyService Privacy => Services.Privacy;

    [Fact]
    public async Task The_export_holds_every_kind_of_record_kept_about_the_member_and_nothing_of_anyone_else()
    {
        var (programId, astrid, bob) = await SeedAsync();

        var exported = Ok(await Privacy.ExportAsync(await Services.ProgramAsync(programId), astrid, "key-admin", "case 4711", default));
        var document = JsonNode.Parse(exported.Content.Span)!;

        Assert.Equal(MemberExport.DocumentType, (string?)document["type"]);
        var profile = document["profile"]!;
        Assert.Equal(("Astrid", "Lindgren", "+46701234567", "astrid.lindgren@example.com", "1907-11-14", bob),
            ((string?)profile["firstName"], (string?)profile["lastName"], (string?)profile["phone"], (string?)profile["email"], (string?)profile["birthDate"],
                (string?)profile["householdId"]));
        Assert.Equal(["card", "email", "external", "phone"], Strings(document["identities"], "kind").Order());
        Assert.Equal([("email", true, "enrolment"), ("sms", false, "enrolment"), ("sms", true, "member")],
            document["consentHistory"]!.AsArray().Select(c => ((string)c!["channel"]!, (bool)c["granted"]!, (string)c["source"]!)));
        Assert.Equal(["parked-1", "q-1", "web-1"], Strings(document["receipts"], "receiptId").Order());
        Assert.Equal(["parked-1", "q-1", "return-1", "return-2", "web-1"], Strings(document["rawReceipts"], "receiptId").Order());
        // A receipt applied alone keeps its raw payload in the member's partition, committed with it; the others in blobs.
        var web = document["rawReceipts"]!.AsArray().Single(r => (string)r!["receiptId"]! == "web-1")!;
        Assert.Equal(Storage.Names.Members, ((string)web["archive"]!).Split('/')[0]);
        Assert.Equal("web-4711", (string?)web["payload"]!["member"]!["externalId"]);
        Assert.DoesNotContain("q-2", Encoding.UTF8.GetString(exported.Content.Span));
        Assert.Contains("070-123 45 67", document["rawReceipts"]!.ToJsonString());
        Assert.NotEmpty(document["ledger"]!.AsArray());
        Assert.Contains(document["ledger"]!.AsArray(), e => (string?)e!["kind"] == "stampsAdded");
        Assert.Contains(CampaignOperation, Strings(document["operations"], "id"));
        Assert.Contains("welcome", Strings(document["state"]!["vouchers"], "id"));
        Assert.Equal(2, (int)document["state"]!["stampCards"]![0]!["stamps"]!);
        Assert.Equal(["return-1", "return-2"], document["parkedReceipts"]!.AsArray().Select(p => (string)p!["receipt"]!["id"]!).Order());
        Assert.Equal(["member.export", "member.read", "member.read"], Strings(document["audit"], "action").Order());
        Assert.Null(document["erasure"]);

        Assert.StartsWith($"{Storage.Names.ExportsContainer}/{programId}/{astrid}/", exported.Location, StringComparison.Ordinal);
        var kept = (await Account.GetContainer(Storage.Names.ExportsContainer).GetBlobClient(exported.Location[(Storage.Names.ExportsContainer.Length + 1)..])
            .DownloadContentAsync()).Value;
        Assert.Equal(exported.Content.ToArray(), kept.Content.ToArray());
    }

    [Fact]
    public async Task Erasure_leaves_no_trace_of_the_person_keeps_the_points_frees_the_identifiers_and_is_a_no_op_the_second_time()
    {
        var (programId, astrid, _) = await SeedAsync();
        var card = Ok(await Members.GetAsync(await Services.ProgramAsync(programId), astrid, default)).Profile.CardNumber;
        Ok(await Privacy.ExportAsync(await Services.ProgramAsync(programId), astrid, "key-admin", null, default));
        // Identifiers as people write them, not as they are stored.
        var printedCard = string.Join(" ", card.Chunk(4).Select(c => new string(c)));
        await Privacy.RecordReadAsync(programId, astrid, "key-admin", "member.read", "callback 070-123 45 67", default);
        await Privacy.RecordReadAsync(programId, astrid, "key-admin", "member.read", $"card {printedCard}, +46 (0)70 123 45 67", default);
        await Privacy.RecordReadAsync(programId, astrid, "key-admin", "member.read", "mail ASTRID.LINDGREN@EXAMPLE.COM", default);
        var points = await ProgramBalanceAsync(programId);

        var erased = Ok(await Privacy.EraseAsync(await Services.ProgramAsync(programId),
            astrid, "GDPR request 2026-17 from Astrid, 0046-70-1234567", "key-admin", default));

        Assert.Equal(("GDPR request 2026-17 from [erased], [erased]", "key-admin", Start.AddMinutes(1)), (erased.Reason, erased.ErasedBy, erased.ErasedAt));
        Assert.Equal([IdentityKind.Card, IdentityKind.Phone, IdentityKind.Email, IdentityKind.External], erased.IdentitiesFreed);
        Assert.Equal((3, 2, 1, 4), (erased.ReceiptArchivesRewritten, erased.ParkedReceiptsRemoved, erased.ExportsDeleted, erased.AuditEntriesScrubbed));
        Assert.Empty(erased.CampaignExports);
        await AssertNoTraceAsync(Phone, "+46701234567", "0701234567", "70 123 45 67", Email, "Astrid", "Lindgren", "1907-11-14", "web-4711", card, printedCard);
        Assert.Equal(points, await ProgramBalanceAsync(programId));

        // Gone for every business purpose, identifiers free for anyone; receipts and ledger kept for the accounts.
        Failed(await Members.GetAsync(await Services.ProgramAsync(programId), astrid, default), ApplicationErrors.MemberNotFound);
        Failed(await Members.IdentifyAsync(await Services.ProgramAsync(programId),
            new MemberIdentifier { Phone = Phone }, default), ApplicationErrors.MemberNotFound);
        Failed(await Members.IdentifyAsync(await Services.ProgramAsync(programId),
            new MemberIdentifier { Email = Email }, default), ApplicationErrors.MemberNotFound);
        Failed(await Members.ChooseVoucherAsync(await Services.ProgramAsync(programId), astrid, "after", 100m, default), ApplicationErrors.MemberNotFound);
        var key = new MemberKey(programId, 4, astrid);
        var stored = (await Port<IMemberStore>().GetAsync(key, default))!;
        Assert.Equal((null, "", null, (DateOnly?)null),
            (stored.Profile.HouseholdId, stored.Profile.CardNumber, stored.Profile.FirstName, stored.State.Birthday));
        Assert.All(stored.Profile.Consents.Values, c => Assert.False(c.Granted));
        Assert.Equal(3, (await Port<IMemberHistory>().ListReceiptsAsync(key, 50, null, default)).Items.Count);
        Assert.Contains(await Port<IPrivacyStore>().ListConsentHistoryAsync(key, default), c => c is { Channel: ConsentChannel.Email, Granted: false,
            Source: "erasure" });

        // The trail is ordered by time; entries of one instant have no order of their own.
        Clock.Advance(TimeSpan.FromMinutes(1));
        var again = Ok(await Privacy.EraseAsync(await Services.ProgramAsync(programId), astrid, "a second request", "key-other", default));
        Assert.Equal(Json(erased), Json(again));
        Assert.Equal(stored.ConcurrencyToken, (await Port<IMemberStore>().GetAsync(key, default))!.ConcurrencyToken);
        // Each request is on the trail with its own reason.
        Assert.Equal(["a second request", erased.Reason],
            Ok(await Privacy.ListAuditAsync(await Services.ProgramAsync(programId),
                astrid, new PageRequest(), default)).Items.Where(e => e.Action == "member.erasure")
                .Select(e => e.Reason));

        var newcomer = await EnrolAsync(programId, new EnrolMember { Phone = Phone, Email = Email, ExternalId = "web-4711", CardNumber = card });
        Assert.NotEqual(astrid, newcomer.Profile.MemberId);
        var leftover = JsonNode.Parse(Ok(await Privacy.ExportAsync(await Services.ProgramAsync(programId), astrid, "key-admin", null, default)).Content.Span)!;
        Assert.Equal(Json(erased), Json(System.Text.Json.JsonSerializer.Deserialize<ErasureRecord>(leftover["erasure"], StrictJson.Options)!));
        Assert.Empty(leftover["identities"]!.AsArray());
    }

    [Fact]
    public async Task Erasure_of_an_unknown_member_or_without_a_reason_is_refused()
    {
        var programId = await CreateProgramAsync();
        var member = (await EnrolAsync(programId)).Profile.MemberId;

        Failed(await Privacy.EraseAsync(await Services.ProgramAsync(programId),
            "nosuchmember", "request 1", "key-admin", default), ApplicationErrors.MemberNotFound);
        Failed(await Privacy.EraseAsync(await Services.ProgramAsync(programId), member, " ", "key-admin", default), Core.Validation.ErrorCodes.Required);
        Failed(await Privacy.ExportAsync(await Services.ProgramAsync(programId), "nosuchmember", "key-admin", null, default), ApplicationErrors.MemberNotFound);
        Assert.Empty(Ok(await Privacy.ListAuditAsync(await Services.ProgramAsync(programId), member, new PageRequest(), default)).Items);
    }

    /// <summary>
    /// Astrid, with one of everything: a purchase parked before she enrolled and applied at enrolment, a return parked
    /// under her e-mail that her account refused (it waits for an operator), a return from the queue waiting for its
    /// purchase (parked under the purchase, not under her), enrolment with consents and the welcome
    /// voucher, a POS message carrying her receipt and Bob's, a web-shop purchase (its raw payload in her partition), stamps,
    /// a consent change, a campaign delivery, audit entries (one quoting her name), a household link to Bob and a one-time
    /// code (delivered, as the sender would).
    /// </summary>
    private async Task<(string ProgramId, string Astrid, string Bob)> SeedAsync()
    {
        var programId = await CreateDemoProgramAsync();
        var receipts = Services.Receipts;
        var parked = Purchase("parked-1", new MemberIdentifier { Phone = Phone }, ("food-1", "pet-food", 1, 199m));
        var refused = Return("return-1", "never-sold", new MemberIdentifier { Email = Email }, ("food-1", "pet-food", -1, -199m));
        Assert.Equal(ReceiptStatus.Parked, Ok(await receipts.SubmitAsync(await Services.ProgramAsync(programId), parked, Payload(parked), default)).Status);
        Assert.Equal(ReceiptStatus.Parked, Ok(await receipts.SubmitAsync(await Services.ProgramAsync(programId), refused, Payload(refused), default)).Status);

        var bob = (await EnrolAsync(programId, new EnrolMember { FirstName = "Bob", Phone = "0709998877" })).Profile.MemberId;
        var astrid = (await EnrolAsync(programId, new EnrolMember
        {
            FirstName = "Astrid",
            LastName = "Lindgren",
            Phone = Phone,
            Email = Email,
            ExternalId = "web-4711",
            BirthDate = new DateOnly(1907, 11, 14),
            Consents = new Dictionary<ConsentChannel, bool> { [ConsentChannel.Email] = true, [ConsentChannel.Sms] = false },
            HouseholdOf = bob,
        })).Profile.MemberId;

        var message = new ReceiptMessage
        {
            Type = ReceiptMessage.MessageType,
            ProgramId = programId,
            Receipts =
            [
                Purchase("q-1", new MemberIdentifier { Phone = Phone }, ("food-2", "pet-food", 1, 249m), ("toy-1", "toys", 1, 89m)),
                Purchase("q-2", new MemberIdentifier { Phone = "0709998877" }, ("toy-2", "toys", 1, 59m)),
            ],
        };
        var archived = await receipts.ArchiveAsync(await Services.ProgramAsync(programId),
            "queue-m1", Encoding.UTF8.GetBytes(LoyaltyJson.Serialize(message)), default);
        foreach (var receipt in message.Receipts)
            Assert.Equal(ReceiptStatus.Applied, Ok(await receipts.ApplyAsync(await Services.ProgramAsync(programId), receipt, archived, default)).Status);
        var early = Return("return-2", "still-coming", new MemberIdentifier { Phone = Phone }, ("toy-9", "toys", -1, -89m));
        var waiting = await receipts.ArchiveAsync(await Services.ProgramAsync(programId),
            "queue-m2", Encoding.UTF8.GetBytes(LoyaltyJson.Serialize(new ReceiptMessage
        {
            Type = ReceiptMessage.MessageType, ProgramId = programId, Receipts = [early],
        })), default);
        Assert.Equal(ReceiptStatus.Parked, Ok(await receipts.ApplyAsync(await Services.ProgramAsync(programId), early, waiting, default)).Status);
        var web = Purchase("web-1", new MemberIdentifier { ExternalId = "web-4711" }, ("toy-3", "toys", 1, 99m));
        Assert.Equal(ReceiptStatus.Applied, Ok(await receipts.SubmitAsync(await Services.ProgramAsync(programId), web, Payload(web), default)).Status);

        Clock.Advance(TimeSpan.FromMinutes(1));
        Ok(await Services.SelfService.UpdateContactAsync(await Services.ProgramAsync(programId), astrid,
            new UpdateContact { Consents = new Dictionary<ConsentChannel, bool> { [ConsentChannel.Sms] = true } }, "203.0.113.7", default));
        await RecordCampaignDeliveryAsync(new MemberKey(programId, 4, astrid));
        await Privacy.RecordReadAsync(programId, astrid, "key-admin", "member.read", "case 4711", default);
        await Privacy.RecordReadAsync(programId, astrid, "key-admin", "member.read", "call from Astrid Lindgren", default);
        Ok(await Services.MemberAuth.RequestCodeAsync(await Services.ProgramAsync(programId), new CodeRequest { Email = Email }, "203.0.113.7", default));
        await DrainNotificationsAsync();
        return (programId, astrid, bob);
    }

    /// <summary>What the campaign fan-out writes when a campaign reaches a member: an operation record "campaign:…".</summary>
    private async Task RecordCampaignDeliveryAsync(MemberKey key)
    {
        var member = (await Port<IMemberStore>().GetAsync(key, default))!;
        var outcome = new Outcome { OperationId = CampaignOperation, MemberId = key.MemberId, TierBefore = member.State.Tier, TierAfter = member.State.Tier,
            Balance = member.State.Balance };
        var write = new MemberWrite(member.Profile, member.State, member.Activity, Start, member.ReviewOn, new OperationRecord(CampaignOperation, outcome));
        Assert.Equal(CommitResult.Committed, await Port<IMemberStore>().CommitAsync(key, write, member.ConcurrencyToken, default));
    }

    /// <summary>The program's points: the sum of every member's balance, read from the profiles' flattened column.</summary>
    private async Task<long> ProgramBalanceAsync(string programId)
    {
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey gt {programId + "|"} and PartitionKey lt {programId + "}"} and RowKey gt {"p|"} and RowKey lt {"p}"}");
        var sum = 0L;
        await foreach (var row in Account.GetTable(Storage.Names.Members).QueryAsync<TableEntity>(filter))
            sum += row.GetInt64("Balance") ?? 0;
        return sum;
    }

    /// <summary>Every table, container and queue of this test's storage, listed from the account (so ones added later are covered too), searched for each
    /// value.</summary>
    private async Task AssertNoTraceAsync(params string[] values)
    {
        var prefix = Storage.Names.Programs[..^"Programs".Length];
        var lowerPrefix = Storage.Names.ReceiptsContainer[..^"receipts".Length];
        var found = new List<string>();
        void Search(string where, string text) =>
            found.AddRange(values.Where(v => text.Contains(v, StringComparison.OrdinalIgnoreCase)).Select(v => $"'{v}' in {where}"));

        var tables = await Account.Tables.QueryAsync(TableClient.CreateQueryFilter($"TableName ge {prefix} and TableName lt {prefix + "{"}"))
            .Select(t => t.Name).ToListAsync();
        Assert.Contains(Storage.Names.MemberAuth, tables);
        foreach (var table in tables)
            await foreach (var row in Account.GetTable(table).QueryAsync<TableEntity>())
            {
                // Binary columns (a raw receipt's payload) as the text they hold.
                var columns = row.Select(p => p.Value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : p.Value);
                Search($"{table} {row.PartitionKey}/{row.RowKey}", $"{row.PartitionKey} {row.RowKey} {string.Join(" ", columns)}");
            }
        var containers = await Account.Blobs.GetBlobContainersAsync(prefix: lowerPrefix).Select(c => c.Name).ToListAsync();
        Assert.Contains(Storage.Names.ExportsContainer, containers);
        foreach (var name in containers)
        {
            var container = Account.GetContainer(name);
            await foreach (var blob in container.GetBlobsAsync())
                Search($"{name}/{blob.Name}", (await container.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToString());
        }
        var queues = await Account.Queues.GetQueuesAsync(prefix: lowerPrefix).Select(q => q.Name).ToListAsync();
        Assert.Contains(Storage.Names.NotificationsQueue, queues);
        foreach (var queue in queues)
            foreach (var message in (await Account.GetQueue(queue).PeekMessagesAsync(32)).Value)
                Search($"{queue} message {message.MessageId}", message.DecodedBody().ToString());

        Assert.True(found.Count == 0, string.Join("\n", found));
    }

    private static IEnumerable<string> Strings(JsonNode? array, string property) => array!.AsArray().Select(item => (string)item![property]!);

    private static string Json(ErasureRecord record) => System.Text.Json.JsonSerializer.Serialize(record, StrictJson.Options);
}
