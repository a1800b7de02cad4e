using Microsoft.AspNetCore.Http;

namespace Loyalty.Api.Endpoints;

public static class HealthEndpoints
{
    /// <summary>Liveness only, no key needed: load balancers and `./run` poll it.</summary>
    public static IResult Get(TimeProvider time) => Results.Json(new { status = "ok", time = time.GetUtcNow() });
}
