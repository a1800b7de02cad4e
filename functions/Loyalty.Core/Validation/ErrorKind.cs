namespace Loyalty.Core.Validation;

/// <summary>What kind of refusal an error code is; the HTTP layer answers each kind with its own status.</summary>
public enum ErrorKind
{
    /// <summary>The request is malformed or breaks a rule of its own (400).</summary>
    Invalid,

    /// <summary>Something the request names does not exist (404).</summary>
    NotFound,

    /// <summary>A valid request that the current state refuses: sending it again unchanged will not help (409).</summary>
    Conflict,

    /// <summary>Too many concurrent changes of one member; the same request may succeed shortly (503).</summary>
    Busy,

    /// <summary>The caller asked too often (429).</summary>
    RateLimited,
}
