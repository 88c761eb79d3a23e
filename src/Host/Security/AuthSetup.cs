using BuildingBlocks.Tenancy;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Host.Security;

public static class AuthSetup
{
    public static IServiceCollection AddCrmAuthentication(this IServiceCollection services, byte[] signingKey)
    {
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.MapInboundClaims = false;
            options.TokenValidationParameters = TokenIssuer.ValidationParameters(signingKey);
            options.Events = new JwtBearerEvents
            {
                // A browser's EventSource (and an <audio> element) cannot set a header: those GETs may carry the token in the query.
                OnMessageReceived = context =>
                {
                    if (HttpMethods.IsGet(context.Request.Method) && AcceptsQueryToken(context.Request.Path)
                        && context.Request.Query.TryGetValue("access_token", out var token))
                        context.Token = token;
                    return Task.CompletedTask;
                },
                // A well-signed token of an account that does not exist here must not reach any data.
                OnTokenValidated = async context =>
                {
                    var tenant = context.Principal?.FindFirst(Auth.TenantClaim)?.Value;
                    if (tenant is null) return;
                    var tenants = context.HttpContext.RequestServices.GetRequiredService<ITenantDirectory>();
                    if (!await tenants.ExistsAsync(tenant, context.HttpContext.RequestAborted))
                        context.Fail($"Unknown tenant \"{tenant}\".");
                },
            };
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(Auth.Employee, p => p.RequireClaim(Auth.TenantClaim).RequireClaim(Auth.EmployeeClaim))
            .AddPolicy(Auth.Admin, p => p.RequireClaim(Auth.TenantClaim).RequireClaim(Auth.EmployeeClaim).RequireRole(Auth.AdminRole))
            .AddPolicy(Auth.Operator, p => p.RequireRole(Auth.OperatorRole)
                .RequireAssertion(c => !c.User.HasClaim(claim => claim.Type == Auth.TenantClaim)));
        return services;
    }

    /// <summary>Streams a browser opens by URL; any other request must send the token in the Authorization header.</summary>
    /// <summary>Where browsers cannot set a header: EventSource (the screen pop) and the audio element (recordings).</summary>
    public static bool AcceptsQueryToken(PathString path) =>
        path.Equals("/api/events", StringComparison.OrdinalIgnoreCase) || Calls.Recordings.PlayRecordingEndpoint.IsPlaybackPath(path);
}
