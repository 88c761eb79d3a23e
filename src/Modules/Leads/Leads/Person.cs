namespace Leads;

public static class PersonKind
{
    public const string Lead = "lead";
    public const string Client = "client";
}

/// <summary>An unknown caller became a lead.</summary>
public sealed record LeadCaptured(Guid PersonId, string Phone, string Source, string? Line, Guid? FirstCallId, DateTimeOffset At);

/// <summary>A client was entered in the CRM.</summary>
public sealed record ClientRegistered(Guid PersonId, string Name, IReadOnlyList<string> Phones, int? PersonalManagerId, DateTimeOffset At);

public sealed record ClientPhoneAdded(Guid PersonId, string Phone);

public sealed record ClientPhoneRemoved(Guid PersonId, string Phone);

public sealed record PersonalManagerAssigned(Guid PersonId, int EmployeeId);

public sealed record PersonalManagerUnassigned(Guid PersonId);

/// <summary>A lead became a client: same id, history kept.</summary>
public sealed record LeadConverted(Guid PersonId, string? Name, DateTimeOffset At);

/// <summary>A call from or to one of the person's numbers; its outcome follows in <see cref="LinkedCallFinished"/>.</summary>
public sealed record CallLinkedToPerson(Guid PersonId, Guid CallId, string? Direction, DateTimeOffset At);

/// <summary>A linked call ended: <c>answered</c>, <c>missed</c> or <c>unanswered</c>.</summary>
public sealed record LinkedCallFinished(Guid PersonId, Guid CallId, string Status);

/// <summary>The slim write model of a lead or client stream.</summary>
public sealed partial record Person(Guid Id, string Kind, IReadOnlyList<string> Phones, int? PersonalManagerId)
{
    public static Person Create(LeadCaptured e) => new(e.PersonId, PersonKind.Lead, [e.Phone], null);
    public static Person Create(ClientRegistered e) => new(e.PersonId, PersonKind.Client, e.Phones, e.PersonalManagerId);
    public Person Apply(ClientPhoneAdded e) => this with { Phones = [.. Phones, e.Phone] };
    public Person Apply(ClientPhoneRemoved e) => this with { Phones = Phones.Where(p => p != e.Phone).ToList() };
    public Person Apply(PersonalManagerAssigned e) => this with { PersonalManagerId = e.EmployeeId };
    public Person Apply(PersonalManagerUnassigned e) => this with { PersonalManagerId = null };
    public Person Apply(LeadConverted e) => this with { Kind = PersonKind.Client };
}
