namespace Loyalty.Core.Application.Ports;

public enum CommitResult
{
    Committed,

    /// <summary>The member changed since it was read: reload and try again.</summary>
    Conflict,

    /// <summary>The operation was recorded before: nothing was written; read its record for the first outcome.</summary>
    AlreadyApplied,
}
