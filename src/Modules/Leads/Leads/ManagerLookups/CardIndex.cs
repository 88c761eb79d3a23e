using System.Collections.Concurrent;
using System.Text.Json;
using Npgsql;

namespace Leads.ManagerLookups;

/// <summary>What the routing lookup needs of a card; <c>Modified</c> orders two reads of the same card.</summary>
public sealed record IndexedCard(Guid Id, string Kind, DateTimeOffset FirstContactAt, int? ManagerId, string[] Phones, DateTime Modified);

/// <summary>
/// Every tenant's cards by phone, in memory on each node, so a routing request reads no database.
/// Filled from the card table at start-up and refreshed card by card when cards change (here: after
/// the commit; other nodes: through PostgreSQL NOTIFY). Until the first fill completes it is not ready.
/// </summary>
public sealed class CardIndex
{
    private sealed class TenantCards
    {
        public readonly ConcurrentDictionary<Guid, IndexedCard> ById = new();
        public readonly ConcurrentDictionary<string, Guid[]> ByPhone = new();
    }

    private readonly ConcurrentDictionary<string, TenantCards> _tenants = new();

    public bool Ready { get; private set; }

    public void MarkReady() => Ready = true;

    public int Count => _tenants.Values.Sum(t => t.ById.Count);

    public IReadOnlyList<IndexedCard> Find(string tenant, string phone)
    {
        if (!_tenants.TryGetValue(tenant, out var cards) || !cards.ByPhone.TryGetValue(phone, out var ids)) return [];
        return ids.Select(id => cards.ById.GetValueOrDefault(id)).OfType<IndexedCard>().ToList();
    }

    /// <summary>Puts the card as read (unless a newer read of it is already here), or removes it when it no longer exists.</summary>
    public void Put(string tenant, Guid id, IndexedCard? card)
    {
        var cards = _tenants.GetOrAdd(tenant, _ => new TenantCards());
        lock (cards)
        {
            var old = cards.ById.GetValueOrDefault(id);
            if (card is not null && old is not null && old.Modified > card.Modified) return;
            foreach (var phone in old?.Phones ?? []) Unlink(cards, phone, id);
            if (card is null)
            {
                cards.ById.TryRemove(id, out _);
                return;
            }
            cards.ById[id] = card;
            foreach (var phone in card.Phones)
                cards.ByPhone[phone] = cards.ByPhone.TryGetValue(phone, out var ids) ? [.. ids.Where(i => i != id), id] : [id];
        }
    }

    private static void Unlink(TenantCards cards, string phone, Guid id)
    {
        if (!cards.ByPhone.TryGetValue(phone, out var ids)) return;
        var rest = ids.Where(i => i != id).ToArray();
        if (rest.Length == 0) cards.ByPhone.TryRemove(phone, out _);
        else cards.ByPhone[phone] = rest;
    }

    private const string Select =
        "select tenant_id, id, data ->> 'Kind', data ->> 'FirstContactAt', data ->> 'PersonalManagerId', data -> 'Phones', mt_last_modified " +
        "from envycrm.mt_doc_clientcard";

    /// <summary>Reads every card of every tenant (start-up).</summary>
    public async Task FillAsync(NpgsqlDataSource database, CancellationToken ct)
    {
        await using var command = database.CreateCommand(Select);
        await ReadAsync(command, ct);
    }

    /// <summary>Reads these cards again; those that are gone leave the index.</summary>
    public async Task RefreshAsync(NpgsqlDataSource database, string tenant, IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        await using var command = database.CreateCommand(Select + " where tenant_id = $1 and id = any($2)");
        command.Parameters.Add(new NpgsqlParameter { Value = tenant });
        command.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray() });
        var found = await ReadAsync(command, ct);
        foreach (var gone in ids.Except(found)) Put(tenant, gone, null);
    }

    private async Task<HashSet<Guid>> ReadAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var found = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetGuid(1);
            found.Add(id);
            var card = new IndexedCard(
                id,
                string.Intern(reader.GetString(2)),
                DateTimeOffset.Parse(reader.GetString(3), System.Globalization.CultureInfo.InvariantCulture),
                reader.IsDBNull(4) ? null : int.Parse(reader.GetString(4), System.Globalization.CultureInfo.InvariantCulture),
                reader.IsDBNull(5) ? [] : JsonSerializer.Deserialize<string[]>(reader.GetString(5)) ?? [],
                reader.GetDateTime(6));
            Put(reader.GetString(0), id, card);
        }
        return found;
    }
}
