using Marten.Events.Aggregation;

namespace Leads.ClientCards;

/// <summary>
/// What the CRM shows of a lead or client. The manager's name is looked up when the card is read
/// (the employee directory belongs to Integration), so a renamed employee shows the new name.
/// </summary>
public sealed class ClientCard
{
    public Guid Id { get; set; }
    public string Kind { get; set; } = PersonKind.Lead;
    public string? Name { get; set; }
    public List<string> Phones { get; set; } = [];
    public int? PersonalManagerId { get; set; }
    public DateTimeOffset FirstContactAt { get; set; }
    public string? Source { get; set; }
}

public sealed partial class ClientCardProjection : SingleStreamProjection<ClientCard, Guid>
{
    public static ClientCard Create(LeadCaptured e) => new()
    {
        Id = e.PersonId, Kind = PersonKind.Lead, Phones = [e.Phone], FirstContactAt = e.At, Source = e.Source,
    };

    public static ClientCard Create(ClientRegistered e) => new()
    {
        Id = e.PersonId, Kind = PersonKind.Client, Name = e.Name, Phones = [.. e.Phones],
        PersonalManagerId = e.PersonalManagerId, FirstContactAt = e.At, Source = "crm",
    };

    public static void Apply(ClientPhoneAdded e, ClientCard card) => card.Phones.Add(e.Phone);

    public static void Apply(ClientPhoneRemoved e, ClientCard card) => card.Phones.Remove(e.Phone);

    public static void Apply(PersonalManagerAssigned e, ClientCard card) => card.PersonalManagerId = e.EmployeeId;

    public static void Apply(PersonalManagerUnassigned e, ClientCard card) => card.PersonalManagerId = null;

    public static void Apply(LeadConverted e, ClientCard card)
    {
        card.Kind = PersonKind.Client;
        card.Name = e.Name ?? card.Name;
    }
}
