using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using BuildingBlocks.Postgres;

namespace BuildingBlocks.EmployeeEvents;

/// <summary>An event for signed-in employees' screens; <see cref="Recipients"/> null means every employee of the tenant.</summary>
public sealed record EmployeeEvent(string Tenant, IReadOnlyList<int>? Recipients, string Name, string Data)
{
    public bool IsFor(string tenant, int employeeId) => Tenant == tenant && (Recipients is null || Recipients.Contains(employeeId));
}

/// <summary>
/// Delivers employee events to the streams open on this node. Events travel through PostgreSQL's
/// NOTIFY (queued by the writer inside its transaction, so only committed facts are announced) and
/// every node LISTENs: an employee connected to another node gets the popup too.
/// </summary>
public sealed class EmployeeEventHub(IConfiguration configuration, ILogger<EmployeeEventHub> logger) : BackgroundService
{
    public const string Channel = "envycrm_employee_events";

    /// <summary>Events an employee's stream may fall behind by before the oldest are dropped (the card and history keep everything).</summary>
    public const int StreamBuffer = 256;

    public static string Payload(EmployeeEvent e) => JsonSerializer.Serialize(e);

    private readonly ConcurrentDictionary<Subscription, byte> _subscriptions = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once this node listens: events committed after it reach the streams open here.</summary>
    public Task Listening => _listening.Task;

    public Subscription Subscribe(string tenant, int employeeId)
    {
        var subscription = new Subscription(this, tenant, employeeId);
        _subscriptions.TryAdd(subscription, 0);
        return subscription;
    }

    public int OpenStreams => _subscriptions.Count;

    protected override Task ExecuteAsync(CancellationToken stopping) =>
        PostgresNotifications.ListenAsync(configuration.GetConnectionString("Postgres")!, Channel, Dispatch, () => _listening.TrySetResult(), logger, stopping);

    private void Dispatch(string payload)
    {
        EmployeeEvent? e;
        try
        {
            e = JsonSerializer.Deserialize<EmployeeEvent>(payload);
        }
        catch (JsonException)
        {
            e = null;
        }
        if (e is null)
        {
            logger.LogWarning("An employee event that is not one was notified on {Channel}", Channel);
            return;
        }
        foreach (var subscription in _subscriptions.Keys)
            if (e.IsFor(subscription.Tenant, subscription.EmployeeId))
                subscription.Writer.TryWrite(e);
    }

    public sealed class Subscription : IDisposable
    {
        private readonly EmployeeEventHub _hub;
        private readonly Channel<EmployeeEvent> _events = System.Threading.Channels.Channel.CreateBounded<EmployeeEvent>(
            new BoundedChannelOptions(StreamBuffer) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        internal Subscription(EmployeeEventHub hub, string tenant, int employeeId) => (_hub, Tenant, EmployeeId) = (hub, tenant, employeeId);

        public string Tenant { get; }
        public int EmployeeId { get; }
        internal ChannelWriter<EmployeeEvent> Writer => _events.Writer;
        public ChannelReader<EmployeeEvent> Events => _events.Reader;

        public void Dispose()
        {
            _hub._subscriptions.TryRemove(this, out _);
            _events.Writer.TryComplete();
        }
    }
}
