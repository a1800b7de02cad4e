using Loyalty.Functions.Receipts;
using Loyalty.Testing;
using Xunit;

namespace Loyalty.Functions.Tests;

/// <summary>docs/deploy.md's table of functions is rendered from functions.metadata, so it cannot drift from the app.</summary>
public sealed class FunctionTableTests
{
    private const string Document = "docs/deploy.md";
    private const string Begin = "<!-- function table: rendered from functions.metadata by tests/Loyalty.Functions.Tests/FunctionTableTests.cs -->";
    private const string End = "<!-- end of function table -->";

    private static readonly string[] TriggerOrder = ["httpTrigger", "serviceBusTrigger", "timerTrigger", "orchestrationTrigger", "activityTrigger"];

    private sealed record Row(string Function, string Trigger, string TriggerType, string Type);

    [Fact]
    public void Deploy_md_lists_every_function_the_host_indexes()
    {
        var text = Repo.Read(Document).ReplaceLineEndings("\n");
        var start = text.IndexOf(Begin, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"{Document} has no block between '{Begin}' and '{End}'.");
        var expected = Render();
        var actual = text[start..(end + End.Length)];
        Assert.True(expected == actual, $"{Document}'s function table differs from functions.metadata. Replace its block with:\n\n{expected}\n");
    }

    private static string Render()
    {
        var rows = FunctionsMetadata.All.Select(
            f => new Row(f.Name, Describe(f.Trigger), f.Trigger.Type, f.EntryPoint[..f.EntryPoint.LastIndexOf('.')])).ToList();
        // Where its package is not served the receipts trigger is compiled out; the table shows what a publish deploys.
        if (!rows.Any(r => r.Function == ReceiptsTrigger.FunctionName))
            rows.Add(new Row(ReceiptsTrigger.FunctionName, ServiceBus(ReceiptsTrigger.Queue, ReceiptsTrigger.Connection), "serviceBusTrigger",
                "Loyalty.Functions.Receipts.ReceiptsQueueFunction"));

        var lines = new List<string> { Begin, "| function | trigger | source |", "|---|---|---|" };
        lines.AddRange(rows
            .OrderBy(r => Array.IndexOf(TriggerOrder, r.TriggerType) is var i && i < 0 ? TriggerOrder.Length : i)
            .ThenBy(r => r.Type, StringComparer.Ordinal)
            .Select(r => $"| `{r.Function}` | {r.Trigger} | {Source(r.Type)} |"));
        lines.Add(End);
        return string.Join('\n', lines);
    }

    private static string Describe(FunctionsMetadata.Binding trigger) => trigger.Type switch
    {
        "httpTrigger" => string.Join(", ", trigger.Strings("methods")
        .Select(m => $"`{m.ToUpperInvariant()} /{FunctionsMetadataTests.RoutePrefix()}/{trigger.String("route")}`")),
        "serviceBusTrigger" => ServiceBus(trigger.String("queueName"), trigger.String("connection")),
        "timerTrigger" => $"timer `{trigger.String("schedule")}` (UTC)",
        "orchestrationTrigger" => "Durable orchestration",
        "activityTrigger" => "Durable activity",
        var other => $"`{other}`",
    };

    private static string ServiceBus(string? queue, string? connection) => $"Service Bus queue `{queue}`, connection `{connection}`";

    /// <summary>A link to the class's file: the namespace below Loyalty.Functions is its folder, the class its file name.</summary>
    private static string Source(string type)
    {
        var path = "functions/Loyalty.Functions/" + type["Loyalty.Functions.".Length..].Replace('.', '/') + ".cs";
        Assert.True(File.Exists(Path.Combine(Repo.Root, path)), $"{type} is not in {path}.");
        return $"[`{path["functions/Loyalty.Functions/".Length..]}`](../{path})";
    }
}
