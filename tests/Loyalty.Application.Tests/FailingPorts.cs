using System.Reflection;
using System.Runtime.ExceptionServices;
using Loyalty.Testing;

namespace Loyalty.Application.Tests;

/// <summary>A port that fails where a test says: before each call, <c>fault</c> may name the exception to throw instead.</summary>
public class FailingPort<T> : DispatchProxy where T : class
{
    private T inner = null!;
    private Func<MethodInfo, Exception?> fault = null!;

    public static T Wrap(T inner, Func<MethodInfo, Exception?> fault)
    {
        var proxy = Create<T, FailingPort<T>>();
        var failing = (FailingPort<T>)(object)proxy;
        failing.inner = inner;
        failing.fault = fault;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? method, object?[]? args)
    {
        if (fault(method!) is { } failure) throw failure;
        try
        {
            return method!.Invoke(inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is { } thrown)
        {
            ExceptionDispatchInfo.Throw(thrown);
            throw;
        }
    }
}

/// <summary>
/// The process dying mid-way, as under <c>kill -9</c>: the member write after the first <c>membersWritten</c> fails, and
/// from then on every call through a wrapped port fails, so nothing more is written and nothing is tidied up either.
/// </summary>
public sealed class Crash(int membersWritten)
{
    private int inserts;
    private volatile bool dead;

    public T Wrap<T>(T inner) where T : class => FailingPort<T>.Wrap(inner, method =>
    {
        if (method.Name == nameof(Core.Application.Ports.IMemberStore.InsertAsync))
        {
            // The count decides, not the timing: an insert counted among the first ones goes through even when a later
            // one, on another thread, has died already; otherwise fewer than membersWritten would be written.
            if (Interlocked.Increment(ref inserts) <= membersWritten) return null;
            dead = true;
        }
        return dead ? new HostDied() : null;
    });

    public sealed class HostDied() : Exception("The host died.");
}
