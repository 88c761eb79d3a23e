using System.Collections.Concurrent;
using System.Text.Json;
using Leads.ClientCards;
using Npgsql;

namespace Leads.ManagerLookups;

/// <summary>What the routing lookup needs of a card; <c>Modified</c> orders two reads of the same card.</summary>
public sealed record IndexedCard(Guid Id, string Kind, DateTimeOffset FirstContactAt, int? ManagerId, string[] Phones, DateTime Modified);

/// <summary>
/// Every tenant's cards by phone, in memory on each node, so a routing request reads no database.
/// Filled from the card table at start-up and refreshed card by card when cards change (here: after
/// the commit; other nodes: through PostgreSQL NOTIFY). Until the first fill completes it is not ready.
/// Kept compact for a million cards and more (docs/benchmarks.md): numbers as integers, cards as
/// structs in plain dictionaries, so the garbage collector has no object per card to trace.
/// </summary>
public sealed class CardIndex
{
    private const int NoManager = int.MinValue;

    private readonly record struct StoredCard(bool IsClient, long FirstContactUtcTicks, int ManagerId, long ModifiedTicks, long FirstPhone);

    private sealed class TenantCards
    {
        public readonly Dictionary<Guid, StoredCard> ById = [];
        /// <summary>The numbers after the first, of the few cards that have several.</summary>
        public readonly Dictionary<Guid, long[]> MorePhones = [];
        /// <summary>A number held by exactly one card.</summary>
        public readonly Dictionary<long, Guid> ByPhone = [];
        /// <summary>A number held by several cards: all of them.</summary>
        public readonly Dictionary<long, Guid[]> Shared = [];
    }

    private readonly ConcurrentDictionary<string, TenantCards> _tenants = new();

    public bool Ready { get; private set; }

    /// <summary>After the fill: the dictionaries give back the room they grew for and did not use.</summary>
    public void MarkReady()
    {
        foreach (var cards in _tenants.Values)
            lock (cards)
            {
                cards.ById.TrimExcess();
                cards.ByPhone.TrimExcess();
            }
        Ready = true;
    }

    public int Count => _tenants.Values.Sum(t => { lock (t) return t.ById.Count; });

    public Dictionary<string, int> CountsByTenant() => _tenants.ToDictionary(t => t.Key, t => { lock (t.Value) return t.Value.ById.Count; });

    /// <summary>The cards holding the number (E.164).</summary>
    public IReadOnlyList<IndexedCard> Find(string tenant, string phone)
    {
        if (!_tenants.TryGetValue(tenant, out var cards) || Key(phone) is not { } key) return [];
        lock (cards)
        {
            return HoldersOf(cards, key).Select(id => Expand(cards, id, cards.ById[id])).ToList();
        }
    }

    /// <summary>The card a call from the number belongs to (<see cref="ClientCard.Precedence"/>), without building the others.</summary>
    public (Guid Id, int? ManagerId)? FindFirst(string tenant, string phone)
    {
        if (!_tenants.TryGetValue(tenant, out var cards) || Key(phone) is not { } key) return null;
        lock (cards)
        {
            if (cards.ByPhone.TryGetValue(key, out var only)) return (only, ManagerOf(cards.ById[only]));
            if (!cards.Shared.TryGetValue(key, out var holders)) return null;
            var first = holders.MinBy(id => PrecedenceOf(id, cards.ById[id]));
            return (first, ManagerOf(cards.ById[first]));
        }
    }

    private static (int, DateTimeOffset, Guid) PrecedenceOf(Guid id, StoredCard card) =>
        ClientCard.Precedence(card.IsClient ? PersonKind.Client : PersonKind.Lead, new DateTimeOffset(card.FirstContactUtcTicks, TimeSpan.Zero), id);

    private static int? ManagerOf(StoredCard card) => card.ManagerId == NoManager ? null : card.ManagerId;

    private static IEnumerable<Guid> HoldersOf(TenantCards cards, long key) =>
        cards.ByPhone.TryGetValue(key, out var only) ? [only] : cards.Shared.GetValueOrDefault(key) ?? [];

    private static IndexedCard Expand(TenantCards cards, Guid id, StoredCard card) => new(
        id, card.IsClient ? PersonKind.Client : PersonKind.Lead, new DateTimeOffset(card.FirstContactUtcTicks, TimeSpan.Zero), ManagerOf(card),
        PhonesOf(cards, id, card).Select(p => "+" + p.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
        new DateTime(card.ModifiedTicks, DateTimeKind.Utc));

    private static IEnumerable<long> PhonesOf(TenantCards cards, Guid id, StoredCard card)
    {
        if (card.FirstPhone == 0) return [];
        return cards.MorePhones.TryGetValue(id, out var more) ? [card.FirstPhone, .. more] : [card.FirstPhone];
    }

    /// <summary>An E.164 number as an integer (at most 15 digits); null when it is not one.</summary>
    private static long? Key(string phone) =>
        phone.Length is > 1 and <= 16 && phone[0] == '+' && long.TryParse(phone.AsSpan(1), System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out var digits) && digits > 0 ? digits : null;

    /// <summary>Puts the card as read (unless a newer read of it is already here), or removes it when it no longer exists.</summary>
    public void Put(string tenant, Guid id, IndexedCard? card)
    {
        var cards = _tenants.GetOrAdd(tenant, _ => new TenantCards());
        lock (cards)
        {
            var held = cards.ById.TryGetValue(id, out var old);
            if (card is not null && held && old.ModifiedTicks > card.Modified.Ticks) return;
            if (held)
            {
                foreach (var phone in PhonesOf(cards, id, old).ToList()) Unlink(cards, phone, id);
                cards.MorePhones.Remove(id);
            }
            if (card is null)
            {
                cards.ById.Remove(id);
                return;
            }
            var phones = card.Phones.Select(Key).OfType<long>().Distinct().ToArray();
            cards.ById[id] = new StoredCard(card.Kind == PersonKind.Client, card.FirstContactAt.UtcTicks, card.ManagerId ?? NoManager,
                card.Modified.Ticks, phones.FirstOrDefault());
            if (phones.Length > 1) cards.MorePhones[id] = phones[1..];
            foreach (var phone in phones) Link(cards, phone, id);
        }
    }

    private static void Link(TenantCards cards, long phone, Guid id)
    {
        if (cards.Shared.TryGetValue(phone, out var several)) cards.Shared[phone] = [.. several, id];
        else if (cards.ByPhone.Remove(phone, out var other)) cards.Shared[phone] = [other, id];
        else cards.ByPhone[phone] = id;
    }

    private static void Unlink(TenantCards cards, long phone, Guid id)
    {
        if (cards.ByPhone.TryGetValue(phone, out var only))
        {
            if (only == id) cards.ByPhone.Remove(phone);
            return;
        }
        if (!cards.Shared.TryGetValue(phone, out var several)) return;
        var rest = several.Where(i => i != id).ToArray();
        if (rest.Length == 1)
        {
            cards.Shared.Remove(phone);
            cards.ByPhone[phone] = rest[0];
        }
        else cards.Shared[phone] = rest;
    }

    private const string Select =
        "select tenant_id, id, data ->> 'Kind', data ->> 'FirstContactAt', data ->> 'PersonalManagerId', data -> 'Phones', mt_last_modified " +
        "from " + CardTable;

    /// <summary>Marten's table of <see cref="ClientCards.ClientCard"/>.</summary>
    public const string CardTable = "envycrm.mt_doc_clientcard";

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
