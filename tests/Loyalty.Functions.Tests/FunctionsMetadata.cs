using System.Reflection;
using System.Text.Json;

namespace Loyalty.Functions.Tests;

/// <summary>
/// The functions.metadata the Functions SDK generated when it built the app: the list the Functions host indexes, with
/// each function's entry point and bindings.
/// </summary>
public static class FunctionsMetadata
{
    public sealed record Binding(string Name, string Type, string? Direction, JsonElement Raw)
    {
        public string? String(string property) => Raw.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString() : null;

        public IReadOnlyList<string> Strings(string property) =>
            Raw.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Array
                ? [.. value.EnumerateArray().Select(v => v.GetString()!)] : [];
    }

    public sealed record Function(string Name, string EntryPoint, IReadOnlyList<Binding> Bindings)
    {
        public Binding Trigger => Bindings.Single(b => b.Type.EndsWith("Trigger", StringComparison.Ordinal));

        /// <summary>The method the worker invokes, found in the app's assembly by the entry point's type and method name.</summary>
        public MethodInfo Method
        {
            get
            {
                var split = EntryPoint.LastIndexOf('.');
                var type = typeof(Http.ApiFunctions).Assembly.GetType(EntryPoint[..split], throwOnError: true)!;
                return type.GetMethod(EntryPoint[(split + 1)..], BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
                    ?? throw new InvalidOperationException($"{EntryPoint} names no public method.");
            }
        }
    }

    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "functions-app");

    public static IReadOnlyList<Function> All { get; } = Load();

    public static IEnumerable<Function> OfTrigger(string type) => All.Where(f => f.Trigger.Type == type);

    private static List<Function> Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "functions.metadata")));
        return [.. document.RootElement.EnumerateArray().Select(f => new Function(
            f.GetProperty("name").GetString()!,
            f.GetProperty("entryPoint").GetString()!,
            [.. f.GetProperty("bindings").EnumerateArray().Select(b => new Binding(
                b.GetProperty("name").GetString()!,
                b.GetProperty("type").GetString()!,
                b.TryGetProperty("direction", out var direction) ? direction.GetString() : null,
                b.Clone()))]))];
    }
}
