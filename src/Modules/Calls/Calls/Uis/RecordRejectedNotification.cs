using BuildingBlocks.Tenancy;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Calls.Uis;

/// <summary>A notification the service could not use, kept as UIS sent it so an admin can see what went wrong.</summary>
public sealed record RejectedUisNotification(Guid Id, DateTimeOffset ReceivedAt, string Method, string Query, string? Body, string Reason);

public sealed record RecordRejectedNotification(Guid Id, DateTimeOffset ReceivedAt, string Method, string Query, string? Body, string Reason);

public static class RecordRejectedNotificationHandler
{
    public const int Kept = 100;

    public static async Task Handle(RecordRejectedNotification command, IDocumentSession session, CancellationToken ct)
    {
        session.Store(new RejectedUisNotification(command.Id, command.ReceivedAt, command.Method, command.Query, command.Body, command.Reason));
        var older = await session.Query<RejectedUisNotification>()
            .OrderByDescending(r => r.ReceivedAt).Skip(Kept - 1).Select(r => r.Id).ToListAsync(ct);
        foreach (var id in older) session.Delete<RejectedUisNotification>(id);
    }

    [WolverineGet("/api/settings/uis/rejected-notifications"), Authorize(Policy = Auth.Admin)]
    public static Task<IReadOnlyList<RejectedUisNotification>> Get(IQuerySession session) =>
        session.Query<RejectedUisNotification>().OrderByDescending(r => r.ReceivedAt).Take(Kept).ToListAsync();
}
