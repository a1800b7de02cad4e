using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Loyalty.Core.Application;
using Loyalty.Core.Application.Demo;
using Loyalty.Core.Application.Receipts;
using Loyalty.Core.Events;
using Loyalty.Core.Programs;
using Loyalty.Core.Receipts;
using Loyalty.Core.Serialization;
using Loyalty.Core.Validation;

namespace Loyalty.Core.Tests;

/// <summary>
/// Keeps the integrators' documentation in step with the code: docs/pos-integration.md's examples must be messages
/// the service accepts, and the JSON Schemas in docs/schemas/ must name exactly the fields the C# records read.
/// An example is a ```json block right after a marker line <c>&lt;!-- example: {kind} --&gt;</c>, where kind is
/// <c>loyalty.receipt.v1</c> (a queue message), <c>pos-receipt</c> (an HTTP body) or <c>loyalty.notifications.v1</c> (a
/// notifications queue message).
/// </summary>
public class ReceiptContractTests
{
    private const string MessageExample = ReceiptMessage.MessageType;
    private const string HttpExample = "pos-receipt";
    private const string NotificationExample = NotificationBatch.MessageType;
    private static readonly string[] ExampleKinds = [MessageExample, HttpExample, NotificationExample];

    private static readonly string Docs = Path.Combine(RepositoryRoot(), "docs");

    [Fact]
    public void Receipt_message_examples_in_the_docs_parse_strictly_and_pass_the_receipt_checks()
    {
        var examples = Examples(MessageExample);
        Assert.NotEmpty(examples);
        foreach (var (line, json) in examples)
        {
            var message = ParseStrictly<ReceiptMessage>(json, line);
            Assert.True(message.Type == ReceiptMessage.MessageType, $"pos-integration.md line {line}: type is '{message.Type}'.");
            Assert.InRange(message.Receipts.Count, 1, ReceiptMessage.MaxReceipts);
            for (var i = 0; i < message.Receipts.Count; i++)
                AssertAccepted(message.Receipts[i], $"pos-integration.md line {line}, receipts[{i}]");
        }
    }

    [Fact]
    public void Http_receipt_examples_in_the_docs_parse_strictly_as_one_receipt_and_pass_the_receipt_checks()
    {
        var examples = Examples(HttpExample);
        Assert.NotEmpty(examples);
        foreach (var (line, json) in examples)
            AssertAccepted(ParseStrictly<PosReceipt>(json, line), $"pos-integration.md line {line}");
    }

    [Fact]
    public void The_full_example_shows_a_purchase_with_a_voucher_an_anonymous_sale_and_a_return_of_a_line()
    {
        var receipts = Examples(MessageExample).SelectMany(e => ParseStrictly<ReceiptMessage>(e.Json, e.Line).Receipts).ToList();

        Assert.Contains(receipts, r => r.Vouchers.Count > 0 && r.Member is not null);
        Assert.Contains(receipts, r => r.Member is null);
        var returned = Assert.Single(receipts, r => r.ReturnOf is not null);
        Assert.Contains(receipts, r => r.Id == returned.ReturnOf);
        Assert.Contains(returned.Lines, l => l.OriginalLine is not null);
    }

    [Fact]
    public void Notification_examples_in_the_docs_read_as_notification_messages_with_stable_ids()
    {
        var examples = Examples(NotificationExample);
        Assert.NotEmpty(examples);
        foreach (var (line, json) in examples)
        {
            var message = LoyaltyJson.Deserialize<NotificationBatch>(json);
            var written = JsonNode.Parse(json)!;
            Assert.Equal(NotificationBatch.MessageType, (string?)written["type"]);
            Assert.NotEmpty(message.Notifications);
            for (var i = 0; i < message.Notifications.Count; i++)
            {
                var notification = message.Notifications[i];
                Assert.Equal(notification.Type, (string?)written["notifications"]![i]!["type"]);
                Assert.Equal(notification.Id, (string?)written["notifications"]![i]!["id"]);
                Assert.NotEmpty(notification.Events);
            }
            // Written back, the example has the same fields: none misspelt, none missing.
            Assert.Equal(Fields(JsonNode.Parse(LoyaltyJson.Serialize(message))).Order(), Fields(written).Order());
        }
    }

