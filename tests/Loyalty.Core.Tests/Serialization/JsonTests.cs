using System.Text.Json;
using System.Text.Json.Serialization;
using Loyalty.Core.Members;
using Loyalty.Core.Programs;
using Loyalty.Core.Receipts;
using Loyalty.Core.Serialization;
using Loyalty.Core.Vouchers;
using static Loyalty.Core.Tests.Seeds;

namespace Loyalty.Core.Tests;

public class JsonTests
{
    /// <summary>What the HTTP API reads bodies with (Loyalty.Api's JsonBody): stored definitions must pass it unchanged.</summary>
    private static readonly JsonSerializerOptions Strict = CreateStrict();

    private static ProgramDefinition Rich() => Ladder() with
    {
        WelcomeReward = new Reward { Value = 50m, ValidDays = 30, FreeItem = new LineSelector { Categories = ["toys"], Skus = ["sku-1"] } },
        Earn = Ladder().Earn with { CategoryMultipliers = new Dictionary<string, decimal> { ["pet-food"] = 2m }, ExcludedSkus = ["gift-card"] },
    };

    [Fact]
    public void A_program_definition_round_trips_in_camel_case_with_enums_as_strings()
    {
        var json = LoyaltyJson.Serialize(Rich());

        Assert.Contains("\"tierPolicy\":\"holdThroughNextPeriod\"", json);
        Assert.Contains("\"qualification\":{\"kind\":\"calendarYear\",\"months\":12}", json);
        Assert.Contains("\"rule\":\"perItem\"", json);
        Assert.Equal(json, LoyaltyJson.Serialize(LoyaltyJson.Deserialize<ProgramDefinition>(json)));
        Assert.Equal(json, LoyaltyJson.Serialize(JsonSerializer.Deserialize<ProgramDefinition>(json, Strict)));
        Assert.True(CompiledProgram.Compile(LoyaltyJson.Deserialize<ProgramDefinition>(json)).IsValid);
    }

    [Fact]
    public void Member_state_and_operation_records_round_trip()
    {
        var catalog = Catalog(Till());
        var program = catalog.Latest;
        var purchase = Enrol(program).Apply(Purchase("r1", At(2026, 3, 1), Line(10_000m), Bags(2)), catalog);
        var chosen = purchase.Book.ChooseVoucher(program, "req-1", 400m, new DateOnly(2026, 3, 2)).Value;

        var state = chosen.Book.State;
        Assert.Equal(LoyaltyJson.Serialize(state), LoyaltyJson.Serialize(LoyaltyJson.Deserialize<MemberState>(LoyaltyJson.Serialize(state))));
        var restored = LoyaltyJson.Deserialize<MemberState>(LoyaltyJson.Serialize(state));
        Assert.Equal((state.Balance, state.Vouchers[0], state.StampCards[0]), (restored.Balance, restored.Vouchers[0], restored.StampCards[0]));
        Assert.Equal(state.Lots.ToArray(), restored.Lots.ToArray());

        var record = chosen.Book.Records["r1"];
        var json = LoyaltyJson.Serialize(record);
        var back = LoyaltyJson.Deserialize<OperationRecord>(json);
        Assert.Equal(json, LoyaltyJson.Serialize(back));
        Assert.Equal(record.Purchase!.Lines.ToArray(), back.Purchase!.Lines.ToArray());
        Assert.Equal(VoucherSource.Chosen, LoyaltyJson.Deserialize<OperationRecord>(LoyaltyJson.Serialize(chosen.Book.Records["till:req-1"]))
            .Outcome.VouchersIssued[0].Source);
    }

    private static JsonSerializerOptions CreateStrict()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            NumberHandling = JsonNumberHandling.Strict,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        return options;
    }
}
