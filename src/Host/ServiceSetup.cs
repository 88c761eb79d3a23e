using BuildingBlocks.Postgres;
using BuildingBlocks.EmployeeEvents;
using Calls;
using Calls.Contracts;
using Calls.Uis;
using Host.Projections;
using Host.Security;
using Integration;
using JasperFx;
using Leads;
using Routing;
using JasperFx.Events;
using JasperFx.MultiTenancy;
using Marten;
using Marten.Exceptions;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Http;
using Wolverine.Marten;

namespace Host;

public static class ServiceSetup
{
    /// <summary>
    /// Without <c>ConnectionStrings:Postgres</c>, starts a private PostgreSQL with its data under
    /// <c>.data/postgres</c>; when that is impossible, says what to install or set and returns null.
    /// </summary>
    public static async Task<LocalPostgres?> StartLocalPostgresIfNeededAsync(WebApplicationBuilder builder)
    {
        if (!string.IsNullOrEmpty(builder.Configuration.GetConnectionString("Postgres"))) return null;
        try
        {
            var postgres = await LocalPostgres.StartAsync(Path.Combine(HostPaths.DataDirectory(builder.Environment), "postgres"));
            builder.Configuration["ConnectionStrings:Postgres"] = postgres.ConnectionString;
            return postgres;
        }
        catch (LocalPostgresUnavailableException e)
        {
            Console.Error.WriteLine(e.Message);
            return null;
        }
    }

    public static void AddServiceModules(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ConflictExceptionHandler>();
        builder.Services.AddIntegrationModule();
        builder.Services.AddCallsModule(builder.Configuration);
        builder.Services.AddLeadsModule();
        builder.Services.AddSingleton<EmployeeEventHub>().AddHostedService(s => s.GetRequiredService<EmployeeEventHub>());
        builder.Services.AddSingleton<UisHooks.NotificationConcurrency>();
        builder.Services.AddRoutingModule(builder.Configuration);
        builder.Services.AddHealth();
        builder.Services.AddSingleton<UisTraffic>();
        builder.Services.AddApiDocs();
        builder.Services.AddProjectionAdmin();
        builder.AddTelemetry();

        builder.Services.AddMarten(options =>
            {
                options.Connection(PostgresConnectionString.Tuned(builder.Configuration.GetConnectionString("Postgres")!));
                options.DatabaseSchemaName = "envycrm";
                options.Events.StreamIdentity = StreamIdentity.AsGuid;
                options.Events.TenancyStyle = TenancyStyle.Conjoined;
                options.Policies.AllDocumentsAreMultiTenanted();
                IntegrationModule.ConfigureMarten(options);
                CallsModule.ConfigureMarten(options);
                LeadsModule.ConfigureMarten(options);
                RoutingModule.ConfigureMarten(options);
                ProjectionAdmin.ConfigureMarten(options);
            })
            .UseLightweightSessions()
            .ApplyAllDatabaseChangesOnStartup()
            .AddAsyncDaemon(ProjectionDaemon.Mode(builder.Configuration))
            .IntegrateWithWolverine();

        builder.Host.UseWolverine(options =>
        {
            options.UseRuntimeCompilation();
            options.Discovery.IncludeAssembly(typeof(IntegrationModule).Assembly);
            options.Discovery.IncludeAssembly(typeof(CallsModule).Assembly);
            options.Discovery.IncludeAssembly(typeof(LeadsModule).Assembly);
            options.Discovery.IncludeAssembly(typeof(RoutingModule).Assembly);
            options.Policies.AutoApplyTransactions();
            options.Policies.UseDurableLocalQueues();
            // One message per commit of Calls; Leads takes whatever has queued up (per tenant) in one
            // transaction, one batch at a time, so a call's start is linked before its end. (Two at a
            // time measured faster, but two batches appending to one person raced; ADR 7.)
            options.BatchMessagesOf<CallActivity>(batching =>
            {
                batching.BatchSize = 100;
                batching.TriggerTime = TimeSpan.FromMilliseconds(2);
            }).Sequential();
            // Two copies of one notification racing to start or extend the same call stream, two
            // first calls from one number racing to capture its lead, or a call's start and end
            // linked at once: the loser runs again, finds what the winner stored, and adds nothing.
            CallsModule.ConfigureWolverine(options, builder.Configuration);
            options.OnException<ConcurrencyException>().Or<Marten.Exceptions.ExistingStreamIdCollisionException>()
                .Or<DocumentAlreadyExistsException>().RetryWithCooldown(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(50),
                    TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500));
        });
        builder.Services.AddWolverineHttp();
    }

    public static void MapServiceEndpoints(this WebApplication app)
    {
        app.MapUisHooks();
        app.MapHealth();
        app.MapApiDocs();
        app.MapTelemetry();
        app.MapProjectionAdmin();
        app.MapWolverineEndpoints(options =>
        {
            options.TenantId.IsClaimTypeNamed(BuildingBlocks.Tenancy.Auth.TenantClaim);
            options.TenantId.AssertExists();
            options.RejectUnparseableQueryValues = true;
        });
    }
}
