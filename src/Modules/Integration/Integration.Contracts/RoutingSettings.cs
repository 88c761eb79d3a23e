namespace Integration.Contracts;

/// <summary>
/// How the tenant answers UIS's "who takes this call" requests (issue 4). Kept by Integration;
/// Routing only reads it. No document: routing is off.
/// </summary>
/// <param name="AllowedSources">IP addresses or CIDR ranges a request without the secret may come from.</param>
public sealed record RoutingSettings(bool Enabled, IReadOnlyList<string> AllowedSources, RoutingGreeting? Greeting)
{
    public const string DocumentId = "routing";
    public string Id { get; init; } = DocumentId;
}

/// <summary>What the caller hears before being put through: a UIS media file, or a text UIS reads out.</summary>
public sealed record RoutingGreeting(string? MessageName, string? Text);

/// <summary>An employee set unavailable takes no routed calls (Id = the employee id); no document: available.</summary>
public sealed record EmployeeAvailability(int Id, bool Available);
