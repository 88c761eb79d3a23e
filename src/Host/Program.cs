using Host;
using Host.Demo;
using Host.Security;
using JasperFx;

var command = args.FirstOrDefault();
var demo = command == "demo";
var builder = WebApplication.CreateBuilder(command == "token" ? [] : demo ? args[1..] : args);
var signingKey = SigningKey.Resolve(builder.Configuration, builder.Environment);
if (command == "token") return TokenCommand.Run(args[1..], signingKey);

await using var localPostgres = await ServiceSetup.StartLocalPostgresIfNeededAsync(builder);
if (builder.Configuration.GetConnectionString("Postgres") is null) return 1;
await using var simulator = demo ? await DemoMode.StartSimulatorAsync(builder) : null;

builder.Services.AddCrmAuthentication(signingKey);
builder.Services.AddSingleton(new SigningKeyHolder(signingKey));
builder.AddStructuredLogging();
// Kestrel runs the application on the thread that read the request instead of handing it on: half the thread
// wake-ups per request, and on a virtualised machine each wake-up is expensive (ADR 14, docs/benchmarks.md).
builder.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling = builder.Configuration.GetValue("Server:InlineScheduling", true));
var routingOnTheSocketThread = builder.Configuration.GetValue("Server:RoutingOnTheSocketThread", true) && RoutingOnTheSocketThread.Available;
if (routingOnTheSocketThread)
    builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.ReadNewConnectionsOnTheSocketThread()));
builder.AddServiceModules();

var app = builder.Build();
if (routingOnTheSocketThread) app.UseSocketThreadOnlyForRouting();
app.UseForwardedHeadersFromKnownProxies();
app.UseExceptionHandler();
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseAuthentication();
app.UseAuthorization();
app.UseTenantLogScope();
app.MapServiceEndpoints();
app.MapDemo();
if (simulator is null) return await app.RunJasperFxCommands(args);

await app.StartAsync();
await DemoMode.SeedAsync(app, simulator, signingKey);
await app.WaitForShutdownAsync();
return 0;

public partial class Program;
