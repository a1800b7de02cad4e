using System.CommandLine;
using System.CommandLine.Parsing;
using Azure.Identity;
using Azure.Messaging.ServiceBus;

namespace Loyalty.Cli.Pos;

/// <summary>
/// A Service Bus queue to send POS messages to instead of the storage queue: a deployment's <c>receipts</c> queue, so
/// a retailer can try or load-test its own. With a namespace the caller signs in with Microsoft Entra ID (the
/// deployment in infra/ disables SAS keys); a connection string serves namespaces that keep them.
/// </summary>
/// <param name="ConnectionString">Null when <paramref name="Namespace"/> is used.</param>
/// <param name="Namespace">The namespace's host name, e.g. sb-xyz.servicebus.windows.net.</param>
internal sealed record ServiceBusTarget(string? ConnectionString, string Namespace, string Queue)
{
    public const string DefaultQueue = "receipts";

    /// <summary>
    /// Runs <paramref name="send"/> with a batcher on this queue. What Azure answers to a wrong namespace, queue,
    /// sign-in or role comes back as a sentence for the operator, not a stack trace.
    /// </summary>
    /// <returns>Null when everything was sent.</returns>
    public async Task<string?> SendAsync(Func<ServiceBusBatcher, Task> send, Action<int> sent, CancellationToken cancellationToken)
    {
        await using var client = ConnectionString is { } connectionString
            ? new ServiceBusClient(connectionString)
            : new ServiceBusClient(Namespace, new DefaultAzureCredential());
        await using var sender = client.CreateSender(Queue);
        await using var batcher = new ServiceBusBatcher(sender, sent);
        try
        {
            await send(batcher);
            return null;
        }
        catch (MessageTooLargeException e)
        {
            return e.Message;
        }
        catch (AuthenticationFailedException e)
        {
            return $"Cannot get a Microsoft Entra ID token for {Namespace} (signed in with az login?): {e.Message}";
        }
        catch (UnauthorizedAccessException e)
        {
            return $"{this} refused the send: {e.Message} The identity needs the role Azure Service Bus Data Sender on the queue or its namespace.";
        }
        catch (ServiceBusException e) when (e.Reason == ServiceBusFailureReason.MessagingEntityNotFound)
        {
            return $"There is no {this}.";
        }
        catch (ServiceBusException e)
        {
            return $"{this}: {e.Message}";
        }
    }

    public override string ToString() => $"Service Bus queue '{Queue}' on {Namespace}";

    /// <summary>The options that choose a Service Bus target; with none of them, commands keep to the storage queue.</summary>
    internal sealed class Options
    {
        private readonly Option<string?> connectionString = new("--service-bus")
        {
            Description = "Send to Service Bus with this connection string (Endpoint=sb://…;SharedAccessKeyName=…;SharedAccessKey=…) " +
                "instead of the storage queue.",
        };

        private readonly Option<string?> @namespace = new("--service-bus-namespace")
        {
            Description = "Send to this Service Bus namespace (e.g. sb-xyz.servicebus.windows.net) as the signed-in Entra ID identity (role " +
                "Azure Service Bus Data Sender).",
        };

        private readonly Option<string> queue = new("--queue")
        {
            Description = $"The Service Bus queue (default '{DefaultQueue}', or the connection string's EntityPath).",
            DefaultValueFactory = _ => DefaultQueue,
        };

        public Options(Command command)
        {
            command.Options.Add(connectionString);
            command.Options.Add(@namespace);
            command.Options.Add(queue);
            command.Validators.Add(result =>
            {
                if (Resolve(result) is { Error: { } error }) result.AddError(error);
            });
        }

        /// <summary>True when the command line chooses Service Bus (valid or not: the validator reports what is wrong).</summary>
        public bool Chosen(CommandResult result) => result.GetResult(connectionString) is not null || result.GetResult(@namespace) is not null;

        /// <returns>Null for the storage queue; parse errors have been reported by then.</returns>
        public ServiceBusTarget? Get(ParseResult parse) => Resolve(parse.CommandResult).Target;

        private (ServiceBusTarget? Target, string? Error) Resolve(CommandResult result)
        {
            var explicitQueue = result.GetResult(queue) is { Implicit: false } ? result.GetValue(queue) : null;
            var text = result.GetValue(connectionString);
            var host = result.GetValue(@namespace);
            if (text is not null && host is not null)
                return (null, "Give --service-bus or --service-bus-namespace, not both.");
            if (explicitQueue is not null && string.IsNullOrWhiteSpace(explicitQueue))
                return (null, "--queue must name a queue.");
            if (text is not null)
                return FromConnectionString(text, explicitQueue);
            if (host is not null)
            {
                // A fully qualified name, not a guessed suffix: namespaces in sovereign clouds end differently.
                return Uri.CheckHostName(host) == UriHostNameType.Dns && host.Contains('.')
                    ? (new ServiceBusTarget(null, host, explicitQueue ?? DefaultQueue), null)
                    : (null, $"--service-bus-namespace takes the namespace's host name, e.g. sb-xyz.servicebus.windows.net, not '{host}'.");
            }
            return explicitQueue is null ? (null, null) : (null, "--queue names a Service Bus queue: give --service-bus or --service-bus-namespace with it.");
        }

        private static (ServiceBusTarget?, string?) FromConnectionString(string text, string? explicitQueue)
        {
            ServiceBusConnectionStringProperties? properties;
            try
            {
                properties = ServiceBusConnectionStringProperties.Parse(text);
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                properties = null;
            }
            // The connection string itself is never echoed: it holds a key.
            if (properties?.FullyQualifiedNamespace is not { Length: > 0 } host
                || properties.SharedAccessSignature is null && (properties.SharedAccessKeyName is null || properties.SharedAccessKey is null))
                return (null, "--service-bus is not a Service Bus connection string with a key " +
                    "(Endpoint=sb://<namespace>.servicebus.windows.net/;SharedAccessKeyName=…;SharedAccessKey=…).");
            // A key scoped to one queue carries it as EntityPath, and the client refuses to send anywhere else.
            if (properties.EntityPath is { Length: > 0 } entity)
                return explicitQueue is null || explicitQueue == entity
                    ? (new ServiceBusTarget(text, host, entity), null)
                    : (null, $"The connection string is for queue '{entity}', not --queue '{explicitQueue}'.");
            return (new ServiceBusTarget(text, host, explicitQueue ?? DefaultQueue), null);
        }
    }
}
