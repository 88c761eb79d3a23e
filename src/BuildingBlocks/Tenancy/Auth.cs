namespace BuildingBlocks.Tenancy;

/// <summary>Claims and policies of the bearer tokens the CRM issues.</summary>
public static class Auth
{
    public const string TenantClaim = "tenant";
    public const string EmployeeClaim = "sub";
    public const string RoleClaim = "role";

    public const string AdminRole = "admin";
    public const string OperatorRole = "operator";

    /// <summary>Any employee of a tenant.</summary>
    public const string Employee = "employee";
    /// <summary>An employee of a tenant with the admin role: settings.</summary>
    public const string Admin = "admin";
    /// <summary>The service operator (no tenant): tenants, projections.</summary>
    public const string Operator = "operator";
}
