using Loyalty.Api.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Loyalty.Functions.Http;

/// <summary>The API-key routes (scope admin), as <see cref="ApiFunctions"/> does for the rest.</summary>
public sealed class ApiKeyFunctions
{
    [Function("ListApiKeys")]
    public Task<IActionResult> ListApiKeys([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/keys")] HttpRequest req) =>
        HandlerResult.From(ApiKeyEndpoints.List(req.HttpContext));

    [Function("CreateApiKey")]
    public Task<IActionResult> CreateApiKey([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/keys")] HttpRequest req) =>
        HandlerResult.From(ApiKeyEndpoints.Create(req.HttpContext));

    [Function("GetApiKey")]
    public Task<IActionResult> GetApiKey([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/keys/{keyId}")] HttpRequest req, string keyId) =>
        HandlerResult.From(ApiKeyEndpoints.Get(req.HttpContext, keyId));

    [Function("RevokeApiKey")]
    public Task<IActionResult> RevokeApiKey(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/keys/{keyId}/revoke")] HttpRequest req, string keyId) =>
        HandlerResult.From(ApiKeyEndpoints.Revoke(req.HttpContext, keyId));
}
