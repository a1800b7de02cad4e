// The Azure Functions isolated worker: the same application services as the local host, behind triggers.
using Loyalty.Functions;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

FunctionsApp.Configure(FunctionsApplication.CreateBuilder(args)).Build().Run();
