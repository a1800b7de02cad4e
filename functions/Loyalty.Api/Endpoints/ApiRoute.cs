using Loyalty.Core.Access;

namespace Loyalty.Api.Endpoints;

/// <summary>One route of the API (<see cref="Routes.All"/>).</summary>
/// <param name="Name">The endpoint name, the OpenAPI operation id and the Functions app's function name.</param>
/// <param name="Path">Below <see cref="Routes.Prefix"/>.</param>
/// <param name="Handler">The minimal-API handler the local host maps; the Functions app's function calls the same method.</param>
public sealed record ApiRoute(string Name, string Method, string Path, string Tag, Delegate Handler, RouteContract Contract)
{
    /// <summary>The JSON body the route reads, if any.</summary>
    public Type? Accepts { get; init; }

    /// <summary>Answers other than problems.</summary>
    public IReadOnlyList<RouteResponse> Responses { get; init; } = [];

    /// <summary>Problem statuses beyond those every authenticated route may answer (400, 401, 403).</summary>
    public IReadOnlyList<int> Problems { get; init; } = [];
}

public sealed record RouteResponse(int Status, Type Body);

/// <summary>
/// What a route takes beyond its body and path: who may call it, and the query parameters and headers its handler
/// reads. The handlers read these from the HttpContext themselves (the Functions host binds nothing for them), so the
/// minimal-API metadata cannot see them; the route says it instead, for the OpenAPI document.
/// </summary>
/// <param name="Keys">The API-key scopes that may call (an admin key may call wherever any scope may); none: no key is taken.</param>
/// <param name="Member">Whether a member token may call (for its own member). Neither keys nor a member: anonymous.</param>
public sealed record RouteContract(Scope Keys, bool Member = false, IReadOnlyList<RouteParameter>? Parameters = null)
{
    public bool Anonymous => Keys == Scope.None && !Member;
}

public enum ParameterIn
{
    Query,
    Header,
}

public sealed record RouteParameter(string Name, ParameterIn In, string Description, bool Required = false, bool Integer = false);
