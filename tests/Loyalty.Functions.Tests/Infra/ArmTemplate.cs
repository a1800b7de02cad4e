using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Loyalty.Functions.Tests.Infra;

/// <summary>
/// An ARM template as compiled from Bicep, with the parameter values it is deployed with, evaluated as far as a
/// deployment could be without Azure. Values are <see cref="string"/>, <see cref="long"/>, <see cref="bool"/>,
/// <c>List&lt;object?&gt;</c>, <c>Dictionary&lt;string, object?&gt;</c>, a <see cref="ResourceRef"/> (a resource id)
/// or an <see cref="Unknown"/> (what only Azure knows: a module output, a generated name, an unknown parameter).
/// Bicep modules compile to nested <c>Microsoft.Resources/deployments</c> with inner scope: see <see cref="Module"/>.
/// </summary>
public sealed class ArmTemplate
{
    private readonly JsonElement template;
    private readonly IReadOnlyDictionary<string, object?> arguments;
    private readonly Dictionary<string, object?> variables = new(StringComparer.OrdinalIgnoreCase);

    public ArmTemplate(JsonElement template, IReadOnlyDictionary<string, object?> arguments, string path)
    {
        this.template = template;
        this.arguments = arguments;
        Path = path;
    }

    /// <summary>main, or main/storage for the storage module's deployment.</summary>
    public string Path { get; }

    /// <summary>What the template's function app, role assignments and so on are: <c>Unknown</c> text like <c>{identity.outputs.clientId}</c>.</summary>
    public sealed record Unknown(string Text)
    {
        public override string ToString() => $"{{{Text}}}";
    }

    /// <summary>resourceId, subscriptionResourceId or extensionResourceId: a type and the names below it.</summary>
    public sealed record ResourceRef(string Type, string Name);

    /// <summary>One resource, or one copy of a resource declared in a loop.</summary>
    public sealed record Resource(ArmTemplate Template, JsonElement Json, long? CopyIndex)
    {
        public string Type => Json.GetProperty("type").GetString()!;

        public object? Name => Template.Evaluate(Json.GetProperty("name"), CopyIndex);

        /// <summary>A property by dotted path (properties.siteConfig.appSettings), evaluated.</summary>
        public object? Get(string path)
        {
            var value = Json;
            foreach (var part in path.Split('.'))
                if (!value.TryGetProperty(part, out value))
                    throw new Xunit.Sdk.XunitException($"{Type} in {Template.Path} has no {path}.");
            return Template.Evaluate(value, CopyIndex);
        }
    }

    public static ArmTemplate Parse(string json, string path) =>
        new(JsonDocument.Parse(json).RootElement.Clone(), new Dictionary<string, object?>(), path);

    /// <summary>The nested deployment a Bicep module compiled to, with its parameters evaluated here.</summary>
    public ArmTemplate Module(string deploymentName)
    {
        var deployment = Resources("Microsoft.Resources/deployments").SingleOrDefault(r => r.Name as string == deploymentName)
            ?? throw new Xunit.Sdk.XunitException($"{Path} deploys no module named '{deploymentName}'.");
        var properties = deployment.Json.GetProperty("properties");
        var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        if (properties.TryGetProperty("parameters", out var parameters))
            foreach (var parameter in parameters.EnumerateObject())
                values[parameter.Name] = Evaluate(parameter.Value.GetProperty("value"));
        return new ArmTemplate(properties.GetProperty("template"), values, $"{Path}/{deploymentName}");
    }

    /// <summary>Every resource of <paramref name="type"/> declared here (not in modules), one per copy of a loop.</summary>
    public IEnumerable<Resource> Resources(string type)
    {
        var resources = template.GetProperty("resources");
        var all = resources.ValueKind == JsonValueKind.Object ? resources.EnumerateObject().Select(r => r.Value) : resources.EnumerateArray();
        foreach (var resource in all.Where(r => string.Equals(r.GetProperty("type").GetString(), type, StringComparison.OrdinalIgnoreCase)))
        {
            if (!resource.TryGetProperty("copy", out var copy))
            {
                yield return new Resource(this, resource, null);
                continue;
            }
            var count = Evaluate(copy.GetProperty("count")) as long?
                ?? throw new Xunit.Sdk.XunitException($"The {type} loop in {Path} has a count only Azure knows.");
            for (var i = 0L; i < count; i++) yield return new Resource(this, resource, i);
        }
    }

    public object? Variable(string name)
    {
        if (variables.TryGetValue(name, out var value)) return value;
        var declared = template.TryGetProperty("variables", out var all) && all.TryGetProperty(name, out var json)
            ? json
            : throw new Xunit.Sdk.XunitException($"{Path} has no variable {name}.");
        return variables[name] = Evaluate(declared);
    }