    [Fact]
    public void Every_example_marker_is_followed_by_a_json_block()
    {
        var lines = File.ReadAllLines(Path.Combine(Docs, "pos-integration.md"));
        for (var i = 0; i < lines.Length; i++)
        {
            if (Marker(lines[i]) is not { } kind) continue;
            Assert.True(ExampleKinds.Contains(kind), $"pos-integration.md line {i + 1}: unknown example kind '{kind}'; use one of " +
                $"{string.Join(", ", ExampleKinds)}.");
            Assert.True(i + 1 < lines.Length && lines[i + 1].Trim() == "```json",
                $"pos-integration.md line {i + 1}: the marker must be followed by a ```json block.");
        }
    }

    public static TheoryData<string, Type> ReceiptSchemaObjects => new()
    {
        { "", typeof(ReceiptMessage) },
        { "receipt", typeof(PosReceipt) },
        { "line", typeof(PosLine) },
        { "memberIdentifier", typeof(MemberIdentifier) },
    };

    [Theory]
    [MemberData(nameof(ReceiptSchemaObjects))]
    public void Receipt_schema_names_exactly_the_record_properties_and_requires_exactly_the_required_members(string definition, Type record)
    {
        var schema = ReceiptSchemaObject(definition);
        var members = JsonMembers(record);
        var properties = schema["properties"]!.AsObject();

        Assert.Equal(members.Select(m => m.Name).Order(), properties.Select(p => p.Key).Order());
        Assert.Equal(members.Where(m => m.Required).Select(m => m.Name).Order(), Strings(schema["required"]).Order());
        // Nullable in C# is nullable on the wire (StrictJson respects nullable annotations), so the schema allows null there and nowhere else.
        Assert.Equal(members.Where(m => m.Nullable).Select(m => m.Name).Order(), properties.Where(p => AllowsNull(p.Value!)).Select(p => p.Key).Order());
        Assert.False((bool)schema["additionalProperties"]!, $"'{definition}' must reject unknown fields, as StrictJson does.");
    }

    [Fact]
    public void Receipt_schema_limits_match_the_code()
    {
        var message = ReceiptSchemaObject("");
        var receipt = ReceiptSchemaObject("receipt");
        var line = ReceiptSchemaObject("line")["properties"]!;

        Assert.Equal(ReceiptMessage.MessageType, (string?)message["properties"]!["type"]!["const"]);
        Assert.Equal(ReceiptMessage.MaxReceipts, (int)message["properties"]!["receipts"]!["maxItems"]!);
        Assert.Equal(ReceiptValidator.MaxLines, (int)receipt["properties"]!["lines"]!["maxItems"]!);
        Assert.Equal(ReceiptValidator.MaxQuantity, (decimal)line["quantity"]!["maximum"]!);
        Assert.Equal(-ReceiptValidator.MaxQuantity, (decimal)line["quantity"]!["minimum"]!);
        Assert.Equal(ReceiptValidator.MaxAmount, (decimal)line["amount"]!["maximum"]!);
        Assert.Equal(-ReceiptValidator.MaxAmount, (decimal)line["amount"]!["minimum"]!);
        Assert.Equal(new[] { "store", "online" }, Strings(receipt["properties"]!["channel"]!["enum"]));
        Assert.Equal(ReceiptValidator.MaxVouchers, (int)receipt["properties"]!["vouchers"]!["maxItems"]!);
        Assert.Equal(ReceiptValidator.MaxTextLength, (int)line["sku"]!["maxLength"]!);
        Assert.Equal(ReceiptValidator.MaxTextLength, (int)line["category"]!["maxLength"]!);
        Assert.Equal(ReceiptValidator.MaxAmount, (decimal)line["unitPrice"]!["maximum"]!);
        Assert.Equal(ReceiptValidator.MaxAmount, (decimal)line["discount"]!["maximum"]!);
    }

    [Fact]
    public void Receipt_schema_ids_are_the_id_grammar()
    {
        var (definitions, coupons) = (ReceiptSchemaObject("id").Parent!, ReceiptSchemaObject("receipt")["properties"]!["coupons"]!["items"]!);
        foreach (var (node, maxLength) in new[] { (definitions["id"]!, Ids.MaxLength), (definitions["voucherId"]!, Ids.MaxVoucherIdLength),
            (coupons, Ids.MaxCodeLength) })
        {
            Assert.Equal(maxLength, (int)node["maxLength"]!);
            var pattern = new System.Text.RegularExpressions.Regex((string)node["pattern"]!);
            foreach (var id in new[] { "s3-t2-20260314-000187", "till:self.a_b", "A", "kampanj-å", "a b", "a/b", "a\u0000", "\u200b", "" })
                Assert.Equal(Ids.IsValid(id, maxLength), pattern.IsMatch(id) && id.Length <= maxLength);
        }
    }

