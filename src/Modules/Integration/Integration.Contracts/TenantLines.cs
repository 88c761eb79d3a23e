namespace Integration.Contracts;

/// <summary>The tenant's UIS virtual numbers (lines), E.164, in the order the admin gave them: the first is the default (read by Calls for click-to-call).</summary>
public sealed record TenantLines(IReadOnlyList<string> Lines)
{
    public const string DocumentId = "lines";
    public string Id { get; init; } = DocumentId;
}
