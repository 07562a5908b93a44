using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace InverseLearning.Serving.Operations;

/// <summary>Data Protection's keys, held for the process's life and written nowhere: the server protects no data with them.</summary>
internal sealed class InMemoryKeyRing : IXmlRepository
{
    private readonly List<XElement> _keys = [];

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        lock (_keys) return _keys.Select(key => new XElement(key)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        lock (_keys) _keys.Add(new XElement(element));
    }
}
