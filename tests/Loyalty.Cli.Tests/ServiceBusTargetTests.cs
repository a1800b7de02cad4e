using System.CommandLine;
using Loyalty.Cli.Pos;
using Xunit;

namespace Loyalty.Cli.Tests;

/// <summary>Which queue <c>loyalty pos send</c> and <c>simulate</c> send to, and the combinations refused before anything is sent.</summary>
public sealed class ServiceBusTargetTests
{
    private const string Key = "Zm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm8=";
    private const string ConnectionString = $"Endpoint=sb://sb-test.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey={Key}";

    private static (ServiceBusTarget? Target, IReadOnlyList<string> Errors) Parse(params string[] args)
    {
        var command = new Command("send");
        var options = new ServiceBusTarget.Options(command);
        var parse = command.Parse(args);
        var errors = parse.Errors.Select(e => e.Message).ToList();
        return (errors.Count == 0 ? options.Get(parse) : null, errors);
    }

    [Fact]
    public void Without_service_bus_options_the_storage_queue_stays_the_target()
    {
        var (target, errors) = Parse();
        Assert.Empty(errors);
        Assert.Null(target);
    }

    [Fact]
    public void A_namespace_signs_in_with_entra_id_and_sends_to_the_receipts_queue()
    {
        var (target, errors) = Parse("--service-bus-namespace", "sb-test.servicebus.windows.net");
        Assert.Empty(errors);
        Assert.Equal(new ServiceBusTarget(null, "sb-test.servicebus.windows.net", "receipts"), target);
    }

    [Fact]
    public void Queue_names_another_queue()
    {
        var (target, _) = Parse("--service-bus-namespace", "sb-test.servicebus.windows.net", "--queue", "receipts-load");
        Assert.Equal("receipts-load", target?.Queue);
    }

    [Theory]
    [InlineData("sb-test")]
    [InlineData("https://sb-test.servicebus.windows.net/")]
    [InlineData("sb test.servicebus.windows.net")]
    public void A_namespace_must_be_a_host_name(string value)
    {
        var (_, errors) = Parse("--service-bus-namespace", value);
        Assert.Contains(errors, e => e.Contains("host name"));
    }

    [Fact]
    public void A_connection_string_names_its_namespace()
    {
        var (target, errors) = Parse("--service-bus", ConnectionString);
        Assert.Empty(errors);
        Assert.Equal(new ServiceBusTarget(ConnectionString, "sb-test.servicebus.windows.net", "receipts"), target);
    }

    [Theory]
    [InlineData("not a connection string")]
    [InlineData($"SharedAccessKeyName=send;SharedAccessKey={Key}")]
    [InlineData("Endpoint=sb://sb-test.servicebus.windows.net/")]
    public void A_connection_string_without_endpoint_or_key_is_refused_without_echoing_it(string value)
    {
        var (_, errors) = Parse("--service-bus", value);
        var error = Assert.Single(errors);
        Assert.Contains("not a Service Bus connection string", error);
        Assert.DoesNotContain(Key, error);
    }

    [Fact]
    public void A_connection_string_for_one_queue_sends_there()
    {
        var (target, errors) = Parse("--service-bus", ConnectionString + ";EntityPath=receipts-eu");
        Assert.Empty(errors);
        Assert.Equal("receipts-eu", target?.Queue);
    }

    [Fact]
    public void A_connection_string_for_one_queue_refuses_another()
    {
        var (_, errors) = Parse("--service-bus", ConnectionString + ";EntityPath=receipts-eu", "--queue", "receipts");
        Assert.Contains(errors, e => e.Contains("for queue 'receipts-eu'"));
    }

    [Fact]
    public void Connection_string_and_namespace_together_are_refused()
    {
        var (_, errors) = Parse("--service-bus", ConnectionString, "--service-bus-namespace", "sb-test.servicebus.windows.net");
        Assert.Contains(errors, e => e.Contains("not both"));
    }

    [Fact]
    public void Queue_without_service_bus_is_refused()
    {
        var (_, errors) = Parse("--queue", "receipts");
        Assert.Contains(errors, e => e.Contains("--queue names a Service Bus queue"));
    }

    private static IReadOnlyList<string> SimulateErrors(params string[] args) =>
        SimulateCommand.Create(_ => throw new InvalidOperationException("parsing only")).Parse(args).Errors.Select(e => e.Message).ToList();

    [Theory]
    [InlineData("--max-depth", "50")]
    [InlineData("--timeout", "10m")]
    public void Simulate_refuses_storage_queue_watching_with_service_bus(string option, string value)
    {
        Assert.Contains(SimulateErrors("--service-bus-namespace", "sb-test.servicebus.windows.net", option, value), e => e.StartsWith(option));
        Assert.Empty(SimulateErrors(option, value));
    }

    [Fact]
    public void Simulate_refuses_verify_with_service_bus_but_takes_verify_false()
    {
        Assert.Contains(SimulateErrors("--service-bus-namespace", "sb-test.servicebus.windows.net", "--verify"), e => e.StartsWith("--verify"));
        Assert.Empty(SimulateErrors("--service-bus-namespace", "sb-test.servicebus.windows.net", "--verify", "false"));
        Assert.Empty(SimulateErrors("--service-bus-namespace", "sb-test.servicebus.windows.net", "--receipts", "100", "--rate", "50"));
    }
}
