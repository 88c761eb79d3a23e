using BuildingBlocks.Tenancy;
using BuildingBlocks.Uis;

namespace Host;

/// <summary>
/// Every line logged while a request is handled carries its tenant (and employee, or UIS call
/// session): as scope properties, which the JSON console writes as fields. Phone numbers are never
/// part of a scope.
/// </summary>
public static class LogScopes
{
    public const string Category = "EnvyCrm.Requests";

    /// <summary>After authentication: a token's tenant and employee.</summary>
    public static void UseTenantLogScope(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        app.Use(async (context, next) =>
        {
            var tenant = context.User.FindFirst(Auth.TenantClaim)?.Value;
            if (tenant is null)
            {
                await next(context);
                return;
            }
            using (logger.BeginScope(new Dictionary<string, object?> { ["TenantId"] = tenant, ["EmployeeId"] = context.User.FindFirst(Auth.EmployeeClaim)?.Value }))
                await next(context);
        });
    }

    /// <summary>A request from UIS, once its tenant is known.</summary>
    public static IDisposable? ForUis(ILogger logger, string tenant, UisRequestFields.Received received) =>
        logger.BeginScope(new Dictionary<string, object?> { ["TenantId"] = tenant, ["UisCallSessionId"] = UisRequestFields.CallSessionId(received.Fields) });
}

public static class StructuredLogging
{
    /// <summary>One JSON object per line with the scopes as fields; in Development, single readable lines with the scopes.</summary>
    public static void AddStructuredLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        if (builder.Environment.IsDevelopment())
            builder.Logging.AddSimpleConsole(o =>
            {
                o.IncludeScopes = true;
                o.SingleLine = true;
            });
        else
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
            });
    }
}
