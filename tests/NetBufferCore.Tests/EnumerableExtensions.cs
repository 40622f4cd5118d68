namespace CoNdis.NetBufferCore.Tests;

/// <summary>Materialises the struct walkers for assertions.</summary>
internal static class EnumerableExtensions
{
    public static List<NetBuffer> ToList(this NetBufferEnumerable netBuffers)
    {
        var list = new List<NetBuffer>();
        foreach (var nb in netBuffers)
            list.Add(nb);
        return list;
    }

    public static List<NetBufferList> ToList(this NetBufferListChainEnumerable chain)
    {
        var list = new List<NetBufferList>();
        foreach (var nbl in chain)
            list.Add(nbl);
        return list;
    }

    public static List<Mdl> ToList(this MdlChainEnumerable chain)
    {
        var list = new List<Mdl>();
        foreach (var mdl in chain)
            list.Add(mdl);
        return list;
    }
}
