namespace CoNdis.LegacyPacket.CoNdis5;

/// <summary>
/// NDIS_CLIENT_CHARACTERISTICS: what a 5.x client passes to NdisClOpenAddressFamily (MajorVersion 5, MinorVersion 0,
/// then its Cl* handler entry points). The entry points are the members of <see cref="Handlers"/>, so
/// <c>ClChars.ClMakeCallCompleteHandler = AtmArpMakeCallComplete;</c> becomes an
/// <see cref="ILegacyCoCallClient.ProtocolClMakeCallComplete"/> member of the client's handler object. NDIS keeps the
/// handlers per open AF, as NDIS 5 registers them per NdisClOpenAddressFamily.
/// </summary>
public sealed class NdisClientCharacteristics
{
    /// <summary><c>sizeof(NDIS_CLIENT_CHARACTERISTICS)</c> on x64 (versions and reserved fields, 8 bytes, then 18 handler pointers): what a port passes as SizeOfClCharacteristics.</summary>
    public const uint Size = 152;

    /// <summary>MajorVersion: 5 for an NDIS 5.x client.</summary>
    public byte MajorVersion { get; set; } = 5;

    /// <summary>MinorVersion: 0 or 1.</summary>
    public byte MinorVersion { get; set; }

    /// <summary>The ClXxxHandler entry points (ClCreateVcHandler … ClCallConnectedHandler).</summary>
    public ILegacyCoCallClient? Handlers { get; set; }
}
