using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Verifier;

namespace CoNdis.LegacyPacket;

/// <summary>
/// The NDIS 5.x DDI-shaped facade: NDIS_PACKET, NDIS_BUFFER and CoNDIS 5 data-path functions with the
/// DDI's name minus the <c>Ndis</c> prefix and the DDI's parameter order; C out-pointers are
/// <c>out</c> parameters, so <c>NdisQueryPacket(p, &amp;phys, &amp;count, &amp;first, &amp;len)</c> becomes
/// <c>Ndis5.QueryPacket(p, out phys, out count, out first, out len)</c>. Macros that read or write one
/// field are members of <see cref="NdisPacket"/> and <see cref="Mdl"/>; docs/porting-ndis5.md lists
/// every mapping. Pool allocations take an optional trailing <see cref="NdisHandle"/> naming the
/// driver (and its verifier), which NDIS knows implicitly. A pool allocated without one gets a handle of its own
/// that joins the verifier of the first binding its packets cross (a driver registered with a runtime reports to
/// that runtime's verifier), and answers to a strict verifier of its own until then.
/// </summary>
public static partial class Ndis5
{
    /// <summary>The wrapper's own handle: the verifier of last resort, for a finding about an object no pool owns.</summary>
    public static NdisHandle DefaultHandle { get; } = new("NDIS 5 wrapper");

    private static NdisVerifier VerifierOf(NdisPacket packet) => packet.Private.Pool.Verifier;

    /// <summary>Reports a use of a freed packet; true when the packet is allocated.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static bool CheckAllocated(NdisPacket packet, string caller)
    {
        ArgumentNullException.ThrowIfNull(packet);
        if (packet.IsAllocated)
            return true;
        ReportUseAfterFree(packet, caller);
        return false;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void ReportUseAfterFree(NdisPacket packet, string caller) =>
        VerifierOf(packet).Report(VerifierRule.UseAfterFree, $"{packet} used by {caller} after it was freed", packet, null, caller);
}