    [Fact]
    public void Notification_schema_names_the_notification_fields_and_every_event_kind_with_its_fields()
    {
        var message = Schema(NotificationExample);
        Assert.Equal(NotificationBatch.MessageType, (string?)message["properties"]!["type"]!["const"]);
        Assert.Equal(Keys(JsonNode.Parse(LoyaltyJson.Serialize(new NotificationBatch([])))!), message["properties"]!.AsObject().Select(p => p.Key).Order());
        var schema = Schema(Notification.MessageType);
        Assert.Equal((string?)schema["$id"], (string?)message["properties"]!["notifications"]!["items"]!["$ref"]);
        var sample = new Notification("p", "m", "o", DateTimeOffset.UnixEpoch, []);
        Assert.Equal(Keys(JsonNode.Parse(LoyaltyJson.Serialize(sample))!), schema["properties"]!.AsObject().Select(p => p.Key).Order());
        Assert.Equal(Notification.MessageType, (string?)schema["properties"]!["type"]!["const"]);

        var kinds = typeof(DomainEvent).GetCustomAttributes<JsonDerivedTypeAttribute>().ToDictionary(a => (string)a.TypeDiscriminator!, a => a.DerivedType);
        var @event = schema["$defs"]!["event"]!;
        Assert.Equal(kinds.Keys.Order(), Strings(@event["properties"]!["kind"]!["enum"]).Order());

        var common = @event["properties"]!.AsObject().Select(p => p.Key).Where(k => k != "kind").ToHashSet();
        var byKind = @event["allOf"]!.AsArray().ToDictionary(
            c => (string)c!["if"]!["properties"]!["kind"]!["const"]!,
            c => schema["$defs"]![((string)c!["then"]!["$ref"]!).Split('/')[^1]]!);
        Assert.Equal(kinds.Keys.Order(), byKind.Keys.Order());
        foreach (var (kind, type) in kinds)
        {
            var members = JsonMembers(type).Where(m => !common.Contains(m.Name)).ToList();
            Assert.True(members.Select(m => m.Name).Order().SequenceEqual(byKind[kind]["properties"]!.AsObject().Select(p => p.Key).Order()),
                $"The schema's fields of '{kind}' are not those of {type.Name}.");
            Assert.True(members.Where(m => !m.Nullable).Select(m => m.Name).Order().SequenceEqual(Strings(byKind[kind]["required"]).Order()),
                $"The schema's required fields of '{kind}' are not the non-nullable ones of {type.Name}.");
        }
    }

