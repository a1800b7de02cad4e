using Loyalty.Api.Auth;
using Loyalty.Api.Endpoints;
using Loyalty.Core.Access;
using Loyalty.Core.Serialization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scope = Loyalty.Core.Access.Scope;

namespace Loyalty.Local;

/// <summary>
/// The OpenAPI document (/openapi/v1.json) as the API behaves: the two ways to authenticate, each operation's scopes,
/// the query parameters and headers its handler reads (<see cref="RouteContracts"/>), and numbers as numbers.
/// </summary>
public static class ApiDocument
{
    public const string ApiKeyScheme = "ApiKey";
    public const string BearerScheme = "Bearer";

    public static IServiceCollection AddLoyaltyOpenApi(this IServiceCollection services)
    {
        // The schemas follow these options; the default web options read numbers from strings, which StrictJson refuses.
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.NumberHandling = StrictJson.Options.NumberHandling);
        return services.AddOpenApi("v1", options => options.AddDocumentTransformer((document, _, _) =>
        {
            Describe(document);
            return Task.CompletedTask;
        }));
    }

    private static void Describe(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            [ApiKeyScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyAuthentication.Header,
                Description = "An API key (lf_{keyId}_{secret}) with one or more scopes: pos, store, marketing, admin. " +
                              "The requirement of each operation lists the scopes that may call it; admin may call everything a key may.",
            },
            [BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "A member token from POST /api/v1/member-auth/tokens: the member's own endpoints only.",
            },
        };

        foreach (var operation in document.Paths.Values.SelectMany(path => path.Operations?.Values.AsEnumerable() ?? []))
        {
            if (operation.OperationId is not { } name || !RouteContracts.ByName.TryGetValue(name, out var contract)) continue;
            operation.Security = Requirements(document, contract);
            foreach (var parameter in contract.Parameters ?? [])
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = parameter.Name,
                    In = parameter.In == ParameterIn.Query ? ParameterLocation.Query : ParameterLocation.Header,
                    Description = parameter.Description,
                    Required = parameter.Required,
                    Schema = parameter.Integer
                        ? new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" }
                        : new OpenApiSchema { Type = JsonSchemaType.String },
                });
            }
        }
    }

    /// <summary>Alternatives: a key with one of the scopes, or the member's token. None for anonymous operations.</summary>
    private static List<OpenApiSecurityRequirement> Requirements(OpenApiDocument document, RouteContract contract)
    {
        var requirements = new List<OpenApiSecurityRequirement>();
        if (contract.Keys != Scope.None)
            requirements.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, document)] = [.. (contract.Keys | Scope.Admin).Names()] });
        if (contract.Member)
            requirements.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] });
        return requirements;
    }
}
