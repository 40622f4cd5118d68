namespace CoNdis.NetBufferCore.CoNdis;

/// <summary>CO_ADDRESS_FAMILY: the signalling protocol a call manager serves (NDIS_AF values) and its version.</summary>
public readonly record struct CoAddressFamily(uint AddressFamily, uint MajorVersion, uint MinorVersion)
{
    public const uint Q2931 = 1;
    public const uint Psched = 2;
    public const uint L2tp = 3;
    public const uint Irda = 4;
    public const uint Ieee1394 = 5;
    public const uint Ppp = 6;
    public const uint Infiniband = 7;
    public const uint Tapi = 0x800;
    public const uint TapiProxy = 0x801;
    /// <summary>CO_ADDRESS_FAMILY_PROXY flag.</summary>
    public const uint Proxy = 0x80000000;
}
