using System.Security.Claims;
using BuildingBlocks.Tenancy;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Host.Security;

/// <summary>Mints tokens of the shape the CRM issues: for local use, tests and the <c>token</c> command.</summary>
public static class TokenIssuer
{
    public static string ForEmployee(byte[] key, string tenant, int employeeId, string? role = null, TimeSpan? lifetime = null)
    {
        var claims = new Dictionary<string, object> { [Auth.TenantClaim] = tenant, [Auth.EmployeeClaim] = employeeId.ToString() };
        if (role is not null) claims[Auth.RoleClaim] = role;
        return Create(key, claims, lifetime);
    }

    public static string ForOperator(byte[] key, TimeSpan? lifetime = null) =>
        Create(key, new Dictionary<string, object> { [Auth.EmployeeClaim] = "operator", [Auth.RoleClaim] = Auth.OperatorRole }, lifetime);

    private static string Create(byte[] key, Dictionary<string, object> claims, TimeSpan? lifetime) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            Expires = DateTime.UtcNow + (lifetime ?? TimeSpan.FromHours(12)),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
        });

    public static TokenValidationParameters ValidationParameters(byte[] key) => new()
    {
        ValidateIssuer = false,
        ValidateAudience = false,
        ValidateLifetime = true,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        IssuerSigningKey = new SymmetricSecurityKey(key),
        NameClaimType = Auth.EmployeeClaim,
        RoleClaimType = Auth.RoleClaim,
    };
}
