namespace CoNdis.NetBufferCore.CoNdis;

/// <summary>A registered SAP (NdisSapHandle): incoming calls to it go to the client that registered it.</summary>
public sealed class CoSapHandle
{
    internal CoSapHandle(CoAfHandle addressFamily, CoSap sap, object? clientSapContext)
    {
        AddressFamily = addressFamily;
        Sap = sap;
        ClientSapContext = clientSapContext;
    }

    public CoAfHandle AddressFamily { get; }

    public CoSap Sap { get; }

    public bool IsRegistered { get; internal set; }

    internal object? ClientSapContext { get; }

    internal object? CmSapContext { get; set; }

    /// <inheritdoc />
    public override string ToString() => $"SAP {Sap.SapType} on {AddressFamily}";
}