    public object? Parameter(string name)
    {
        if (arguments.TryGetValue(name, out var value)) return value;
        var declared = template.GetProperty("parameters").TryGetProperty(name, out var json)
            ? json
            : throw new Xunit.Sdk.XunitException($"{Path} has no parameter {name}.");
        return declared.TryGetProperty("defaultValue", out var defaultValue) ? Evaluate(defaultValue) : new Unknown(name);
    }

    /// <summary>A JSON value with every "[expression]" string in it evaluated.</summary>
    public object? Evaluate(JsonElement value, long? copyIndex = null) => value.ValueKind switch
    {
        JsonValueKind.String => EvaluateString(value.GetString()!, copyIndex),
        JsonValueKind.Number => value.GetInt64(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        JsonValueKind.Array => value.EnumerateArray().Select(v => Evaluate(v, copyIndex)).ToList(),
        _ => value.EnumerateObject().ToDictionary(
            p => EvaluateString(p.Name, copyIndex)?.ToString()!, p => Evaluate(p.Value, copyIndex), StringComparer.OrdinalIgnoreCase),
    };

    private object? EvaluateString(string text, long? copyIndex)
    {
        if (text.StartsWith("[[", StringComparison.Ordinal)) return text[1..];
        if (!(text.StartsWith('[') && text.EndsWith(']'))) return text;
        var parser = new Parser(text[1..^1]);
        var expression = parser.Expression();
        parser.End();
        return new Evaluator(this, copyIndex).Evaluate(expression, new Dictionary<string, object?>());
    }

    private abstract record Node(string Text);

    private sealed record Literal(object? Value, string Text) : Node(Text);

    private sealed record Call(string Function, IReadOnlyList<Node> Arguments, string Text) : Node(Text);

    private sealed record Member(Node Target, string Name, string Text) : Node(Text);

    private sealed record Index(Node Target, Node Key, string Text) : Node(Text);

    /// <summary>The ARM expression grammar: literals, calls, <c>.member</c> and <c>[index]</c>.</summary>
    private sealed class Parser(string text)
    {
        private int position;

        public void End()
        {
            Skip();
            if (position != text.Length) throw Error("end of expression");
        }

        public Node Expression()
        {
            Skip();
            var start = position;
            var node = Primary();
            while (true)
            {
                Skip();
                if (Take('.')) node = new Member(node, Identifier(), text[start..position]);
                else if (Take('['))
                {
                    var key = Expression();
                    Expect(']');
                    node = new Index(node, key, text[start..position]);
                }
                else return node;
            }
        }

        private Node Primary()
        {
            var start = position;
            if (Take('\''))
            {
                var value = new StringBuilder();
                while (true)
                {
                    if (position >= text.Length) throw Error("closing quote");
                    var c = text[position++];
                    if (c != '\'') value.Append(c);
                    else if (position < text.Length && text[position] == '\'') value.Append(text[position++]);
                    else return new Literal(value.ToString(), text[start..position]);
                }
            }
            if (position < text.Length && (char.IsDigit(text[position]) || text[position] == '-'))
            {
                position++;
                while (position < text.Length && char.IsDigit(text[position])) position++;
                return new Literal(long.Parse(text[start..position], CultureInfo.InvariantCulture), text[start..position]);
            }
            var name = Identifier();
            Skip();
            Expect('(');
            var arguments = new List<Node>();
            Skip();
            if (!Take(')'))
            {
                do arguments.Add(Expression()); while (SkipThen(','));
                Expect(')');
            }
            return new Call(name, arguments, text[start..position]);
        }

        private string Identifier()
        {
            Skip();
            var start = position;
            while (position < text.Length && (char.IsLetterOrDigit(text[position]) || text[position] is '_' or '$' or '#')) position++;
            return position > start ? text[start..position] : throw Error("a name");
        }

        private bool SkipThen(char c)
        {
            Skip();
            return Take(c);
        }

        private void Expect(char c)
        {
            Skip();
            if (!Take(c)) throw Error($"'{c}'");
        }

        private bool Take(char c)
        {
            if (position >= text.Length || text[position] != c) return false;
            position++;
            return true;
        }

        private void Skip()
        {
            while (position < text.Length && char.IsWhiteSpace(text[position])) position++;
        }

        private Xunit.Sdk.XunitException Error(string expected) =>
            new($"Expected {expected} at {position} of the ARM expression [{text}].");
    }

    private sealed record Lambda(IReadOnlyList<string> Names, Node Body);

    /// <summary>
    /// The functions Bicep emits for this repository's templates. Any other function, and anything computed from an
    /// <see cref="Unknown"/>, is <see cref="Unknown"/>: deployment-time values stay visible by their expression.
    /// </summary>
    private sealed class Evaluator(ArmTemplate template, long? copyIndex)
    {
        /// <summary>Functions whose result depends on what an unknown argument is; the others carry it along (format writes it as {…}).</summary>
        private static readonly HashSet<string> Strict = new(["parameters", "variables", "lambdaVariables", "equals", "not", "empty", "length", "union",
            "items", "map"], StringComparer.OrdinalIgnoreCase);

