using System.Xml.Linq;
using Marten;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Integration.Uis;

/// <summary>One Data Protection key ring element (the key material itself is what protects the tenants' API keys).</summary>
public sealed record DataProtectionKey(string Id, string Xml);

/// <summary>
/// Data Protection's key ring in PostgreSQL, shared by every node, so that a UIS API key protected
/// on one node can be read on another and after a restart. (Data Protection calls this synchronously.)
/// </summary>
public sealed class DataProtectionKeyStore(IDocumentStore store) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var session = store.QuerySession();
        // Data Protection asks synchronously and rarely (it caches the key ring): blocking here is fine.
        var keys = session.Query<DataProtectionKey>().ToListAsync().GetAwaiter().GetResult();
        return keys.Select(k => XElement.Parse(k.Xml)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var session = store.LightweightSession();
        session.Store(new DataProtectionKey(string.IsNullOrEmpty(friendlyName) ? Guid.NewGuid().ToString() : friendlyName,
            element.ToString(SaveOptions.DisableFormatting)));
        session.SaveChangesAsync().GetAwaiter().GetResult();
    }
}
