namespace Loyalty.Core.Validation;

/// <summary>Declares the <see cref="ErrorKind"/> of the error code constant it is on (<see cref="ErrorKinds"/> reads it).</summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class KindAttribute(ErrorKind kind) : Attribute
{
    public ErrorKind Kind { get; } = kind;
}
