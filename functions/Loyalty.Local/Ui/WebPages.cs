using System.Text.Json;
using Microsoft.Extensions.FileProviders;

namespace Loyalty.Local.Ui;

/// <summary>
/// The pages in <c>web/</c> (the till and the program dashboard), served as static files at <c>/</c>: they call the public API
/// like any client, so the host only adds the headers that keep them safe (a Content-Security-Policy without inline
/// script) and CORS for pages served from another origin (<c>Cors:AllowedOrigins</c>).
/// </summary>
public static class WebPages
{
    /// <summary>The folder served; by default the repository's <c>web/</c> beside the project.</summary>
    public const string RootKey = "Ui:Root";

    public const string OriginsKey = "Cors:AllowedOrigins";

    /// <summary>
    /// The headers every page and file gets (the Content-Security-Policy among them): <c>web/headers.json</c>, which the
    /// Static Web Apps package carries too (tools/web-dist.mjs), so both hosts send the same.
    /// </summary>
    public const string HeadersFile = "headers.json";

    private static readonly string[] CorsHeaders = ["X-Api-Key", "Authorization", "Content-Type", "X-Audit-Reason", "X-Correlation-Id"];
    private static readonly string[] ExposedHeaders = ["Location", "Retry-After", "X-Correlation-Id", "X-Export-Location"];

    /// <summary>CORS for the API (origins from <see cref="OriginsKey"/>, none by default) and the pages' folder, when there is one.</summary>
    public static IServiceCollection AddWebPages(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var origins = configuration.GetSection(OriginsKey).Get<string[]>() ?? [];
        services.AddCors(cors => cors.AddDefaultPolicy(policy =>
            policy.WithOrigins(origins).WithHeaders(CorsHeaders).WithMethods("GET", "POST", "PUT", "PATCH", "DELETE").WithExposedHeaders(ExposedHeaders)));
        var root = Path.GetFullPath(configuration[RootKey] ?? Path.Combine(environment.ContentRootPath, "..", "..", "web"));
        return File.Exists(Path.Combine(root, "index.html")) ? services.AddSingleton(new WebPagesServed(root)) : services;
    }

    public static WebApplication UseWebPages(this WebApplication app)
    {
        app.UseCors();
        if (app.Services.GetService<WebPagesServed>() is not { } served)
        {
            app.Logger.LogWarning("No pages are served: {Key} names no folder with an index.html (the repository's web/ by default).", RootKey);
            return app;
        }
        if (!File.Exists(Path.Combine(served.Root, "vendor", "chart.umd.min.js")))
            app.Logger.LogWarning("web/vendor/ is empty, so the dashboard draws no charts: run `npm run web-vendor` (npm ci does it too).");
        var files = new PhysicalFileProvider(served.Root);
        var headers = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(Path.Combine(served.Root, HeadersFile)))
            ?? throw new InvalidOperationException($"{HeadersFile} in {served.Root} holds no headers.");
        // The pages load their scripts and styles by relative paths, so /till must become /till/ before it is served.
        app.Use((context, next) =>
        {
            var path = context.Request.Path.Value ?? "";
            if (HttpMethods.IsGet(context.Request.Method) && path.Length > 1 && !path.EndsWith('/') && files.GetDirectoryContents(path).Exists &&
                files.GetFileInfo(path + "/index.html").Exists)
            {
                context.Response.Redirect(path + "/" + context.Request.QueryString, permanent: false);
                return Task.CompletedTask;
            }
            return next(context);
        });
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            // Cache-Control: no-cache among them: pages and their scripts change together on a deploy, and revalidating
            // (ETag) is cheap and never mixes versions.
            OnPrepareResponse = file =>
            {
                foreach (var (name, value) in headers)
                    file.Context.Response.Headers[name] = value;
            },
        });
        return app;
    }
}

/// <summary>The folder the pages are served from; registered only when there is one.</summary>
public sealed record WebPagesServed(string Root);