    /// <summary>What the service checks before it looks at the member: the line arithmetic and channel of PosReceipts, then ReceiptValidator against the demo
    /// program.</summary>
    private static void AssertAccepted(PosReceipt receipt, string where)
    {
        var problems = new List<string>();
        if (receipt.Channel is not ("store" or "online")) problems.Add($"channel '{receipt.Channel}'");
        foreach (var line in receipt.Lines)
        {
            if (line.Discount < 0) problems.Add($"{line.Sku}: negative discount");
            if (line.UnitPrice is { } price && line.Quantity * price - Math.Sign(line.Quantity) * line.Discount != line.Amount)
                problems.Add($"{line.Sku}: amount {line.Amount} is not quantity × unitPrice ∓ discount");
        }
        var program = CompiledProgram.Compile(DemoProgram.Definition(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero))).Value;
        var domain = new Receipt
        {
            Id = receipt.Id,
            MemberId = "m1",
            StoreId = receipt.StoreId,
            Channel = receipt.Channel,
            PurchasedAt = receipt.PurchasedAt,
            Currency = receipt.Currency,
            Total = receipt.Total,
            Lines = receipt.Lines.Select(l => new ReceiptLine(l.Sku, l.Category, l.Quantity, l.Amount, l.OriginalLine)).ToArray(),
            Vouchers = receipt.Vouchers,
            ReturnOf = receipt.ReturnOf,
            StampsTo = receipt.StampsTo,
        };
        problems.AddRange(ReceiptValidator.Validate(domain, program, receipt.PurchasedAt.AddMinutes(1)).Select(e => $"{e.Path}: {e.Code} {e.Message}"));
        Assert.True(problems.Count == 0, $"{where}: {string.Join("; ", problems)}");
    }

    private static T ParseStrictly<T>(string json, int line) where T : class
    {
        var parsed = StrictJson.Parse<T>(Encoding.UTF8.GetBytes(json));
        Assert.True(parsed.Value is not null, $"pos-integration.md line {line}: {parsed.Path}: {parsed.Error}");
        return parsed.Value!;
    }

    /// <summary>The JSON blocks of one kind in docs/pos-integration.md, with the line of their marker.</summary>
    private static List<(int Line, string Json)> Examples(string kind)
    {
        var lines = File.ReadAllLines(Path.Combine(Docs, "pos-integration.md"));
        var found = new List<(int, string)>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (Marker(lines[i]) != kind || i + 1 >= lines.Length || lines[i + 1].Trim() != "```json") continue;
            var end = Array.FindIndex(lines, i + 2, l => l.Trim() == "```");
            Assert.True(end > 0, $"pos-integration.md line {i + 1}: the example's block is not closed.");
            found.Add((i + 1, string.Join('\n', lines[(i + 2)..end])));
        }
        return found;
    }

    private static string? Marker(string line)
    {
        const string Open = "<!-- example:", Close = "-->";
        var text = line.Trim();
        return text.StartsWith(Open, StringComparison.Ordinal) && text.EndsWith(Close, StringComparison.Ordinal)
            ? text[Open.Length..^Close.Length].Trim()
            : null;
    }

    private static JsonNode Schema(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Docs, "schemas", $"{name}.schema.json")))!;

    /// <summary>The root of the receipt schema ("") or one of its <c>$defs</c>.</summary>
    private static JsonNode ReceiptSchemaObject(string definition)
    {
        var schema = Schema(MessageExample);
        return definition.Length == 0 ? schema : schema["$defs"]![definition] ?? throw new InvalidOperationException($"The schema has no $defs/{definition}.");
    }

    /// <summary>The properties System.Text.Json reads and writes, by their camelCase JSON names.</summary>
    private static List<(string Name, bool Required, bool Nullable)> JsonMembers(Type type)
    {
        var nullability = new NullabilityInfoContext();
        return type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            .Select(p => (
                p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name),
                p.IsDefined(typeof(RequiredMemberAttribute)),
                p.PropertyType.IsValueType ? Nullable.GetUnderlyingType(p.PropertyType) is not null : nullability.Create(p)
                    .ReadState == NullabilityState.Nullable))
            .ToList();
    }

    /// <summary>Whether a property's schema accepts null: <c>"type": "null"</c> or <c>["…", "null"]</c>, or an <c>anyOf</c>/<c>oneOf</c> branch that
    /// does.</summary>
    private static bool AllowsNull(JsonNode schema) =>
        schema["type"] switch
        {
            JsonValue type => (string?)type == "null",
            JsonArray types => Strings(types).Contains("null"),
            _ => false,
        }
        || new[] { "anyOf", "oneOf" }.Any(k => schema[k] is JsonArray branches && branches.Any(b => AllowsNull(b!)));

    private static List<string> Strings(JsonNode? array) => array is null ? [] : array.AsArray().Select(v => (string)v!).ToList();

    private static IOrderedEnumerable<string> Keys(JsonNode node) => node.AsObject().Select(p => p.Key).Order();

    /// <summary>The path of every field in <paramref name="node"/>, nested ones included.</summary>
    private static IEnumerable<string> Fields(JsonNode? node, string path = "") => node switch
    {
        JsonObject fields => fields.SelectMany(p => Fields(p.Value, $"{path}.{p.Key}").Prepend($"{path}.{p.Key}")),
        JsonArray items => items.SelectMany((item, i) => Fields(item, $"{path}[{i}]")),
        _ => [],
    };

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Loyalty.Functions.sln"))) return directory.FullName;
        throw new InvalidOperationException($"No Loyalty.Functions.sln above {AppContext.BaseDirectory}.");
    }
}
