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
builder.AddServiceModules();

var app = builder.Build();
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
