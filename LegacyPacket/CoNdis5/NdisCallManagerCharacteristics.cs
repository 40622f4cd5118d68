namespace CoNdis.LegacyPacket.CoNdis5;

/// <summary>
/// NDIS_CALL_MANAGER_CHARACTERISTICS: what a 5.x call manager passes to NdisCmRegisterAddressFamily (stand-alone) or
/// NdisMCmRegisterAddressFamily (integrated in a miniport): MajorVersion 5, MinorVersion 0, then its Cm* handler entry
/// points, which are the members of <see cref="Handlers"/> (<c>CmMakeCallHandler</c> →
/// <see cref="ILegacyCoCallManager.ProtocolCmMakeCall"/>, …). NDIS keeps them per registered AF.
/// </summary>
public sealed class NdisCallManagerCharacteristics
{
    /// <summary><c>sizeof(NDIS_CALL_MANAGER_CHARACTERISTICS)</c> on x64 (versions and reserved fields, 8 bytes, then 16 handler pointers): what a port passes as SizeOfCmCharacteristics.</summary>
    public const uint Size = 136;

    /// <summary>MajorVersion: 5 for an NDIS 5.x call manager.</summary>
    public byte MajorVersion { get; set; } = 5;

    /// <summary>MinorVersion: 0 or 1.</summary>
    public byte MinorVersion { get; set; }

    /// <summary>The CmXxxHandler entry points (CmCreateVcHandler … CmRequestCompleteHandler).</summary>
    public ILegacyCoCallManager? Handlers { get; set; }
}
