using System.Reflection;

namespace Loyalty.Storage.InMemory;

/// <summary>
/// A port the nightly review and the campaign fan-out never call (identities, API keys, parked receipts, receipt claims
/// and archive, member sign-in, audit, privacy, exports): every call throws, naming the port and the method, so a use
/// of one shows at once instead of answering something no store would.
/// </summary>
public class NotSupportedPort<T> : DispatchProxy where T : class
{
    public static T Create() => DispatchProxy.Create<T, NotSupportedPort<T>>();

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
        throw new NotSupportedException(
            $"{typeof(T).Name}.{targetMethod?.Name} has no in-memory implementation: " +
            "the in-memory stores serve the nightly review and the campaign fan-out only.");
}