        public object? Evaluate(Node node, IReadOnlyDictionary<string, object?> lambdaScope) => node switch
        {
            Literal literal => literal.Value,
            Member member => Get(Evaluate(member.Target, lambdaScope), member.Name, member.Text),
            Index index => Get(Evaluate(index.Target, lambdaScope), Evaluate(index.Key, lambdaScope), index.Text),
            Call call => Invoke(call, lambdaScope),
            _ => throw new InvalidOperationException(node.GetType().Name),
        };

        private object? Invoke(Call call, IReadOnlyDictionary<string, object?> scope)
        {
            if (call.Function.Equals("lambda", StringComparison.OrdinalIgnoreCase))
                return new Lambda([.. call.Arguments.SkipLast(1).Select(a => (string)((Literal)a).Value!)], call.Arguments[^1]);
            var args = call.Arguments.Select(a => Evaluate(a, scope)).ToList();
            if (Strict.Contains(call.Function) && args.Any(a => a is Unknown) || call.Function.Equals("if", StringComparison.OrdinalIgnoreCase)
                && args[0] is Unknown)
                return new Unknown(call.Text);
            return call.Function.ToLowerInvariant() switch
            {
                "parameters" => template.Parameter((string)args[0]!),
                "variables" => template.Variable((string)args[0]!),
                "lambdavariables" => scope[(string)args[0]!],
                "copyindex" => (copyIndex ?? throw new Xunit.Sdk.XunitException($"copyIndex() outside a loop: [{call.Text}]"))
                + (args.Count > 0 && args[0] is long offset ? offset : 0),
                "true" => true,
                "false" => false,
                "null" => null,
                "createarray" => args,
                "createobject" => Enumerable.Range(0, args.Count / 2)
                .ToDictionary(i => (string)args[2 * i]!, i => args[2 * i + 1], StringComparer.OrdinalIgnoreCase),
                "concat" when args.All(a => a is List<object?>) => args.SelectMany(a => (List<object?>)a!).ToList(),
                "concat" => string.Concat(args.Select(a => Convert.ToString(a, CultureInfo.InvariantCulture))),
                "union" => args.Cast<Dictionary<string, object?>>().SelectMany(d => d).GroupBy(p => p.Key, StringComparer.OrdinalIgnoreCase)
                    .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.OrdinalIgnoreCase),
                "if" => args[0] is true ? args[1] : args[2],
                "equals" => Equals(args[0], args[1]),
                "not" => args[0] is not true,
                "empty" => args[0] switch { null => true, string s => s.Length == 0, List<object?> l => l.Count == 0, Dictionary<string, object?> d =>
                d.Count == 0, _ => false },
                "length" => (long)(args[0] switch { string s => s.Length, List<object?> l => l.Count, Dictionary<string, object?> d => d.Count, _ =>
                throw new Xunit.Sdk.XunitException($"length of what? [{call.Text}]") }),
                "format" => string.Format(CultureInfo.InvariantCulture, (string)args[0]!, [.. args.Skip(1)]),
                "items" => ((Dictionary<string, object?>)args[0]!)
                .Select(p => (object?)new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["key"] = p.Key, ["value"] = p.Value }).ToList(),
                "map" when args[1] is Lambda lambda => ((List<object?>)args[0]!)
                .Select(item => Evaluate(lambda.Body, new Dictionary<string, object?>(scope) { [lambda.Names[0]] = item })).ToList(),
                "resourceid" or "subscriptionresourceid" => Reference(args, 0),
                "extensionresourceid" => Reference(args, 1),
                "reference" => args[0] is ResourceRef { Type: "Microsoft.Resources/deployments" } deployment
                ? new Unknown(deployment.Name) : new Unknown(call.Text),
                _ => new Unknown(call.Text),
            };
        }

        /// <summary>A resource id, as type and names, the arguments before <paramref name="typeAt"/> (a scope) left out.</summary>
        private static object Reference(List<object?> args, int typeAt) =>
            args.Skip(typeAt).All(a => a is string)
                ? new ResourceRef((string)args[typeAt]!, string.Join('/', args.Skip(typeAt + 1)))
                : new Unknown(string.Join(", ", args));

        private static object? Get(object? target, object? key, string text) => (target, key) switch
        {
            (Unknown unknown, "value") when unknown.Text.Contains(".outputs.", StringComparison.Ordinal) => unknown, // an output's value is the output
            (Unknown unknown, string name) => new Unknown($"{unknown.Text}.{name}"),
            (Dictionary<string, object?> map, string name) => map.TryGetValue(name, out var value)
            ? value : throw new Xunit.Sdk.XunitException($"No property {name} in [{text}]."),
            (List<object?> list, long i) => list[(int)i],
            _ => new Unknown(text),
        };
    }
}
