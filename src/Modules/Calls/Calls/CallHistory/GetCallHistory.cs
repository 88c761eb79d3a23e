using System.Text;
using BuildingBlocks.Phones;
using BuildingBlocks.Tenancy;
using Leads.Contracts;
using Marten;
using Marten.Linq.MatchesSql;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Wolverine.Http;

namespace Calls.CallHistory;

public sealed record CallHistoryPage(IReadOnlyList<CallHistoryEntry> Items, string? NextCursor);

public static class GetCallHistoryEndpoint
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    [WolverineGet("/api/calls"), Authorize(Policy = Auth.Employee), Microsoft.AspNetCore.Mvc.ProducesResponseType<CallHistoryPage>(200)]
    public static async Task<IResult> Get(
        IQuerySession session, string? phone, int? employeeId, Guid? clientId, string? direction, string? status,
        DateTimeOffset? from, DateTimeOffset? to, int? limit, string? cursor, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (direction is not (null or "in" or "out")) errors["direction"] = ["direction is \"in\" or \"out\"."];
        if (status is not null && !CallStatus.All.Contains(status)) errors["status"] = [$"status is one of {string.Join(", ", CallStatus.All)}."];
        if (limit is < 1 or > MaxLimit) errors["limit"] = [$"limit is between 1 and {MaxLimit}."];
        var after = cursor is null ? null : DecodeCursor(cursor);
        if (cursor is not null && after is null) errors["cursor"] = ["cursor is not one this API returned."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var query = session.Query<CallHistoryEntry>().AsQueryable();
        if (phone is not null)
        {
            var e164 = Phone.ToE164(phone);
            query = e164 is null ? query.Where(c => c.ClientPhoneRaw == phone) : query.Where(c => c.ClientPhone == e164);
        }
        if (employeeId is not null) query = query.Where(c => c.EmployeeId == employeeId);
        if (clientId is not null)
        {
            var calls = await session.Query<LinkedCall>().Where(l => l.ClientId == clientId).Select(l => l.Id).ToListAsync(ct);
            query = query.Where(c => c.Id.IsOneOf(calls.ToArray()));
        }
        if (direction is not null) query = query.Where(c => c.Direction == direction);
        if (status is not null) query = query.Where(c => c.Status == status);
        if (from is not null) query = query.Where(c => c.StartedAt >= from.Value);
        if (to is not null) query = query.Where(c => c.StartedAt < to.Value);
        if (after is not null) query = query.Where(c => c.MatchesSql("d.sort_key < ?", after));

        var take = limit ?? DefaultLimit;
        var rows = await query.OrderByDescending(c => c.SortKey).Take(take + 1).ToListAsync(ct);
        var next = rows.Count > take ? EncodeCursor(rows[take - 1].SortKey) : null;
        return TypedResults.Ok(new CallHistoryPage(await CallCards.FillAsync(rows.Take(take).ToList(), session, ct), next));
    }

    private static string EncodeCursor(string sortKey) => Convert.ToBase64String(Encoding.ASCII.GetBytes(sortKey)).TrimEnd('=');

    private static string? DecodeCursor(string cursor)
    {
        try
        {
            var padded = cursor.PadRight(cursor.Length + (4 - cursor.Length % 4) % 4, '=');
            var key = Encoding.ASCII.GetString(Convert.FromBase64String(padded));
            return key.Length == 51 && key.All(char.IsAsciiHexDigit) ? key : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
