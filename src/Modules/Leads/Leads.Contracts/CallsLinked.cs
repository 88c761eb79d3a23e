namespace Leads.Contracts;

/// <summary>
/// Integration event: Leads found (or created) the card of these calls' numbers. One message per
/// Leads commit, on the durable local queue <see cref="Queue"/>; Calls records the card on the call.
/// </summary>
public sealed record CallsLinked(IReadOnlyList<CallLink> Links)
{
    public const string Queue = "calls-linked";
}

public sealed record CallLink(Guid CallId, Guid ClientId);
