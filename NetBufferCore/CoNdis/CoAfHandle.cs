namespace CoNdis.NetBufferCore.CoNdis;

/// <summary>An open address family (NdisAfHandle): one client's session with the call manager of one AF.</summary>
public sealed class CoAfHandle
{
    internal CoAfHandle(CoBinding clientBinding, RegisteredAddressFamily registered, object? clientAfContext)
    {
        ClientBinding = clientBinding;
        Registered = registered;
        ClientAfContext = clientAfContext;
    }

    public CoBinding ClientBinding { get; }

    public CoAddressFamily AddressFamily => Registered.AddressFamily;

    /// <summary>True once the call manager completed the open successfully.</summary>
    public bool IsOpen { get; internal set; }

    internal RegisteredAddressFamily Registered { get; }

    internal object? ClientAfContext { get; }

    internal object? CmAfContext { get; set; }

    internal int OpenVcs;

    internal int OpenSaps;

    /// <inheritdoc />
    public override string ToString() => $"AF {AddressFamily.AddressFamily} on {ClientBinding}";
}
