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
}
