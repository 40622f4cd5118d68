namespace CoNdis.NetBufferCore.CoNdis;

/// <summary>
/// A protocol's binding to a CoNDIS adapter (NdisBindingHandle). The protocol acts as a client when it
/// implements <see cref="ICoClient"/>, as a call manager when it implements <see cref="ICoCallManager"/>.
/// </summary>
public sealed class CoBinding
{
    internal CoBinding(CoMiniportAdapter adapter, string name, object protocol, object? protocolBindingContext)
    {
        Adapter = adapter;
        Name = name;
        Protocol = protocol;
        ProtocolBindingContext = protocolBindingContext;
        Handle = new NdisHandle(name, adapter.Runtime.Verifier);
    }

    public CoMiniportAdapter Adapter { get; }

    public string Name { get; }

    /// <summary>The protocol driver's handler object.</summary>
    public object Protocol { get; }

    /// <summary>ProtocolBindingContext.</summary>
    public object? ProtocolBindingContext { get; }

    /// <summary>The handle the protocol allocates its pools with.</summary>
    public NdisHandle Handle { get; }

    internal ICoClient Client => Protocol as ICoClient
        ?? throw new InvalidOperationException($"{this} is not a CoNDIS client (its protocol does not implement ICoClient).");

    internal ICoCallManager CallManager => Protocol as ICoCallManager
        ?? throw new InvalidOperationException($"{this} is not a call manager (its protocol does not implement ICoCallManager).");

    /// <inheritdoc />
    public override string ToString() => $"binding '{Name}' to {Adapter}";
}
