using Loyalty.Testing;
using Loyalty.Local;
using Loyalty.Local.DevMail;
using Loyalty.Local.Workers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Xunit;
using Xunit.Abstractions;

namespace Loyalty.Local.Tests;

public sealed class NotificationLogWorkerTests(ITestOutputHelper output) : WorkerTest(output)
{
    [Fact]
    public async Task A_burst_is_logged_as_its_first_notifications_and_a_count_while_the_mailbox_keeps_them_all()
    {
        await EnrolAsync(30);
        var logger = new ListLogger();
        var mailbox = new DevMailbox(200);
        using var worker = new NotificationLogWorker(Backend.Storage, logger, TimeProvider.System, mailbox);
        await worker.StartAsync(CancellationToken.None);
        await worker.Idle.WaitAsync(TimeSpan.FromSeconds(30));
        await worker.StopAsync(CancellationToken.None);

        var drained = mailbox.Latest(200);
        Assert.True(drained.Count >= 30, $"{drained.Count} notifications drained");
        Assert.Equal(NotificationLogWorker.DetailedPerBurst, logger.Lines.Count(line => line.StartsWith("Notification ", StringComparison.Ordinal)));
        var summary = Assert.Single(logger.Lines, line => line.StartsWith("…and ", StringComparison.Ordinal));
        Assert.StartsWith($"…and {drained.Count - NotificationLogWorker.DetailedPerBurst} more notifications (voucher.issued ×", summary);
        Assert.Equal(NotificationLogWorker.DetailedPerBurst + 1, logger.Lines.Count);
    }

    [Fact]
    public void The_hosts_own_switch_does_not_take_the_next_argument_as_its_value()
    {
        var (seed, rest) = HostArguments.Split(["--urls", "http://127.0.0.1:5080", "--seed-demo", "--Demo:Members", "5"]);
        var configuration = new ConfigurationBuilder().AddCommandLine(rest).Build();
        Assert.True(seed);
        Assert.Equal(("http://127.0.0.1:5080", "5"), (configuration["urls"], configuration["Demo:Members"]));
        Assert.Null(configuration["seed-demo"]);
        Assert.False(HostArguments.Split(["--Demo:Members=5"]).SeedDemo);
    }

    private sealed class ListLogger : ILogger<NotificationLogWorker>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Lines) Lines.Add(formatter(state, exception));
        }
    }
}
