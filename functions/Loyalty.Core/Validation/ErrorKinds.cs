using System.Collections.Frozen;
using System.Reflection;

namespace Loyalty.Core.Validation;

/// <summary>The kind of every error code, read from the <see cref="KindAttribute"/> on the constant that defines it.</summary>
public static class ErrorKinds
{
    private static readonly FrozenDictionary<string, ErrorKind> Declared = Codes().ToFrozenDictionary(c => c.Code, c => c.Kind);

    /// <summary>The kind <paramref name="code"/> declares; null for a code no constant in this assembly defines with a kind.</summary>
    public static ErrorKind? Of(string code) => Declared.TryGetValue(code, out var kind) ? kind : null;

    private static IEnumerable<(string Code, ErrorKind Kind)> Codes() =>
        from type in typeof(ErrorKinds).Assembly.GetTypes()
        from field in type.GetFields(BindingFlags.Public | BindingFlags.Static)
        where field.IsLiteral && field.GetCustomAttribute<KindAttribute>() is not null
        select ((string)field.GetRawConstantValue()!, field.GetCustomAttribute<KindAttribute>()!.Kind);
}
