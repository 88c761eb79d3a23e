using Host;
using Host.Security;
using JasperFx;

var command = args.FirstOrDefault();
var builder = WebApplication.CreateBuilder(command == "token" ? [] : args);
var signingKey = SigningKey.Resolve(builder.Configuration, builder.Environment);
if (command == "token") return TokenCommand.Run(args[1..], signingKey);

await using var localPostgres = await ServiceSetup.StartLocalPostgresIfNeededAsync(builder);
if (builder.Configuration.GetConnectionString("Postgres") is null) return 1;

builder.Services.AddCrmAuthentication(signingKey);
builder.AddStructuredLogging();
builder.AddServiceModules();

var app = builder.Build();
app.UseForwardedHeadersFromKnownProxies();
app.UseExceptionHandler();
app.UseAuthentication();
app.UseAuthorization();
app.UseTenantLogScope();
app.MapServiceEndpoints();
return await app.RunJasperFxCommands(args);

public partial class Program;
