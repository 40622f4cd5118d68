namespace CoNdis.NetBufferCore.CoNdis;

/// <summary>
/// A registered CoNDIS miniport adapter (NdisMiniportHandle): the miniport's handlers, its adapter
/// context and its NDIS handle for pools. An MCM's miniport also implements <see cref="ICoCallManager"/>.
/// </summary>
public sealed class CoMiniportAdapter
{
    internal CoMiniportAdapter(CoNdisRuntime runtime, string name, ICoMiniport miniport, object? adapterContext)
    {
        Runtime = runtime;
        Name = name;
        Miniport = miniport;
        AdapterContext = adapterContext;
        Handle = new NdisHandle(name, runtime.Verifier);
    }

    public CoNdisRuntime Runtime { get; }

    public string Name { get; }

    public ICoMiniport Miniport { get; }

    /// <summary>MiniportAdapterContext.</summary>
    public object? AdapterContext { get; }

    /// <summary>The handle the miniport allocates its pools with.</summary>
    public NdisHandle Handle { get; }

    internal List<CoBinding> Bindings { get; } = [];

    internal List<RegisteredAddressFamily> AddressFamilies { get; } = [];

    /// <inheritdoc />
    public override string ToString() => $"adapter '{Name}'";
}
